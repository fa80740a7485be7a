"""Attachments: statements with their octets in multipart/mixed, stored once per organisation
and hash, answered in multipart/mixed with ``attachments=true``."""

from __future__ import annotations

import json

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django_scopes import scopes_disabled

from lrs.models import AttachmentData, Statement
from organisations.tenancy import organisation_scope
from tests.factories import OrganisationFactory
from tests.lrs.conftest import Xapi, make_lrs_client, new_id, statement
from tests.lrs.multipart_kit import (
    BOUNDARY,
    attachment,
    body,
    parse_mixed,
    part,
    post_mixed,
    sha256,
)

pytestmark = pytest.mark.django_db

ESSAY = b"here is a simple attachment"
PICTURE = bytes(range(256)) * 8 + b"\r\n--not-the-boundary\r\n\x00\xff"  # any octets at all


def stored(organisation) -> tuple[int, int]:
    with organisation_scope(organisation.pk):
        return (
            Statement.objects.filter(organisation=organisation).count(),
            AttachmentData.objects.filter(organisation=organisation).count(),
        )


# --- Storing -----------------------------------------------------------------------------


def test_a_statement_with_its_attachment_is_stored_and_read_back(organisation, xapi):
    sent = statement(attachments=[attachment(PICTURE, contentType="image/png")])
    response = post_mixed(xapi, body(sent, part(PICTURE, content_type="image/png")))
    assert response.status_code == 200, response.content
    [statement_id] = response.json()

    plain = xapi.get({"statementId": statement_id})
    assert plain["Content-Type"] == "application/json"
    assert plain.json()["attachments"] == sent["attachments"]

    mixed = xapi.get({"statementId": statement_id, "attachments": "true"})
    assert mixed.status_code == 200
    assert mixed["X-Experience-API-Version"] == "1.0.3"
    assert "Last-Modified" in mixed
    got, parts = parse_mixed(mixed)
    assert got["id"] == statement_id
    [(headers, data)] = parts
    assert data == PICTURE
    assert headers["x-experience-api-hash"] == sha256(PICTURE)
    assert headers["content-transfer-encoding"] == "binary"
    assert headers["content-type"] == "image/png"


def test_the_specifications_example_request_is_accepted(organisation, xapi):
    # Communication 1.5.2's example: no space after the colons, charset on the object only.
    raw = (
        b"--abcABC0123'()+_,-./:=?\r\nContent-Type:application/json\r\n\r\n"
        + json.dumps(statement(attachments=[attachment(ESSAY)])).encode()
        + b"\r\n--abcABC0123'()+_,-./:=?\r\nContent-Type:text/plain\r\n"
        b"Content-Transfer-Encoding:binary\r\n"
        b"X-Experience-API-Hash:" + sha256(ESSAY).encode() + b"\r\n\r\n" + ESSAY + b"\r\n"
        b"--abcABC0123'()+_,-./:=?--"
    )
    response = post_mixed(xapi, raw)
    assert response.status_code == 200, response.content
    assert stored(organisation) == (1, 1)


def test_a_put_with_its_attachment_is_stored(organisation, xapi):
    statement_id = new_id()
    sent = statement(attachments=[attachment(ESSAY)])
    response = post_mixed(xapi, body(sent, part(ESSAY)), statement_id=statement_id)
    assert response.status_code == 204, response.content
    _got, [(_headers, data)] = parse_mixed(
        xapi.get({"statementId": statement_id, "attachments": "true"})
    )
    assert data == ESSAY


def test_the_same_file_in_many_statements_is_stored_once(organisation, xapi):
    batch = [statement(attachments=[attachment(ESSAY)]) for _ in range(3)]
    assert post_mixed(xapi, body(batch, part(ESSAY))).status_code == 200
    # Sent again later, with another statement: still one row.
    again = statement(attachments=[attachment(ESSAY)])
    assert post_mixed(xapi, body(again, part(ESSAY))).status_code == 200
    assert stored(organisation) == (4, 1)

    got, parts = parse_mixed(xapi.get({"attachments": "true"}))
    assert len(got["statements"]) == 4
    assert [data for _headers, data in parts] == [ESSAY]


