"""Statement queries use the indexes that lead with the organisation (PostgreSQL's plans)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from lrs import selectors
from lrs.models import Statement
from organisations.tenancy import organisation_scope
from tests.factories import OrganisationFactory
from tests.lrs.conftest import make_lrs_client

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL"),
]

VERBS = [f"http://adlnet.gov/expapi/verbs/v{i}" for i in range(40)]


def _fill(organisation, client, count: int) -> None:
    now = timezone.now()
    Statement.objects.bulk_create(
        Statement(
            organisation=organisation,
            statement_id=uuid.uuid4(),
            data={},
            verb=VERBS[i % len(VERBS)],
            activity=f"http://example.com/a/{i % 200}",
            actor=f"mbox:mailto:p{i % 300}@example.com",
            registration=uuid.uuid4() if i % 10 == 0 else None,
            timestamp=now,
            stored=now - dt.timedelta(minutes=i),
            client=client,
        )
        for i in range(count)
    )


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({"verb": VERBS[3], "since": "2000-01-01T00:00:00Z"}, "lrs_st_org_verb"),
        ({"activity": "http://example.com/a/7"}, "lrs_st_org_activity"),
        ({"agent": '{"mbox": "mailto:p5@example.com"}'}, "lrs_st_org_actor"),
        ({"registration": "0b9a4c1e-4bde-4f11-9d5c-1f0a4f6c2d10"}, "lrs_st_org_registration"),
        ({}, "lrs_st_org_stored"),
    ],
)
def test_a_filtered_page_reads_an_index_that_leads_with_the_organisation(params, index):
    organisations = [OrganisationFactory() for _ in range(3)]
    for organisation in organisations:
        client, _secret = make_lrs_client(organisation)
        with organisation_scope(organisation.pk):
            _fill(organisation, client, 4000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE lrs_statement")
    organisation = organisations[1]
    with organisation_scope(organisation.pk):
        client = selectors.lrs_clients(organisation=organisation).get()
        query = selectors.parse_query({**params, "limit": "100"})
        rows = selectors.statements_matching(client, query).order_by("-stored", "-pk")[:101]
        plan = rows.explain()
    assert index in plan, plan


def test_a_document_ids_list_reads_the_index_that_leads_with_the_organisation():
    from lrs import documents
    from lrs.models import Document

    organisations = [OrganisationFactory() for _ in range(3)]
    now = timezone.now()
    for organisation in organisations:
        with organisation_scope(organisation.pk):
            rows = []
            for i in range(3000):
                place = documents.activity_profile_place(
                    activity_id=f"http://example.com/a/{i % 300}"
                )
                rows.append(
                    Document(
                        organisation=organisation,
                        kind=place.kind,
                        document_id=f"p{i}",
                        activity_id=place.activity_id,
                        address=place.address(f"p{i}"),
                        collection=place.collection,
                        content=b"{}",
                        content_type="application/json",
                        etag=documents.etag_of(b"{}"),
                        updated=now - dt.timedelta(minutes=i),
                    )
                )
            Document.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE lrs_document")
    organisation = organisations[1]
    place = documents.activity_profile_place(activity_id="http://example.com/a/7")
    with organisation_scope(organisation.pk):
        plan = (
            documents._in_place(organisation, place)  # what document_ids reads
            .filter(updated__gt=now - dt.timedelta(days=1))
            .explain()
        )
    assert "lrs_doc_org_collection" in plan, plan
