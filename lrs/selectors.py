"""Reads of the learning record store: clients by credentials, statements by id or query."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass

from django.core import signing
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from organisations.models import Organisation

from . import statements as st
from .credentials import secret_matches
from .models import AttachmentData, LrsClient, Statement, StatementLink
from .multipart import Attachment
from .validation import StatementInvalid, check_iri, check_uuid, parse_timestamp

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
MORE_SALT = "lrs.statements.more"
FORMATS = ("exact", "ids", "canonical")
QUERY_PARAMS = {
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
}


def lrs_clients(*, organisation: Organisation) -> QuerySet[LrsClient]:
    return LrsClient.objects.filter(organisation=organisation).select_related("created_by__user")


def lrs_client_for_credentials(
    *, organisation: Organisation, key: str, secret: str
) -> LrsClient | None:
    """The organisation's active client with that key and secret, else None.

    Only the URL's organisation is searched (and RLS sees no other), so a client of
    another organisation is simply unknown here.
    """
    client = LrsClient.objects.filter(
        organisation=organisation, key=key, revoked_at__isnull=True
    ).first()
    if not secret_matches(secret, client.secret_hash if client else None):
        return None
    client.organisation = organisation
    return client


def _readable(client: LrsClient) -> QuerySet[Statement]:
    rows = Statement.objects.filter(organisation_id=client.organisation_id)
    if not client.allows(LrsClient.Scope.READ_ALL):
        # read_own: what this client sent (its authority) only.
        rows = rows.filter(client=client)
    return rows


def statement_by_id(*, client: LrsClient, statement_id: str, voided: bool) -> Statement | None:
    """GET ?statementId (a statement not voided) or ?voidedStatementId (one that is)."""
    return _readable(client).filter(statement_id=uuid.UUID(statement_id), voided=voided).first()


@dataclass(frozen=True)
class StatementQuery:
    agent: str = ""  # normalised identifier
    verb: str = ""
    activity: str = ""
    registration: str = ""
    related_activities: bool = False
    related_agents: bool = False
    since: str = ""
    until: str = ""
    limit: int = DEFAULT_LIMIT
    format: str = "exact"
    attachments: bool = False
    ascending: bool = False


def _bool(params: dict, name: str) -> bool:
    value = params.get(name, "false")
    if value not in ("true", "false"):
        raise StatementInvalid(name, 'must be "true" or "false"')
    return value == "true"


def parse_query(params: dict) -> StatementQuery:
    """The query string of a statements GET, checked; unknown parameters are refused."""
    for name in params:
        if name not in QUERY_PARAMS:
            raise StatementInvalid(name, "is not a parameter of the statements resource")
    agent = st.agent_key(st.parse_agent_param(params["agent"])) if "agent" in params else ""
    if "verb" in params:
        check_iri(params["verb"], "verb")
    if "activity" in params:
        check_iri(params["activity"], "activity")
    if "registration" in params:
        check_uuid(params["registration"], "registration")
    for name in ("since", "until"):
        if name in params:
            parse_timestamp(params[name], name)
    try:
        limit = int(params.get("limit", DEFAULT_LIMIT))
    except ValueError as exc:
        raise StatementInvalid("limit", "must be a whole number") from exc
    if limit < 0:
        raise StatementInvalid("limit", "must not be negative")
    fmt = params.get("format", "exact")
    if fmt not in FORMATS:
        raise StatementInvalid("format", f"must be one of {', '.join(FORMATS)}")
    return StatementQuery(
        agent=agent,
        verb=params.get("verb", ""),
        activity=params.get("activity", ""),
        registration=params.get("registration", "").lower(),
        related_activities=_bool(params, "related_activities"),
        related_agents=_bool(params, "related_agents"),
        since=params.get("since", ""),
        until=params.get("until", ""),
        limit=min(limit or MAX_LIMIT, MAX_LIMIT),
        format=fmt,
        attachments=_bool(params, "attachments"),
        ascending=_bool(params, "ascending"),
    )


def _linked(kind: str, value: str) -> Exists:
    return Exists(
        StatementLink.objects.filter(
            organisation_id=OuterRef("organisation_id"),
            statement_id=OuterRef("pk"),
            kind=kind,
            value=value,
        )
    )


def statements_matching(client: LrsClient, query: StatementQuery) -> QuerySet[Statement]:
    """What the client may read of the query's statements, voided ones left out (unordered)."""
    rows = _readable(client).filter(voided=False)
    if query.agent:
        if query.related_agents:
            rows = rows.filter(_linked(StatementLink.Kind.AGENT, query.agent))
        else:
            # "<> ''" repeats the partial index's condition so the planner may use it.
            as_object = Q(object_agent=query.agent) & ~Q(object_agent="")
            rows = rows.filter(Q(actor=query.agent) | as_object)
    if query.verb:
        rows = rows.filter(verb=query.verb)
    if query.activity:
        if query.related_activities:
            rows = rows.filter(_linked(StatementLink.Kind.ACTIVITY, query.activity))
        else:
            rows = rows.filter(activity=query.activity)
    if query.registration:
        rows = rows.filter(registration=uuid.UUID(query.registration))
    if query.since:
        rows = rows.filter(stored__gt=parse_timestamp(query.since, "since"))
    if query.until:
        rows = rows.filter(stored__lte=parse_timestamp(query.until, "until"))
    return rows


