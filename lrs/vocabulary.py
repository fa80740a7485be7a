"""How Werkwijs names itself in xAPI: its members, its activities, its authority, its verbs.

The mirror (learning events → statements) and the intake (statements → learning
events) both read these, so a statement the mirror writes is one the intake
recognises as Werkwijs's own and leaves alone.

A member is an ``account`` on the site's home page named by the membership id, never
by e-mail: the id means nothing outside the installation, so an export of the
statements spreads no addresses. Activities are IRIs under the site
(``<SITE_URL>/xapi/activities/<object type>/<id>``). Verbs keep the IRIs of
``events.verbs`` (ADL's vocabulary where it has the verb, Werkwijs's own otherwise).
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings

from events.verbs import ADL, Category, Verb
from organisations.models import Organisation

# Werkwijs's own extensions: a fixed base like the verbs' (events.verbs.WERKWIJS), so the
# same key means the same in every installation.
EXTENSIONS = "https://werkwijs.nl/xapi/extensions/"
CATEGORY_EXTENSION = EXTENSIONS + "category"
CONTEXT_EXTENSION = EXTENSIONS + "context"
RESULT_EXTENSION = EXTENSIONS + "result"
PLATFORM = "Werkwijs"
AUTHORITY_ACCOUNT = "werkwijs"
# Mirrored statement ids: uuid5 of the event id in this namespace, so mirroring an event
# twice names the same statement (and the second is not stored).
EVENT_NAMESPACE = uuid.UUID("5b0b5c8e-6f0a-4c57-9f55-3e7c8b1d2a61")
# The key of the statement id in the context of an event recorded from a statement:
# the mirror leaves those events out (the statement exists already; no loops).
STATEMENT_CONTEXT_KEY = "xapi_statement"
ACTIVITY_CONTEXT_KEY = "xapi_activity"
# object_type of an event about an activity of another tool; object_id is a digest of its IRI.
EXTERNAL_OBJECT_TYPE = "xapi_activity"

ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"


def site_home_page() -> str:
    return settings.SITE_URL.rstrip("/")


def activities_base() -> str:
    return f"{site_home_page()}/xapi/activities/"


def member_account(membership_id: int) -> dict:
    return {
        "objectType": "Agent",
        "account": {"homePage": site_home_page(), "name": str(membership_id)},
    }


def activity_iri(object_type: str, object_id: int) -> str:
    return f"{activities_base()}{object_type}/{object_id}"


def is_own_activity(iri: str) -> bool:
    return iri.startswith(activities_base())


def werkwijs_authority(organisation: Organisation) -> dict:
    """The authority of mirrored statements: the organisation's Werkwijs itself."""
    return {
        "objectType": "Agent",
        "name": PLATFORM,
        "account": {
            "homePage": f"{site_home_page()}/xapi/o/{organisation.slug}/",
            "name": AUTHORITY_ACCOUNT,
        },
    }


def statement_id_for_event(event_id: int) -> uuid.UUID:
    return uuid.uuid5(EVENT_NAMESPACE, f"learning-event:{event_id}")


def external_object_id(iri: str) -> int:
    """A stable 63-bit number for another tool's activity, so its events group together."""
    return int.from_bytes(hashlib.sha256(iri.encode()).digest()[:8], "big") >> 1


# --- The intake: which verbs of other tools count in Werkwijs --------------------------------

# A verb of another tool that means learning Werkwijs counts: completed (or passed, or
# mastered) an activity, attended it, or applied something on the job. ``experienced``
# counts as a view (usage, not part of the 70:20:10 mix). Every other verb is stored only.
INTAKE_VERBS: dict[str, str] = {
    ADL + "completed": "done",
    ADL + "passed": "done",
    ADL + "mastered": "done",
    ADL + "attended": "done",
    Verb.APPLIED.iri: "done",
    ADL + "experienced": "viewed",
}
# Where the category does not follow from the activity, the verb decides.
VERB_CATEGORIES: dict[str, Category] = {
    ADL + "attended": Category.SOCIAL,
    Verb.APPLIED.iri: Category.EXPERIENCE,
}
# ADL's activity types: on-the-job practice is experience, a meeting is social, the rest formal.
ACTIVITY_TYPE_CATEGORIES: dict[str, Category] = {
    ADL_ACTIVITIES + "performance": Category.EXPERIENCE,
    ADL_ACTIVITIES + "simulation": Category.EXPERIENCE,
    ADL_ACTIVITIES + "meeting": Category.SOCIAL,
    **{
        ADL_ACTIVITIES + kind: Category.FORMAL
        for kind in (
            "assessment",
            "course",
            "file",
            "interaction",
            "lesson",
            "link",
            "media",
            "module",
            "objective",
            "question",
        )
    },
}
# The Werkwijs verb a finished activity is recorded with, by category: the coaching view's
# mix reads the verb's own category, so the verb has to carry it.
DONE_VERBS: dict[Category, Verb] = {
    Category.EXPERIENCE: Verb.APPLIED,
    Category.SOCIAL: Verb.ATTENDED,
    Category.FORMAL: Verb.COMPLETED,
}
