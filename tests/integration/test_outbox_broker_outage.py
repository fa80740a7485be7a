"""An invitation made while the broker is down: saved, no error, mailed once when it is back.

The test runs its own ``redis-server`` as the broker (so it may stop it), a real
Celery worker against the test database (as tests/integration/test_celery_worker.py
does) and an SMTP server. The broker keeps an append-only file, as a production
broker should, so the worker's queue bindings survive the restart.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from kombu import Connection

from config.celery import app as celery_app
from organisations import tasks
from organisations.models import Invitation, OutboxMessage
from tests import factories
from tests.integration.test_celery_worker import WAIT_SECONDS, free_port
from tests.integration.test_celery_worker import smtp as smtp  # noqa: F401 - the fixture
from tests.integration.test_celery_worker import worker as _worker_fixture

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class RedisServer:
    """A ``redis-server`` of the test's own, on a free port, that can be stopped and started."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.skip("redis-server is not installed")
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=WAIT_SECONDS)
        self.process = None


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("broker"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def redis_url(broker):
    """The worker fixture of test_celery_worker.py takes its broker from here."""
    return broker.url


worker = _worker_fixture


@pytest.fixture
def app_on_broker(broker):
    """This process publishes to the test's broker too (the web request's on_commit)."""
    saved = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)

    def reset_pools():
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    celery_app.conf.broker_url = broker.url
    celery_app.conf.broker_transport_options = {}
    reset_pools()
    yield
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved
    reset_pools()


def send(broker, task, *args, **kwargs) -> str:
    with Connection(broker.url) as conn:
        return task.apply_async(args=args, kwargs=kwargs, connection=conn).id


def outbox_rows() -> list[tuple]:
    with scopes_disabled():
        return list(OutboxMessage.objects.values_list("pk", "state", "attempts", "task"))


def test_an_invitation_made_while_the_broker_is_down_is_mailed_once_it_is_back(
    worker, broker, smtp, app_on_broker, client
):
    assert connection.vendor == "postgresql"
    organisation = factories.OrganisationFactory(name="Bakkerij Brood")
    admin = factories.MembershipFactory(organisation=organisation, is_admin=True)
    client.force_login(admin.user)
    smtp.handler.clear()

    # given the broker is down
    broker.stop()

    # when an admin invites someone through the web page
    response = client.post(
        reverse("organisations:invitation_create", args=[organisation.slug]),
        {"email": "sam@example.test"},
    )

    # then the page answers as usual, the invitation is saved and its mail is pending
    assert response.status_code == 302
    with scopes_disabled():
        invitation = Invitation.objects.get(organisation=organisation)
    ((outbox_id, state, attempts, task),) = outbox_rows()
    assert (state, attempts, task) == ("pending", 1, "organisations.send_invitation_emails")
    assert smtp.handler.messages == []

    # when the broker is back and the sweeper runs (on the worker, as beat would start it)
    broker.start()
    with scopes_disabled():
        OutboxMessage.objects.filter(pk=outbox_id).update(
            created_at=timezone.now() - dt.timedelta(minutes=1)
        )
    swept = worker.result_of("organisations.outbox_sweep", send(broker, tasks.sweep_outbox))

    # then the invitation is mailed, once
    assert swept == "1"
    worker.wait_for(lambda: smtp.handler.messages, "the invitation e-mail")
    worker.wait_for(lambda: outbox_rows()[0][1] == "done", "the outbox row done")
    (message,) = smtp.handler.messages
    assert smtp.handler.recipients == [["sam@example.test"]]
    assert "Bakkerij Brood" in message["Subject"]
    assert re.search(r"/invitations/\S+", message.get_body(("plain",)).get_content())

    # and neither another sweep nor the same message delivered again sends it twice
    again = worker.result_of("organisations.outbox_sweep", send(broker, tasks.sweep_outbox))
    duplicate = worker.result_of(
        "organisations.send_invitation_emails",
        send(
            broker,
            tasks.send_invitation_emails,
            organisation.pk,
            [invitation.pk],
            outbox_id=outbox_id,
        ),
    )
    assert (again, duplicate) == ("0", "0")
    assert len(smtp.handler.messages) == 1