def test_an_attachment_with_only_a_file_url_needs_no_part(organisation, xapi):
    remote = attachment(PICTURE, fileUrl="https://example.com/picture.png")
    local = attachment(ESSAY)
    sent = statement(attachments=[remote, local])
    assert post_mixed(xapi, body(sent, part(ESSAY))).status_code == 200
    # And as plain JSON, a statement whose attachments all have a fileUrl.
    assert xapi.post(statement(attachments=[remote])).status_code == 200

    got, parts = parse_mixed(xapi.get({"attachments": "true", "ascending": "true"}))
    assert [s["attachments"] for s in got["statements"]] == [[remote, local], [remote]]
    assert [data for _headers, data in parts] == [ESSAY]


def test_a_part_for_an_attachment_with_a_file_url_is_kept(organisation, xapi):
    remote = attachment(ESSAY, fileUrl="https://example.com/essay.txt")
    assert post_mixed(xapi, body(statement(attachments=[remote]), part(ESSAY))).status_code == 200
    assert stored(organisation) == (1, 1)


def test_a_sub_statements_attachment_is_matched_too(organisation, xapi):
    inner = statement(objectType="SubStatement", attachments=[attachment(ESSAY)])
    sent = statement(object=inner)
    response = post_mixed(xapi, body(sent, part(ESSAY)))
    assert response.status_code == 200, response.content
    _got, [(_headers, data)] = parse_mixed(
        xapi.get({"statementId": response.json()[0], "attachments": "true"})
    )
    assert data == ESSAY


def test_multipart_without_attachments_is_accepted(organisation, xapi):
    assert post_mixed(xapi, body([statement(), statement()])).status_code == 200
    assert stored(organisation) == (2, 0)


def test_a_query_with_attachments_pages_on_in_multipart(organisation, xapi):
    batch = [statement(attachments=[attachment(bytes([i]) * 10)]) for i in range(3)]
    parts = [part(bytes([i]) * 10) for i in range(3)]
    assert post_mixed(xapi, body(batch, *parts)).status_code == 200
    got, first_parts = parse_mixed(xapi.get({"attachments": "true", "limit": "2"}))
    assert len(got["statements"]) == 2 and len(first_parts) == 2
    more, last_parts = parse_mixed(xapi.get(url=got["more"]))
    assert len(more["statements"]) == 1 and len(last_parts) == 1
    assert more["more"] == ""


def test_attachments_false_answers_json_without_octets(organisation, xapi):
    post_mixed(xapi, body(statement(attachments=[attachment(ESSAY)]), part(ESSAY)))
    response = xapi.get({"attachments": "false"})
    assert response["Content-Type"] == "application/json"
    assert ESSAY not in response.content
    assert response.json()["statements"][0]["attachments"][0]["sha2"] == sha256(ESSAY)


# --- Refused ----------------------------------------------------------------------------------


