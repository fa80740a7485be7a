"""The statements resource over HTTP: versions, credentials, PUT/POST/GET/HEAD, voiding, paging."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from django.utils.http import parse_http_date

from lrs import services
from lrs.models import Statement, StatementLink
from organisations.tenancy import organisation_scope
from tests.lrs.conftest import READ_ALL, READ_OWN, WRITE, Xapi, make_lrs_client, new_id, statement

pytestmark = pytest.mark.django_db

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def stored_count(organisation) -> int:
    with organisation_scope(organisation.pk):
        return Statement.objects.filter(organisation=organisation).count()


def void(statement_id: str) -> dict:
    return statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": statement_id})


# --- Versions and credentials ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "answered"), [("1.0.3", "1.0.3"), ("1.0", "1.0.3"), ("2.0.0", "2.0.0")]
)
def test_statement_round_trips_at_each_version(organisation, lrs_client, sent, answered):
    client, secret = lrs_client
    xapi = Xapi(organisation, client.key, secret, version=sent)
    sent_statement = statement(timestamp="2024-05-01T09:30:00.000Z")
    response = xapi.post(sent_statement)
    assert response.status_code == 200
    assert response["X-Experience-API-Version"] == answered
    [statement_id] = response.json()

    response = xapi.get({"statementId": statement_id})
    assert response.status_code == 200
    assert response["X-Experience-API-Version"] == answered
    got = response.json()
    assert got["id"] == statement_id
    for key in ("actor", "verb", "object", "timestamp"):
        assert got[key] == sent_statement[key]
    assert got["version"] == ("2.0.0" if sent.startswith("2") else "1.0.0")
    assert got["authority"]["account"]["name"] == client.key
    assert got["stored"].endswith("Z")


def test_a_request_without_the_version_header_is_refused(xapi):
    response = xapi.post(statement(), version=False)
    assert response.status_code == 400
    assert "X-Experience-API-Version" in response.json()["error"]["message"]


@pytest.mark.parametrize("version", ["0.95", "1.1.0", "2.1.0", "3.0.0", "latest"])
def test_an_unsupported_version_is_refused(xapi, version):
    response = xapi.get(version=version)
    assert response.status_code == 400
    assert version in response.json()["error"]["message"]


def test_no_wrong_or_revoked_credentials_get_401_with_a_challenge(organisation, lrs_client):
    client, secret = lrs_client
    anonymous = Xapi(organisation, "", "")
    anonymous.client.defaults.pop("HTTP_AUTHORIZATION", None)
    for caller in (
        anonymous,
        Xapi(organisation, client.key, secret + "x"),
        Xapi(organisation, "lrs_unknown", secret),
    ):
        response = caller.get()
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic")
    assert Xapi(organisation, client.key, secret).get().status_code == 200
    with organisation_scope(organisation.pk):
        services.lrs_client_revoke(client=client, by=client.created_by)
    response = Xapi(organisation, client.key, secret).get()
    assert response.status_code == 401
    assert "WWW-Authenticate" in response


def test_the_secret_is_stored_hashed(lrs_client):
    client, secret = lrs_client
    assert secret not in client.secret_hash
    assert client.secret_hash.startswith("lrs_pbkdf2_sha256$")


def test_a_client_of_another_organisation_sees_nothing_there(organisation, other_organisation):
    ours, our_secret = make_lrs_client(organisation)
    theirs, their_secret = make_lrs_client(other_organisation)
    Xapi(other_organisation, theirs.key, their_secret).post(statement())
    at_theirs = Xapi(other_organisation, ours.key, our_secret)
    for response in (at_theirs.get(), at_theirs.post(statement())):
        assert response.status_code == 401
        assert b"statements" not in response.content
    assert stored_count(other_organisation) == 1
    # At its own organisation the same client sees none of theirs.
    assert Xapi(organisation, ours.key, our_secret).get().json()["statements"] == []


def test_an_unknown_organisation_answers_json_404(lrs_client):
    client, secret = lrs_client
    response = Xapi(type("O", (), {"slug": "nobody-here"}), client.key, secret).get()
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


# --- Scopes -------------------------------------------------------------------------------


def test_a_write_only_client_cannot_read(organisation):
    client, secret = make_lrs_client(organisation, scopes=[WRITE])
    xapi = Xapi(organisation, client.key, secret)
    [statement_id] = xapi.post(statement()).json()
    assert xapi.get().status_code == 403
    assert xapi.get({"statementId": statement_id}).status_code == 403


def test_a_read_only_client_cannot_write(organisation):
    client, secret = make_lrs_client(organisation, scopes=[READ_ALL])
    xapi = Xapi(organisation, client.key, secret)
    assert xapi.post(statement()).status_code == 403
    assert xapi.put(statement(), new_id()).status_code == 403
    assert stored_count(organisation) == 0


def test_a_read_own_client_sees_only_the_statements_it_sent(organisation, xapi):
    [others] = xapi.post(statement()).json()
    own_client, secret = make_lrs_client(organisation, scopes=[READ_OWN, WRITE], name="Own")
    own = Xapi(organisation, own_client.key, secret)
    [mine] = own.post(statement()).json()
    assert [s["id"] for s in own.get().json()["statements"]] == [mine]
    assert own.get({"statementId": others}).status_code == 404
    assert own.get({"statementId": mine}).status_code == 200
    assert {s["id"] for s in xapi.get().json()["statements"]} == {mine, others}


# --- PUT and POST --------------------------------------------------------------------------


def test_put_stores_under_the_given_id_and_accepts_the_same_statement_again(organisation, xapi):
    statement_id = new_id()
    body = statement()
    assert xapi.put(body, statement_id).status_code == 204
    assert xapi.put(body, statement_id).status_code == 204
    # The same statement with another timestamp is still the same (comparison rules).
    assert xapi.put({**body, "timestamp": "2020-01-01T00:00:00Z"}, statement_id).status_code == 204
    assert stored_count(organisation) == 1
    assert xapi.get({"statementId": statement_id}).json()["id"] == statement_id


def test_put_of_a_different_statement_under_a_used_id_is_a_conflict(organisation, xapi):
    statement_id = new_id()
    xapi.put(statement(), statement_id)
    other = statement(verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    response = xapi.put(other, statement_id)
    assert response.status_code == 409
    assert statement_id in response.json()["error"]["message"]
    got = xapi.get({"statementId": statement_id}).json()
    assert got["verb"]["id"].endswith("/completed")


def test_put_needs_a_statement_id_that_agrees_with_the_body(xapi):
    response = xapi.client.put(
        xapi.url,
        json.dumps(statement()),
        content_type="application/json",
        headers=xapi.headers(None, None),
    )
    assert response.status_code == 400
    assert "statementId" in response.json()["error"]["message"]
    assert xapi.put(statement(id=new_id()), new_id()).status_code == 400
    assert xapi.put(statement(), "not-a-uuid").status_code == 400
    assert xapi.put([statement()], new_id()).status_code == 400


def test_post_of_a_batch_returns_the_ids_in_order(organisation, xapi):
    given = new_id()
    response = xapi.post([statement(), statement(id=given), statement()])
    assert response.status_code == 200
    ids = response.json()
    assert len(ids) == 3 and ids[1] == given
    assert stored_count(organisation) == 3


def test_a_batch_with_one_invalid_statement_stores_none_of_it(organisation, xapi):
    broken = statement(actor={"mbox": "ann@example.com"})
    response = xapi.post([statement(), statement(), broken])
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "statements[2].actor.mbox" in message and "mailto:" in message
    assert stored_count(organisation) == 0


def test_a_batch_with_one_conflicting_id_stores_none_of_it(organisation, xapi):
    used = new_id()
    xapi.put(statement(), used)
    different = statement(id=used, verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    response = xapi.post([statement(), different])
    assert response.status_code == 409
    assert stored_count(organisation) == 1


def test_malformed_json_is_a_400(xapi):
    response = xapi.post("{not json", raw=True)
    assert response.status_code == 400


def test_a_body_that_is_not_json_is_refused(organisation, xapi):
    response = xapi.client.post(
        xapi.url,
        json.dumps(statement()),
        content_type="text/plain",
        headers=xapi.headers(None, None),
    )
    assert response.status_code == 400
    assert "Content-Type" in response.json()["error"]["message"]
    assert stored_count(organisation) == 0


def test_every_response_names_a_version(organisation, xapi):
    assert xapi.post(statement(), version=False)["X-Experience-API-Version"] == "1.0.3"
    response = Xapi(organisation, "lrs_nobody", "x").get()
    assert response.status_code == 401
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_the_lrs_sets_authority_whatever_the_client_sends(xapi, lrs_client):
    claimed = {"objectType": "Agent", "mbox": "mailto:boss@example.com"}
    [statement_id] = xapi.post(statement(authority=claimed)).json()
    got = xapi.get({"statementId": statement_id}).json()
    assert got["authority"]["account"]["name"] == lrs_client[0].key


def test_post_takes_no_query_parameters(xapi):
    response = xapi.client.post(
        xapi.url + "?statementId=" + new_id(),
        json.dumps(statement()),
        content_type="application/json",
        headers=xapi.headers(None, None),
    )
    assert response.status_code == 400


def test_other_methods_are_not_allowed(xapi):
    response = xapi.client.delete(xapi.url, headers=xapi.headers(None, None))
    assert response.status_code == 405


# --- Single GET, HEAD, headers ------------------------------------------------------------------


def test_single_get_has_last_modified_and_consistent_through(xapi):
    [statement_id] = xapi.post(statement()).json()
    response = xapi.get({"statementId": statement_id})
    stored = dt.datetime.fromisoformat(response.json()["stored"].replace("Z", "+00:00"))
    assert abs(parse_http_date(response["Last-Modified"]) - stored.timestamp()) < 1
    consistent = response["X-Experience-API-Consistent-Through"]
    assert dt.datetime.fromisoformat(consistent.replace("Z", "+00:00")) >= stored


def test_query_has_consistent_through(xapi):
    response = xapi.get()
    assert response.status_code == 200
    assert "X-Experience-API-Consistent-Through" in response


def test_head_answers_like_get_without_a_body(xapi):
    [statement_id] = xapi.post(statement()).json()
    response = xapi.head({"statementId": statement_id})
    assert response.status_code == 200
    assert response.content == b""
    assert "Last-Modified" in response
    assert xapi.head({"statementId": new_id()}).status_code == 404


def test_unknown_statement_id_is_404(xapi):
    assert xapi.get({"statementId": new_id()}).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"statementId": "nope"},
        {"statementId": "x", "voidedStatementId": "y"},
        {"statementId": "3e1b2f6c-6a61-4a3b-9c0f-3d0b9f1b7a10", "verb": "http://a/b"},
        {"verb": "completed"},
        {"activity": "no iri"},
        {"registration": "123"},
        {"since": "yesterday"},
        {"limit": "many"},
        {"limit": "-1"},
        {"format": "full"},
        {"ascending": "yes"},
        {"agent": "ann@example.com"},
        {"agent": '{"name": "Ann"}'},
        {"colour": "red"},
        {"more": "forged"},
    ],
)
def test_bad_query_parameters_are_a_400_naming_them(xapi, params):
    response = xapi.get(params)
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert any(name in message for name in params)


# --- Voiding ------------------------------------------------------------------------------


def test_a_voided_statement_leaves_queries_and_is_found_by_voided_id_only(xapi):
    [target] = xapi.post(statement()).json()
    [voiding] = xapi.post(void(target)).json()
    assert xapi.get({"statementId": target}).status_code == 404
    got = xapi.get({"voidedStatementId": target})
    assert got.status_code == 200 and got.json()["id"] == target
    ids = [s["id"] for s in xapi.get().json()["statements"]]
    assert ids == [voiding]
    # The voiding statement itself is an ordinary statement.
    assert xapi.get({"statementId": voiding}).status_code == 200
    assert xapi.get({"voidedStatementId": voiding}).status_code == 404


def test_a_statement_not_voided_is_not_found_by_voided_id(xapi):
    [target] = xapi.post(statement()).json()
    assert xapi.get({"voidedStatementId": target}).status_code == 404


def test_a_voiding_statement_cannot_be_voided(organisation, xapi):
    [target] = xapi.post(statement()).json()
    [voiding] = xapi.post(void(target)).json()
    response = xapi.post(void(voiding))
    assert response.status_code == 400
    assert "cannot be voided" in response.json()["error"]["message"]
    assert xapi.get({"statementId": voiding}).status_code == 200


def test_voiding_an_unknown_statement_is_accepted(xapi):
    assert xapi.post(void(new_id())).status_code == 200


def test_voiding_in_the_same_batch(xapi):
    target = new_id()
    xapi.post([statement(id=target), void(target)])
    assert xapi.get({"voidedStatementId": target}).status_code == 200


# --- Query filters ----------------------------------------------------------------------------

BOB = {"objectType": "Agent", "account": {"homePage": "https://hr.example", "name": "bob"}}
COURSE = "http://example.com/course"


def _filter_world(xapi):
    registration = new_id()
    ids = {}
    [ids["ann"]] = xapi.post(statement()).json()
    [ids["bob"]] = xapi.post(statement(actor=BOB)).json()
    [ids["about_bob"]] = xapi.post(
        statement(verb={"id": "http://adlnet.gov/expapi/verbs/mentored"}, object=BOB)
    ).json()
    [ids["in_course"]] = xapi.post(
        statement(
            object={"id": "http://example.com/activities/unit-2"},
            context={
                "registration": registration,
                "contextActivities": {"parent": {"id": COURSE}},
                "instructor": BOB,
            },
        )
    ).json()
    return ids, registration


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {s["id"] for s in response.json()["statements"]}


def test_filters_by_agent_verb_activity_and_registration(xapi):
    ids, registration = _filter_world(xapi)
    bob = json.dumps(BOB)
    assert _ids(xapi.get({"agent": bob})) == {ids["bob"], ids["about_bob"]}
    assert _ids(xapi.get({"agent": bob, "related_agents": "true"})) == {
        ids["bob"],
        ids["about_bob"],
        ids["in_course"],
    }
    assert _ids(xapi.get({"verb": "http://adlnet.gov/expapi/verbs/mentored"})) == {ids["about_bob"]}
    unit = "http://example.com/activities/unit-1"
    assert _ids(xapi.get({"activity": unit})) == {ids["ann"], ids["bob"]}
    assert _ids(xapi.get({"activity": COURSE})) == set()
    assert _ids(xapi.get({"activity": COURSE, "related_activities": "true"})) == {ids["in_course"]}
    assert _ids(xapi.get({"registration": registration})) == {ids["in_course"]}
    ann = json.dumps({"mbox": "mailto:ANN@example.com"})
    assert _ids(xapi.get({"agent": ann, "verb": "http://adlnet.gov/expapi/verbs/completed"})) == {
        ids["ann"],
        ids["in_course"],
    }


def test_since_until_limit_and_ascending(organisation, xapi):
    ids = [xapi.post(statement()).json()[0] for _ in range(3)]
    with organisation_scope(organisation.pk):
        rows = {str(r.statement_id): r for r in Statement.objects.filter(organisation=organisation)}
        base = timezone.now() - dt.timedelta(hours=3)
        for hours, statement_id in enumerate(ids):
            Statement.objects.filter(pk=rows[statement_id].pk).update(
                stored=base + dt.timedelta(hours=hours)
            )
    middle = (base + dt.timedelta(hours=1)).isoformat()
    assert _ids(xapi.get({"since": middle})) == {ids[2]}
    assert _ids(xapi.get({"until": middle})) == {ids[0], ids[1]}
    newest_first = [s["id"] for s in xapi.get().json()["statements"]]
    assert newest_first == ids[::-1]
    oldest_first = [s["id"] for s in xapi.get({"ascending": "true"}).json()["statements"]]
    assert oldest_first == ids
    assert [s["id"] for s in xapi.get({"limit": "1"}).json()["statements"]] == [ids[2]]


def test_format_ids_and_canonical(xapi):
    [statement_id] = xapi.post(
        statement(actor={"objectType": "Agent", "name": "Ann", "mbox": "mailto:ann@example.com"})
    ).json()
    got = xapi.get({"statementId": statement_id, "format": "ids"}).json()
    assert got["actor"] == {"objectType": "Agent", "mbox": "mailto:ann@example.com"}
    assert got["object"] == {"objectType": "Activity", "id": "http://example.com/activities/unit-1"}
    exact = xapi.get({"statementId": statement_id, "format": "exact"}).json()
    assert exact["object"]["definition"]["name"] == {"en-US": "Unit 1", "nl-NL": "Eenheid 1"}
    canonical = xapi.get(
        {"statementId": statement_id, "format": "canonical"}, headers={"Accept-Language": "nl"}
    ).json()
    assert canonical["object"]["definition"]["name"] == {"nl-NL": "Eenheid 1"}
    assert canonical["actor"]["name"] == "Ann"
    listed = xapi.get({"format": "ids"}).json()["statements"][0]
    assert "definition" not in listed["object"]


# --- Paging with more ------------------------------------------------------------------------


def test_more_pages_stay_stable_while_statements_arrive(xapi):
    first_ids = xapi.post([statement() for _ in range(5)]).json()
    page = xapi.get({"limit": "2"}).json()
    seen = [s["id"] for s in page["statements"]]
    arrived = xapi.post([statement() for _ in range(3)]).json()
    while page["more"]:
        more = urlsplit(page["more"])
        assert more.path == xapi.url
        page = xapi.get(url=page["more"]).json()
        seen += [s["id"] for s in page["statements"]]
        xapi.post(statement())
    assert sorted(seen) == sorted(first_ids)
    assert len(seen) == len(set(seen)) == 5
    assert not set(arrived) & set(seen)


def test_more_keeps_the_query_and_format(xapi):
    xapi.post([statement() for _ in range(3)])
    xapi.post(statement(verb={"id": "http://adlnet.gov/expapi/verbs/failed"}))
    page = xapi.get(
        {"limit": "1", "verb": "http://adlnet.gov/expapi/verbs/completed", "format": "ids"}
    ).json()
    count = 1
    while page["more"]:
        page = xapi.get(url=page["more"]).json()
        count += len(page["statements"])
        for s in page["statements"]:
            assert s["verb"]["id"].endswith("/completed")
            assert "definition" not in s["object"]
    assert count == 3


def test_a_more_cursor_of_another_client_is_refused(organisation, xapi):
    xapi.post([statement() for _ in range(2)])
    more = xapi.get({"limit": "1"}).json()["more"]
    other_client, secret = make_lrs_client(organisation, name="Other")
    response = Xapi(organisation, other_client.key, secret).get(url=more)
    assert response.status_code == 400


# --- Storage -------------------------------------------------------------------------------


def test_stored_columns_and_links(organisation, xapi):
    ids, registration = _filter_world(xapi)
    with organisation_scope(organisation.pk):
        row = Statement.objects.get(organisation=organisation, statement_id=ids["in_course"])
        links = set(
            StatementLink.objects.filter(organisation=organisation, statement=row).values_list(
                "kind", "value"
            )
        )
    assert row.verb == "http://adlnet.gov/expapi/verbs/completed"
    assert row.activity == "http://example.com/activities/unit-2"
    assert row.actor == "mbox:mailto:ann@example.com"
    assert str(row.registration) == registration
    assert ("activity", COURSE) in links
    assert ("agent", "account:https://hr.example|bob") in links


def test_a_filtered_query_runs_in_a_fixed_number_of_queries(xapi, django_assert_max_num_queries):
    xapi.post([statement() for _ in range(30)])
    # The organisation (with its RLS setting), the client, one page of statements; in a
    # test the request's transaction is a savepoint that also saves and restores settings.
    with django_assert_max_num_queries(7):
        response = xapi.get({"verb": "http://adlnet.gov/expapi/verbs/completed", "limit": "20"})
    assert len(response.json()["statements"]) == 20


def test_a_batch_is_stored_in_a_fixed_number_of_queries(
    organisation, xapi, django_assert_max_num_queries
):
    # The organisation, the client, the ids stored already, one insert of statements and
    # one of links in a savepoint (in a test the request's transaction is a savepoint too,
    # saving and restoring the settings), the members the actors may be (lrs.intake):
    # the same for any batch size.
    with django_assert_max_num_queries(12):
        response = xapi.post([statement() for _ in range(50)])
    assert len(response.json()) == 50
    assert stored_count(organisation) == 50


def test_limit_zero_means_the_servers_maximum(xapi):
    xapi.post([statement() for _ in range(3)])
    assert len(xapi.get({"limit": "0"}).json()["statements"]) == 3


ATTACHMENT = {
    "usageType": "http://id.tincanapi.com/attachment/certificate",
    "display": {"en": "Certificate"},
    "contentType": "application/pdf",
    "length": 1024,
    "sha2": "a" * 64,
}


def test_an_attachment_with_a_file_url_is_stored(xapi):
    attachment = {**ATTACHMENT, "fileUrl": "https://example.com/certificate.pdf"}
    [statement_id] = xapi.post(statement(attachments=[attachment])).json()
    got = xapi.get({"statementId": statement_id}).json()
    assert got["attachments"] == [attachment]


def test_an_attachment_without_its_data_is_refused(organisation, xapi):
    response = xapi.post([statement(), statement(attachments=[ATTACHMENT])])
    assert response.status_code == 400
    assert "statements[1].attachments[0]" in response.json()["error"]["message"]
    assert stored_count(organisation) == 0
