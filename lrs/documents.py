"""The document resources (state, activity profile, agent profile): reads and writes.

A document is bytes of any content type. JSON objects can be merged by POST; every
write can be made conditional on the document's ETag (``If-Match``/``If-None-Match``),
the optimistic concurrency of xAPI's section 3.1 (Communication). Also the reads of
the activities and agents resources, which look at the stored statements.

``document_write`` is the one way to store a document, for the views and for the
platform itself (cmi5 writes ``LMS.LaunchData`` into the state resource before a launch).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from organisations.models import Organisation

from . import statements as st
from .models import Document, LrsClient
from .selectors import _readable as readable_statements
from .validation import IFI_KEYS, StatementInvalid

JSON = "application/json"
DEFAULT_CONTENT_TYPE = "application/octet-stream"


class PreconditionFailed(Exception):
    """If-Match or If-None-Match does not hold for the document as stored (412)."""


class DocumentConflict(Exception):
    """A PUT over an existing profile document without If-Match or If-None-Match (409)."""


# --- Where a document lives ---------------------------------------------------------------------


def _digest(*parts: str) -> str:
    # The unit separator cannot occur in an IRI or an agent key, so no two addresses collide.
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Place:
    """The documents of one resource for one activity and/or agent (and registration)."""

    kind: str
    activity_id: str = ""
    agent: str = ""  # normalised identifier
    registration: uuid.UUID | None = None

    @property
    def collection(self) -> str:
        """What an ids list or a multiple DELETE covers (registration aside: optional there)."""
        return _digest(self.kind, self.activity_id, self.agent)

    def address(self, document_id: str) -> str:
        registration = str(self.registration) if self.registration else ""
        return _digest(self.kind, self.activity_id, self.agent, registration, document_id)


def state_place(*, activity_id: str, agent: dict, registration: str | uuid.UUID | None) -> Place:
    """The state documents of an activity, an agent (an Agent object) and a registration."""
    return Place(
        kind=Document.Kind.STATE,
        activity_id=activity_id,
        agent=st.agent_key(agent),
        registration=uuid.UUID(str(registration)) if registration else None,
    )


def activity_profile_place(*, activity_id: str) -> Place:
    return Place(kind=Document.Kind.ACTIVITY_PROFILE, activity_id=activity_id)


def agent_profile_place(*, agent: dict) -> Place:
    return Place(kind=Document.Kind.AGENT_PROFILE, agent=st.agent_key(agent))


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()  # noqa: S324 - the specification's ETag, not security


def is_json_type(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == JSON


# --- Reads ----------------------------------------------------------------------------------------


def _in_place(organisation: Organisation, place: Place):
    rows = Document.objects.filter(organisation=organisation, collection=place.collection)
    if place.registration is not None:
        rows = rows.filter(registration=place.registration)
    return rows


def document_get(*, organisation: Organisation, place: Place, document_id: str) -> Document | None:
    return Document.objects.filter(
        organisation=organisation, address=place.address(document_id)
    ).first()


def document_ids(
    *, organisation: Organisation, place: Place, since: dt.datetime | None = None
) -> tuple[list[str], dt.datetime | None]:
    """The ids of the place's documents (changed after ``since``) and the latest change.

    Without a registration a state list covers all registrations, so an id can be there
    twice: it is listed once.
    """
    rows = _in_place(organisation, place)
    if since is not None:
        rows = rows.filter(updated__gt=since)
    found = list(rows.order_by("updated", "pk").values_list("document_id", "updated"))
    ids = list(dict.fromkeys(document_id for document_id, _updated in found))
    return ids, (max(updated for _id, updated in found) if found else None)


def activity_object(*, client: LrsClient, activity_id: str) -> dict:
    """The Activity as the LRS knows it: the definition of the latest statement (that
    the client may read) with this activity as its object and a definition."""
    row = (
        readable_statements(client)
        .filter(activity=activity_id, data__object__has_key="definition")
        .order_by("-stored")
        .values_list("data__object__definition", flat=True)
        .first()
    )
    activity = {"objectType": "Activity", "id": activity_id}
    if row:
        activity["definition"] = row
    return activity


def person_object(*, client: LrsClient, agent: dict) -> dict:
    """The agents resource's Person: the agent's identifier and the names it goes by
    (the request's and the one in its latest statement as actor)."""
    key = st.agent_key(agent)
    names = [agent["name"]] if "name" in agent else []
    latest = (
        readable_statements(client)
        .filter(actor=key)
        .order_by("-stored")
        .values_list("data__actor__name", flat=True)
        .first()
    )
    if isinstance(latest, str) and latest not in names:
        names.append(latest)
    person: dict = {"objectType": "Person"}
    if names:
        person["name"] = names
    for ifi in IFI_KEYS:
        if ifi in agent:
            person[ifi] = [agent[ifi]]
    return person


# --- Writes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preconditions:
    """The request's concurrency headers, and whether the resource requires one of them."""

    if_match: str | None = None
    if_none_match: str | None = None
    # A PUT to a profile resource: overwriting without either header is a conflict.
    header_required: bool = False

    def check(self, existing: Document | None) -> None:
        if self.if_match is not None and (
            existing is None or not _matches(self.if_match, existing.etag)
        ):
            raise PreconditionFailed("If-Match does not match the document's ETag")
        if (
            self.if_none_match is not None
            and existing is not None
            and _matches(self.if_none_match, existing.etag)
        ):
            raise PreconditionFailed("If-None-Match: the document exists")
        if (
            self.header_required
            and existing is not None
            and self.if_match is None
            and self.if_none_match is None
        ):
            raise DocumentConflict(
                "the document exists: GET it, then PUT with If-Match set to its current ETag "
                '(or If-None-Match: "*" to write only a document that is not there)'
            )


def _matches(header: str, etag: str) -> bool:
    """Whether an If-Match/If-None-Match list names the ETag (``*``: any existing document)."""
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*":
            return True
        tag = tag.removeprefix("W/").strip('"').lower()
        if tag == etag:
            return True
    return False


def _json_object(content: bytes, what: str) -> dict:
    try:
        value = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        value = None
    if not isinstance(value, dict):
        raise StatementInvalid(what, "must be a JSON object to be merged (POST)")
    return value


def _merged(existing: Document | None, content: bytes, content_type: str) -> tuple[bytes, str]:
    """POST: the top-level properties of the posted object set on the stored one."""
    if existing is None:
        if is_json_type(content_type):
            _json_object(content, "document")  # a JSON document is merged later: an object
        return content, content_type
    if not is_json_type(existing.content_type):
        raise StatementInvalid(
            "document", "the stored document is not application/json: it cannot be merged"
        )
    if not is_json_type(content_type):
        raise StatementInvalid("Content-Type", "must be application/json to merge (POST)")
    stored = _json_object(bytes(existing.content), "stored document")
    stored.update(_json_object(content, "document"))
    return json.dumps(stored, ensure_ascii=False).encode(), JSON


def document_write(
    *,
    organisation: Organisation,
    place: Place,
    document_id: str,
    content: bytes,
    content_type: str = JSON,
    merge: bool = False,
    preconditions: Preconditions = Preconditions(),  # noqa: B008 - frozen, never changed
    client: LrsClient | None = None,
) -> Document:
    """Store a document (PUT) or merge a JSON object into it (``merge``, POST).

    The stored row is locked while the preconditions are checked, so two writers with the
    same ETag cannot both succeed; two first writes of one document race to the insert,
    and the loser gets a 409.
    """
    content_type = content_type or DEFAULT_CONTENT_TYPE
    address = place.address(document_id)
    with transaction.atomic():
        existing = (
            Document.objects.select_for_update()
            .filter(organisation=organisation, address=address)
            .first()
        )
        preconditions.check(existing)
        if merge:
            content, content_type = _merged(existing, content, content_type)
        now = timezone.now()
        if existing is not None:
            existing.content = content
            existing.content_type = content_type[:255]
            existing.etag = etag_of(content)
            existing.updated = now
            existing.client = client
            existing.save(update_fields=["content", "content_type", "etag", "updated", "client"])
            return existing
        document = Document(
            organisation=organisation,
            kind=place.kind,
            document_id=document_id,
            activity_id=place.activity_id,
            agent=place.agent,
            registration=place.registration,
            address=address,
            collection=place.collection,
            content=content,
            content_type=content_type[:255],
            etag=etag_of(content),
            updated=now,
            client=client,
        )
        try:
            with transaction.atomic():
                document.save(force_insert=True)
        except IntegrityError as exc:
            raise DocumentConflict("the document was written meanwhile: GET it and retry") from exc
    return document


def document_delete(
    *,
    organisation: Organisation,
    place: Place,
    document_id: str,
    preconditions: Preconditions = Preconditions(),  # noqa: B008 - frozen, never changed
) -> None:
    """Delete one document; deleting one that is not there is no error (204 either way)."""
    with transaction.atomic():
        existing = (
            Document.objects.select_for_update()
            .filter(organisation=organisation, address=place.address(document_id))
            .first()
        )
        preconditions.check(existing)
        if existing is not None:
            existing.delete()


def documents_delete(*, organisation: Organisation, place: Place) -> int:
    """The state resource's multiple DELETE: every document of the place (of its
    registration, if it names one); how many there were."""
    deleted, _by_model = _in_place(organisation, place).delete()
    return deleted
