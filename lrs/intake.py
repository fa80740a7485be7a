"""Writes: statements other tools send, counted as Werkwijs learning events where they can be.

A statement counts when its actor is a member of the organisation (an ``account`` on
the site's home page named by the membership id, as the mirror writes it, or the
``mbox`` of the member's e-mail address), its verb is one Werkwijs knows
(``vocabulary.INTAKE_VERBS``) and its object is an activity. It is recorded through
the events services with its 70:20:10 category, so the rollups and the manager's
coaching view see it like learning done in Werkwijs; its context names the statement.
Anything else (another verb, an agent or sub-statement as object, someone who is no
member) is stored as a statement only.

Statements about Werkwijs's own activities (``<SITE_URL>/xapi/activities/...``) are
not taken in: those are Werkwijs's own records, read back or copied, and counting
them would count the learning twice. The mirror in turn leaves out the events made
here, so nothing goes round.

It runs inside the transaction that stores the batch: the batch and its events are
kept, or neither.
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Lower

from events.models import LearningEvent
from events.services import learning_events_record_many
from events.verbs import Category, Verb, event_category
from organisations.models import Membership, Organisation

from . import vocabulary as vocab
from .models import Statement


def _member_id(actor: dict) -> int | None:
    account = actor.get("account")
    if not isinstance(account, dict):
        return None
    if str(account.get("homePage", "")).rstrip("/") != vocab.site_home_page():
        return None
    name = str(account.get("name", ""))
    return int(name) if name.isdigit() and len(name) < 19 else None


def _email(actor: dict) -> str | None:
    mbox = actor.get("mbox")
    if isinstance(mbox, str) and mbox.lower().startswith("mailto:"):
        return mbox[len("mailto:") :].lower()
    return None


def _category(data: dict, verb_iri: str) -> Category | None:
    """The statement's own word (our category extension), else its activity type's, else
    the verb's; None where nothing says (the Werkwijs verb's default then applies)."""
    extensions = (data.get("context") or {}).get("extensions") or {}
    named = extensions.get(vocab.CATEGORY_EXTENSION)
    if named in Category.values:
        return Category(named)
    definition = data["object"].get("definition") or {}
    by_type = vocab.ACTIVITY_TYPE_CATEGORIES.get(definition.get("type", ""))
    return by_type or vocab.VERB_CATEGORIES.get(verb_iri)


def _result(data: dict) -> dict:
    """The statement's outcome, under ``xapi``: Werkwijs's own keys (an applied commitment's
    ``success``, its ``status``) mean something else, and must not be counted from here."""
    result = data.get("result") or {}
    out = {key: result[key] for key in ("success", "completion", "duration") if key in result}
    scaled = (result.get("score") or {}).get("scaled")
    if scaled is not None:
        out["score_scaled"] = scaled
    return {"xapi": out} if out else {}


def _countable(row: Statement) -> bool:
    data = row.data
    return (
        row.verb in vocab.INTAKE_VERBS
        and data["object"].get("objectType", "Activity") == "Activity"
        and not vocab.is_own_activity(row.activity)
        and data["actor"].get("objectType", "Agent") == "Agent"
    )


def statements_intake(*, organisation: Organisation, rows: list[Statement]) -> list[LearningEvent]:
    """Record a learning event for each stored statement that counts in Werkwijs.

    At most one query for the members, one INSERT for the events, whatever the batch size.
    """
    candidates = [row for row in rows if _countable(row)]
    if not candidates:
        return []
    ids = {i for row in candidates if (i := _member_id(row.data["actor"])) is not None}
    emails = {e for row in candidates if (e := _email(row.data["actor"])) is not None}
    if not ids and not emails:
        return []
    members = list(
        Membership.objects.filter(organisation=organisation, is_active=True)
        .annotate(email_lower=Lower("user__email"))
        .filter(Q(pk__in=ids) | Q(email_lower__in=emails))
        .only("pk", "organisation_id")
    )
    by_id = {m.pk: m for m in members}
    by_email = {m.email_lower: m for m in members}
    events = []
    for row in candidates:
        actor = row.data["actor"]
        member_id = _member_id(actor)
        member = by_id.get(member_id) if member_id is not None else by_email.get(_email(actor))
        if member is None:
            continue
        category = _category(row.data, row.verb)
        if vocab.INTAKE_VERBS[row.verb] == "viewed":
            verb = Verb.VIEWED
        else:
            verb = vocab.DONE_VERBS[category or Category.FORMAL]
        events.append(
            {
                "actor": member,
                "verb": verb,
                "object_type": vocab.EXTERNAL_OBJECT_TYPE,
                "object_id": vocab.external_object_id(row.activity),
                "object_category": (category or event_category(verb=verb)).value,
                "result": _result(row.data),
                "context": {
                    vocab.STATEMENT_CONTEXT_KEY: str(row.statement_id),
                    vocab.ACTIVITY_CONTEXT_KEY: row.activity[:2048],
                    "source": "lrs",
                },
                "timestamp": row.timestamp,
            }
        )
    if not events:
        return []
    return learning_events_record_many(events=events)