@dataclass(frozen=True)
class StatementPage:
    statements: list[dict]
    more: str  # the signed cursor of the next page, "" on the last
    format: str = "exact"
    attachments: bool = False


def _more_token(
    client: LrsClient, query: StatementQuery, ceiling: dt.datetime, last: Statement
) -> str:
    return signing.dumps(
        {
            "c": client.pk,
            "q": asdict(query),
            "top": ceiling.isoformat(),
            "after": [last.stored.isoformat(), last.pk],
        },
        salt=MORE_SALT,
        compress=True,
    )


def _page(
    client: LrsClient, query: StatementQuery, *, ceiling: dt.datetime, after: tuple | None
) -> StatementPage:
    # Stored up to the first page's moment: what arrives later never shifts the pages.
    rows = statements_matching(client, query).filter(stored__lte=ceiling)
    order = ("stored", "pk") if query.ascending else ("-stored", "-pk")
    if after is not None:
        stored, pk = dt.datetime.fromisoformat(after[0]), after[1]
        if query.ascending:
            rows = rows.filter(Q(stored__gt=stored) | Q(stored=stored, pk__gt=pk))
        else:
            rows = rows.filter(Q(stored__lt=stored) | Q(stored=stored, pk__lt=pk))
    found = list(rows.order_by(*order).only("pk", "stored", "data")[: query.limit + 1])
    more = ""
    if len(found) > query.limit:
        found = found[: query.limit]
        more = _more_token(client, query, ceiling, found[-1])
    return StatementPage(
        statements=[row.data for row in found],
        more=more,
        format=query.format,
        attachments=query.attachments,
    )


def statements_query(*, client: LrsClient, query: StatementQuery) -> StatementPage:
    """The first page of a query; the statements stored later never join its pages."""
    return _page(client, query, ceiling=timezone.now(), after=None)


def statements_more(*, client: LrsClient, token: str) -> StatementPage:
    """The next page of a query, from the cursor in its ``more`` URL."""
    try:
        cursor = signing.loads(token, salt=MORE_SALT)
    except signing.BadSignature as exc:
        raise StatementInvalid("more", "is not a cursor this LRS gave out") from exc
    if cursor.get("c") != client.pk:
        raise StatementInvalid("more", "belongs to another client")
    query = StatementQuery(**cursor["q"])
    ceiling = dt.datetime.fromisoformat(cursor["top"])
    return _page(client, query, ceiling=ceiling, after=tuple(cursor["after"]))


def formatted(data: dict, *, fmt: str, languages: list[str]) -> dict:
    if fmt == "ids":
        return st.ids_format(data)
    if fmt == "canonical":
        return st.canonical_format(data, languages)
    return data


def _declared_hashes(statement: dict) -> list[str]:
    target = statement.get("object", {})
    declared = statement.get("attachments", []) + (
        target.get("attachments", []) if target.get("objectType") == "SubStatement" else []
    )
    return [attachment["sha2"].lower() for attachment in declared]


def attachments_of(*, client: LrsClient, statements: list[dict]) -> list[Attachment]:
    """The stored octets of the statements' attachments (``attachments=true``), each once.

    One query, whatever the number of statements. An attachment sent with only a fileUrl
    has no octets here and is simply not among them.
    """
    hashes = list(dict.fromkeys(h for s in statements for h in _declared_hashes(s)))
    if not hashes:
        return []
    rows = AttachmentData.objects.filter(
        organisation_id=client.organisation_id, sha2__in=hashes
    ).only("sha2", "content_type", "data")
    found = {row.sha2: row for row in rows}
    return [
        Attachment(sha2=h, content_type=found[h].content_type, body=bytes(found[h].data))
        for h in hashes
        if h in found
    ]
