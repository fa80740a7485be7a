"""The load run's users, for locust (started by ``bench.bench_load``, never by hand).

Each user is a member of one organisation at a shift start: it signs in (from the
one address the proxy forwards for the whole organisation), browses home, the
catalogue, search and units for a few pages, then hands over to the next member
of the shift until every member of the plan has signed in; closed loop, no waits.
The plan (a JSON file named by ``BENCH_LOAD_PLAN``) says who, where and what.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, constant, task

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"]).read())  # noqa: SIM115
_MEMBERS = iter(PLAN["members"])
_PICKS = random.Random(PLAN.get("seed", 1))
_WEIGHTS = {"home": 2, "catalogue": 2, "search": 2, "unit": 4}
_PAGES = list(itertools.chain.from_iterable([name] * n for name, n in _WEIGHTS.items()))


class ShiftMember(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.headers["X-Forwarded-For"] = PLAN["address"]
        self.browsed = 0
        self.signed_in = False
        self._sign_in_next()

    def _sign_in_next(self) -> None:
        email = next(_MEMBERS, None)
        if email is None:  # the whole shift is in: keep browsing as the last one
            return
        self.client.cookies.clear()
        self.client.get("/accounts/login/", name="sign-in form")
        self._loopback_cookies()
        data = {
            "login": email,
            "password": PLAN["password"],
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
        }
        with self.client.post(
            "/accounts/login/",
            data=data,
            name="sign-in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                response.success()
                self.signed_in = True
                self._loopback_cookies()
            elif response.status_code == 429:
                response.failure("sign-in refused (429)")
            else:
                response.failure(f"sign-in answered {response.status_code}")
        self.browsed = 0

    def _loopback_cookies(self) -> None:
        """Production cookies are Secure; the loopback here stands in for the TLS proxy,
        so the client must send them over plain HTTP (requests would not)."""
        for cookie in self.client.cookies:
            cookie.secure = False

    @task
    def browse(self):
        if self.browsed >= PLAN["pages_per_member"] or not self.signed_in:
            self._sign_in_next()
        page = _PICKS.choice(_PAGES)
        base = f"/o/{PLAN['organisation']}/"
        if page == "home":
            url = base
        elif page == "catalogue":
            url = base + "catalogue/"
        elif page == "search":
            url = base + "catalogue/?q=" + _PICKS.choice(PLAN["searches"])
        else:
            url = base + f"units/{_PICKS.choice(PLAN['units'])}/"
        with self.client.get(url, name=page, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{page} answered {r.status_code}")
        self.browsed += 1
