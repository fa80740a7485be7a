"""Writes of the learning record store: clients (created, revoked) and statements (stored)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from organisations.models import Membership, Organisation
from organisations.services import audit_log_record

from . import intake
from . import statements as st
from .credentials import hash_secret, new_key, new_secret
from .models import AttachmentData, LrsClient, Statement, StatementLink
from .multipart import Attachment
from .signatures import check_signatures
from .validation import VOIDED_VERB, StatementInvalid, check_statements, parse_timestamp


class StatementConflict(Exception):
    """A statement id the store holds already, for a different statement (409)."""

    def __init__(self, statement_id: str):
        self.statement_id = statement_id
        super().__init__(f"a different statement with the id {statement_id} is stored already")


# --- Clients ---------------------------------------------------------------------------------


def lrs_client_create(
    *, organisation: Organisation, name: str, scopes: list[str], by: Membership
) -> tuple[LrsClient, str]:
    """A new client; its secret is returned this once and stored only hashed."""
    secret = new_secret()
    client = LrsClient(
        organisation=organisation,
        name=name,
        key=new_key(),
        secret_hash=hash_secret(secret),
        scopes=sorted(set(scopes)),
        created_by=by,
    )
    client.full_clean()
    client.save()
    audit_log_record(actor=by, action="lrs_client.created", obj=client, data={"scopes": scopes})
    return client, secret


def lrs_client_revoke(*, client: LrsClient, by: Membership) -> LrsClient:
    """Revoke a client for good; revoking twice is a no-op."""
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        audit_log_record(actor=by, action="lrs_client.revoked", obj=client)
    return client


# --- Statements -------------------------------------------------------------------------------


def lrs_home_page(organisation: Organisation) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/xapi/o/{organisation.slug}/"


def authority_for(client: LrsClient) -> dict:
    return {
        "objectType": "Agent",
        "name": client.name,
        "account": {"homePage": lrs_home_page(client.organisation), "name": client.key},
    }


def format_timestamp(moment: dt.datetime) -> str:
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


_IGNORED_IN_COMPARISON = ("id", "authority", "stored", "timestamp", "version", "attachments")


def _comparable(statement: dict) -> str:
    """What makes two statements "the same" under the specification's comparison rules:
    authority, stored, timestamp, version and attachments aside, group members in any order."""
    trimmed = {k: v for k, v in statement.items() if k not in _IGNORED_IN_COMPARISON}
    return json.dumps(st.normalised(trimmed), sort_keys=True)


@dataclass
class _Prepared:
    row: Statement
    links: set[tuple[str, str]]


def _prepare(statement: dict, *, client: LrsClient, version: str, now: dt.datetime) -> _Prepared:
    data = dict(statement)
    data["id"] = str(uuid.UUID(data["id"])) if "id" in data else str(uuid.uuid4())
    data["stored"] = format_timestamp(now)
    data["authority"] = authority_for(client)
    data.setdefault("version", "2.0.0" if version.startswith("2.") else "1.0.0")
    data.setdefault("timestamp", data["stored"])
    target = data["object"]
    kind = target.get("objectType", "Activity")
    registration = data.get("context", {}).get("registration")
    row = Statement(
        organisation_id=client.organisation_id,
        statement_id=uuid.UUID(data["id"]),
        data=data,
        verb=data["verb"]["id"],
        activity=target["id"] if kind == "Activity" else "",
        actor=st.agent_key(data["actor"]),
        object_agent=st.agent_key(target) if kind in ("Agent", "Group") else "",
        registration=uuid.UUID(registration) if registration else None,
        timestamp=parse_timestamp(data["timestamp"], "statement.timestamp"),
        stored=now,
        voids=uuid.UUID(target["id"]) if data["verb"]["id"] == VOIDED_VERB else None,
        client=client,
    )
    links = {(StatementLink.Kind.AGENT, key) for key in st.related_agents(data)}
    links |= {(StatementLink.Kind.ACTIVITY, iri) for iri in st.related_activities(data)}
    return _Prepared(row=row, links=links)


def statements_store(
    *,
    client: LrsClient,
    statements: object,
    version: str,
    statement_id: str | None = None,
    attachments: dict[str, Attachment] | None = None,
) -> list[str]:
    """Validate and store one statement or a batch, all or nothing; return their ids.

    ``statement_id`` is PUT's parameter: the statement takes it (and must not name another).
    A statement whose id is stored already is not stored again: the same statement is
    accepted as it is, a different one makes the whole request a conflict.
    ``attachments`` are the octets of a multipart/mixed request, keyed by their SHA-2;
    they are stored with the statements, once per organisation and hash.
    """
    attachments = attachments or {}
    batch = check_statements(statements, version=version)
    _check_attachment_data(batch, attachments)
    if statement_id is not None:
        if len(batch) != 1 or not isinstance(statements, dict):
            raise StatementInvalid("statements", "PUT takes exactly one statement")
        given = batch[0].get("id")
        if given is not None and given.lower() != statement_id.lower():
            raise StatementInvalid("statement.id", "differs from the statementId parameter")
        batch = [{**batch[0], "id": statement_id}]

    now = timezone.now()
    prepared = [_prepare(s, client=client, version=version, now=now) for s in batch]
    organisation = client.organisation
    ids = [p.row.statement_id for p in prepared]
    existing = {
        row.statement_id: row
        for row in Statement.objects.filter(organisation=organisation, statement_id__in=ids)
    }
    fresh = []
    for item in prepared:
        stored = existing.get(item.row.statement_id)
        if stored is None:
            fresh.append(item)
        elif _comparable(stored.data) != _comparable(item.row.data):
            raise StatementConflict(str(item.row.statement_id))

    _check_voiding(organisation=organisation, fresh=fresh)
    try:
        with transaction.atomic():
            rows = Statement.objects.bulk_create([item.row for item in fresh])
            StatementLink.objects.bulk_create(
                [
                    StatementLink(
                        organisation=organisation, statement=row, kind=kind, value=value[:2048]
                    )
                    for row, item in zip(rows, fresh, strict=True)
                    for kind, value in sorted(item.links)
                ]
            )
            # What other tools report that Werkwijs knows counts in its analytics too.
            intake.statements_intake(organisation=organisation, rows=rows)
            if attachments:
                # Stored once per organisation and hash: a file sent again is kept as it is.
                AttachmentData.objects.bulk_create(
                    [
                        AttachmentData(
                            organisation=organisation,
                            sha2=a.sha2,
                            content_type=a.content_type[:255],
                            data=a.body,
                        )
                        for a in attachments.values()
                    ],
                    ignore_conflicts=True,
                )
            targets = [item.row.voids for item in fresh if item.row.voids is not None]
            if targets:
                Statement.objects.filter(
                    organisation=organisation, statement_id__in=targets
                ).exclude(verb=VOIDED_VERB).update(voided=True)
    except IntegrityError as exc:
        # Another request stored one of these ids between our look and our insert.
        raise StatementConflict(", ".join(str(i) for i in ids)) from exc
    return [str(i) for i in ids]


def _declared_attachments(statement: dict) -> list[tuple[str, dict]]:
    """(path, attachment) for every attachment of a statement and of its sub-statement."""
    found = [(f"attachments[{j}]", a) for j, a in enumerate(statement.get("attachments", []))]
    target = statement["object"]
    if target.get("objectType") == "SubStatement":
        found += [
            (f"object.attachments[{j}]", a) for j, a in enumerate(target.get("attachments", []))
        ]
    return found


def _check_attachment_data(batch: list[dict], attachments: dict[str, Attachment]) -> None:
    """Every attachment without a fileUrl has its part, and every part is some attachment's.

    Parts are matched to attachments by their SHA-2 only, as the specification requires.
    """
    declared = set()
    for i, statement in enumerate(batch):
        for path, attachment in _declared_attachments(statement):
            sha2 = attachment["sha2"].lower()
            declared.add(sha2)
            if "fileUrl" not in attachment and sha2 not in attachments:
                raise StatementInvalid(
                    f"statements[{i}].{path}",
                    "has no fileUrl and no multipart/mixed part with its sha2",
                )
    for sha2 in attachments:
        if sha2 not in declared:
            raise StatementInvalid(
                "attachments", f"the part with hash {sha2} belongs to no attachment of the batch"
            )
    check_signatures(batch, attachments)


def _check_voiding(*, organisation: Organisation, fresh: list[_Prepared]) -> None:
    """A voiding statement cannot void another voiding statement."""
    targets = {item.row.voids for item in fresh if item.row.voids is not None}
    if not targets:
        return
    batch_voiding = {item.row.statement_id for item in fresh if item.row.voids is not None}
    stored_voiding = set(
        Statement.objects.filter(
            organisation=organisation, statement_id__in=targets, verb=VOIDED_VERB
        ).values_list("statement_id", flat=True)
    )
    for target in sorted(targets & (batch_voiding | stored_voiding)):
        raise StatementInvalid(
            "statement.object.id", f"{target} is a voiding statement, which cannot be voided"
        )