OTHER = b"another file"
B = b"--" + BOUNDARY.encode()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        # A part missing: the attachment has neither its octets nor a fileUrl.
        (lambda: body(statement(attachments=[attachment(ESSAY)])), "no fileUrl"),
        # A part too many: it belongs to no attachment.
        (
            lambda: body(statement(attachments=[attachment(ESSAY)]), part(ESSAY), part(OTHER)),
            "belongs to no attachment",
        ),
        # The hash header is not that of the octets.
        (
            lambda: body(
                statement(attachments=[attachment(ESSAY)]), part(OTHER, sha2=sha256(ESSAY))
            ),
            "not the SHA-2 of its data",
        ),
        # The hash header is missing.
        (
            lambda: body(statement(attachments=[attachment(ESSAY)]), part(ESSAY, sha2=False)),
            "X-Experience-API-Hash",
        ),
        # An encoding other than binary.
        (
            lambda: body(
                statement(attachments=[attachment(ESSAY)]), part(ESSAY, encoding="base64")
            ),
            "Content-Transfer-Encoding",
        ),
        # The statements part is not JSON.
        (lambda: body(statement(), first_type="text/plain"), "application/json"),
        # No closing delimiter.
        (lambda: body(statement(), part(ESSAY)).removesuffix(b"--\r\n")[:-30], "closing"),
        # No boundary in the body at all.
        (lambda: b'{"actor": {}}', "no multipart boundary"),
        # A part without the blank line after its headers.
        (
            lambda: (
                B
                + b"\r\nContent-Type: application/json\r\n\r\n"
                + json.dumps(statement()).encode()
                + b"\r\n"
                + B
                + b"\r\nContent-Type: text/plain\r\n"
                + B
                + b"--"
            ),
            "no blank line after its headers",
        ),
    ],
    ids=[
        "missing-part",
        "extra-part",
        "wrong-hash",
        "no-hash",
        "not-binary",
        "first-part-not-json",
        "unterminated",
        "no-boundary",
        "malformed-part",
    ],
)
def test_a_malformed_multipart_request_is_refused_and_stores_nothing(
    organisation, xapi, make, message
):
    response = post_mixed(xapi, make())
    assert response.status_code == 400, response.content
    assert message in response.json()["error"]["message"]
    assert stored(organisation) == (0, 0)


def test_a_batch_with_one_bad_attachment_stores_none_of_it(organisation, xapi):
    good = statement(attachments=[attachment(ESSAY)])
    bad = statement(attachments=[attachment(OTHER)])  # its part is missing
    response = post_mixed(xapi, body([good, bad], part(ESSAY)))
    assert response.status_code == 400
    assert "statements[1].attachments[0]" in response.json()["error"]["message"]
    assert stored(organisation) == (0, 0)


def test_a_multipart_content_type_without_boundary_is_refused(xapi):
    response = xapi.client.post(
        xapi.url,
        body(statement()),
        content_type="multipart/mixed",
        headers=xapi.headers(None, None),
    )
    assert response.status_code == 400
    assert "boundary" in response.json()["error"]["message"]


@override_settings(LRS_REQUEST_MAX_BYTES=2048)
def test_a_request_over_the_limit_gets_413(organisation, xapi):
    big = b"x" * 4096
    response = post_mixed(xapi, body(statement(attachments=[attachment(big)]), part(big)))
    assert response.status_code == 413
    assert stored(organisation) == (0, 0)


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("text/plain", b"{}"),
        ("application/xml", b"<statement/>"),
        ("multipart/form-data; boundary=x", b"--x--"),
        ("application/x-www-form-urlencoded", b"content=%7B%7D"),  # no method: not alternate
    ],
)
def test_an_unsupported_content_type_is_refused_with_a_clear_message(
    organisation, xapi, content_type, data
):
    response = xapi.client.post(
        xapi.url, data, content_type=content_type, headers=xapi.headers(None, None)
    )
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "Content-Type" in message and "application/json" in message
    assert stored(organisation) == (0, 0)


def test_a_put_with_an_unsupported_content_type_is_refused(xapi):
    response = xapi.client.put(
        f"{xapi.url}?statementId={new_id()}",
        b"{}",
        content_type="text/plain",
        headers=xapi.headers(None, None),
    )
    assert response.status_code == 400
    assert "Content-Type" in response.json()["error"]["message"]


def test_unsafe_text_in_the_statements_part_is_refused(organisation, xapi):
    sent = statement(result={"response": "a\u0000b"})
    response = post_mixed(xapi, body(sent))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unsafe_text"


def test_json_nested_beyond_any_parser_in_the_statements_part_is_refused(xapi):
    deep = b"[" * 100_000 + b"]" * 100_000
    payload = B + b"\r\nContent-Type: application/json\r\n\r\n" + deep + b"\r\n" + B + b"--"
    response = post_mixed(xapi, payload)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_deep"


