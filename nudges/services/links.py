"""The signed links in a nudge e-mail: tracked clicks and one-click unsubscribe.

Every link to the site in a nudge e-mail goes through ``/n/c/<token>/``: the
token names the nudge and the path it leads to, signed, so the click is recorded
once (``NUDGE_CLICKED``) and the member lands where the link said, and nowhere
else: only a path on this site is ever signed or followed. Kinds call
``tracked_url(nudge, path)`` for links of their own.

The unsubscribe link ``/u/<token>/`` names a member and a category (RFC 8058:
``List-Unsubscribe`` with a one-click POST, no login, no CSRF token, because the
mail provider posts it on the member's behalf). The tokens do not expire: a
member may unsubscribe from an e-mail of last year. Each kind of token has its
own salt, so one can never be passed off as the other.
"""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from events.models import LearningEvent
from events.services import learning_event_record

from ..models import Nudge
from .kinds import absolute
from .preferences import CATEGORIES, EVERY_CATEGORY

CLICK_SALT = "werkwijs.nudges.click"
UNSUBSCRIBE_SALT = "werkwijs.nudges.unsubscribe"


class BadLink(ValueError):
    """A token that was changed, cut short, or names something a link may not lead to."""


def is_site_path(path: str) -> bool:
    """A path on this site (``/o/acme/...``), not an address elsewhere (``//evil``, ``https:``)."""
    return (
        isinstance(path, str)
        and path.startswith("/")
        and not path.startswith("//")
        and "\\" not in path
        and url_has_allowed_host_and_scheme(path, allowed_hosts=None)
    )


# --- clicks ---------------------------------------------------------------------------------


def tracked_url(nudge: Nudge, path: str) -> str:
    """The address for a link of ``nudge`` to ``path`` that records the click, then leads there.

    An unsaved nudge (a rule's preview) has nothing to record: the plain address.
    """
    if not is_site_path(path):
        raise ValueError(f"a nudge links to paths on this site only, not {path!r}")
    if nudge.pk is None:
        return absolute(path)
    token = signing.dumps(
        {"o": nudge.organisation_id, "n": nudge.pk, "p": path}, salt=CLICK_SALT, compress=True
    )
    return absolute(reverse("nudge_links:click", kwargs={"token": token}))


def click_token_read(token: str) -> tuple[int, int, str]:
    """(organisation id, nudge id, path) of a click link; ``BadLink`` if it is not one of ours."""
    try:
        data = signing.loads(token, salt=CLICK_SALT)
        organisation_id, nudge_id, path = int(data["o"]), int(data["n"]), data["p"]
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise BadLink(str(exc)) from exc
    if not is_site_path(path):
        raise BadLink(f"not a path on this site: {path!r}")
    return organisation_id, nudge_id, path


@transaction.atomic
def nudge_click_record(*, organisation_id: int, nudge_id: int) -> bool:
    """Record the nudge's first click; False for a later one or a nudge that is gone.

    The conditional update decides, so two clicks at once still record one event.
    """
    now = timezone.now()
    first = Nudge.objects.filter(
        organisation_id=organisation_id, pk=nudge_id, clicked_at__isnull=True
    ).update(clicked_at=now)
    if not first:
        return False
    nudge = (
        Nudge.objects.select_related("member")
        .filter(organisation_id=organisation_id, pk=nudge_id)
        .first()
    )
    learning_event_record(
        actor=nudge.member,
        verb=LearningEvent.Verb.NUDGE_CLICKED,
        object_type="nudge",
        object_id=nudge.pk,
        context={"kind": nudge.kind, "channel": nudge.channel, "rule": nudge.rule_id},
        timestamp=now,
    )
    return True


# --- unsubscribe ----------------------------------------------------------------------------


def unsubscribe_token(*, organisation_id: int, member_id: int, category: str) -> str:
    return signing.dumps(
        {"o": organisation_id, "m": member_id, "c": category}, salt=UNSUBSCRIBE_SALT
    )


def unsubscribe_token_read(token: str) -> tuple[int, int, str]:
    """(organisation id, member id, category) of an unsubscribe link; ``BadLink`` if not ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        organisation_id, member_id, category = int(data["o"]), int(data["m"]), str(data["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise BadLink(str(exc)) from exc
    if category != EVERY_CATEGORY and category not in CATEGORIES:
        raise BadLink(f"unknown category {category!r}")
    return organisation_id, member_id, category


def unsubscribe_url(nudge: Nudge) -> str:
    """The link that stops this nudge's category arriving by e-mail (a digest: every category)."""
    category = EVERY_CATEGORY if nudge.kind == Nudge.Kind.DIGEST else nudge.kind
    token = unsubscribe_token(
        organisation_id=nudge.organisation_id, member_id=nudge.member_id, category=category
    )
    return absolute(reverse("nudge_links:unsubscribe", kwargs={"token": token}))


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe to ``url`` (``unsubscribe_url``): the mail client POSTs
    ``List-Unsubscribe=One-Click``."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