# --- Queries and tenancy ----------------------------------------------------------------------


def test_a_batch_with_attachments_is_stored_in_a_fixed_number_of_queries(
    organisation, xapi, django_assert_max_num_queries
):
    files = [bytes([i]) * 100 for i in range(10)]
    batch = [statement(attachments=[attachment(f)]) for f in files]
    # As a batch without attachments (12, with the intake's member lookup), plus one insert
    # of all attachment rows.
    with django_assert_max_num_queries(13):
        response = post_mixed(xapi, body(batch, *[part(f) for f in files]))
    assert response.status_code == 200
    assert stored(organisation) == (10, 10)


def test_a_page_with_attachments_costs_one_query_more(
    organisation, xapi, django_assert_max_num_queries
):
    files = [bytes([i]) * 100 for i in range(20)]
    batch = [statement(attachments=[attachment(f)]) for f in files]
    post_mixed(xapi, body(batch, *[part(f) for f in files]))
    # The filtered page's 7, plus one query for every attachment of the page.
    with django_assert_max_num_queries(8):
        response = xapi.get({"attachments": "true", "limit": "20"})
    _got, parts = parse_mixed(response)
    assert len(parts) == 20


def test_another_organisations_attachment_is_never_answered(organisation, other_organisation):
    theirs, their_secret = make_lrs_client(other_organisation)
    secret_file = b"their confidential certificate"
    sent = statement(attachments=[attachment(secret_file)])
    assert (
        post_mixed(
            Xapi(other_organisation, theirs.key, their_secret), body(sent, part(secret_file))
        ).status_code
        == 200
    )

    # Ours declares the same hash with a fileUrl only: the octets stay theirs.
    ours, our_secret = make_lrs_client(organisation)
    xapi = Xapi(organisation, ours.key, our_secret)
    declared = attachment(secret_file, fileUrl="https://example.com/x")
    assert xapi.post(statement(attachments=[declared])).status_code == 200
    response = xapi.get({"attachments": "true"})
    _got, parts = parse_mixed(response)
    assert parts == []
    assert secret_file not in response.content


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security: PostgreSQL")
def test_row_level_security_hides_another_organisations_attachments(
    organisation, other_organisation
):
    for org in (organisation, other_organisation):
        client, secret = make_lrs_client(org)
        data = f"file of {org.slug}".encode()
        post_mixed(
            Xapi(org, client.key, secret),
            body(statement(attachments=[attachment(data)]), part(data)),
        )

    def unfiltered():
        with scopes_disabled():
            return set(AttachmentData.objects.values_list("organisation_id", flat=True))

    assert unfiltered() == {organisation.pk, other_organisation.pk}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.rls_bypass', 'off', true)")
            cursor.execute(
                "SELECT set_config('app.organisation_id', %s, true)", [str(organisation.pk)]
            )
        seen = unfiltered()
        transaction.set_rollback(True)
    assert seen == {organisation.pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")
def test_the_attachments_of_a_page_are_found_by_the_index_that_leads_with_the_organisation():
    organisations = [OrganisationFactory() for _ in range(3)]
    for organisation in organisations:
        with organisation_scope(organisation.pk):
            AttachmentData.objects.bulk_create(
                AttachmentData(
                    organisation=organisation,
                    sha2=sha256(f"{organisation.pk}-{i}".encode()),
                    content_type="text/plain",
                    data=b"x",
                )
                for i in range(3000)
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE lrs_attachmentdata")
    organisation = organisations[1]
    hashes = [sha256(f"{organisation.pk}-{i}".encode()) for i in range(20)]
    with organisation_scope(organisation.pk):
        plan = AttachmentData.objects.filter(organisation=organisation, sha2__in=hashes).explain()
    assert "lrs_attachment_unique_sha2" in plan, plan
