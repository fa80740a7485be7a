"""Werkwijs's learning events as statements (the mirror) and other tools' statements as
learning events (the intake): idempotent, no e-mail in exports, no loops, one organisation."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics import services as analytics
from analytics.models import MemberState, TeamDailyCount
from analytics.selectors import coaching
from events.models import LearningEvent
from events.services import learning_event_record
from events.verbs import ADL, Category, Verb
from lrs import mirror, tasks
from lrs import vocabulary as vocab
from lrs.models import MirrorCheckpoint, Statement
from lrs.validation import check_statements
from organisations.tenancy import organisation_scope
from tests.conftest import make_member
from tests.factories import TeamFactory
from tests.lrs.conftest import Xapi, make_lrs_client, new_id, statement

pytestmark = pytest.mark.django_db

SETTLED = dt.timedelta(0)
PERFORMANCE = "http://adlnet.gov/expapi/activities/performance"


def run_mirror(organisation, **kwargs) -> int:
    with organisation_scope(organisation.pk):
        return mirror.events_mirror(organisation=organisation, settle=SETTLED, **kwargs)


def record(member, verb=Verb.COMPLETED, object_type="unit", object_id=7, **kwargs):
    with organisation_scope(member.organisation_id):
        return learning_event_record(
            actor=member, verb=verb, object_type=object_type, object_id=object_id, **kwargs
        )


def events_of(organisation):
    with organisation_scope(organisation.pk):
        return list(LearningEvent.objects.filter(organisation=organisation).order_by("id"))


def statement_rows(organisation):
    with organisation_scope(organisation.pk):
        return list(Statement.objects.filter(organisation=organisation).order_by("id"))


def by(member) -> dict:
    """An actor as another tool names a member: the account the mirror writes."""
    return vocab.member_account(member.pk)


# --- The mirror: events → statements ------------------------------------------------------


def test_mirrored_event_reads_back_through_the_statements_endpoint(xapi, organisation, member):
    event = record(member, result={"score": 4}, object_category="experience")
    run_mirror(organisation)

    response = xapi.get({"verb": ADL + "completed"})

    assert response.status_code == 200
    (found,) = response.json()["statements"]
    assert found["id"] == str(vocab.statement_id_for_event(event.pk))
    assert found["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert found["verb"]["display"] == {"en": "completed", "nl": "afgerond"}
    assert found["object"]["id"] == f"{settings.SITE_URL.rstrip('/')}/xapi/activities/unit/7"
    assert found["context"]["extensions"][vocab.CATEGORY_EXTENSION] == "experience"
    assert found["result"]["extensions"][vocab.RESULT_EXTENSION] == {"score": 4}
    assert found["authority"]["account"]["name"] == vocab.AUTHORITY_ACCOUNT
    # What the store serves is valid xAPI.
    check_statements([found], version="1.0.3")


def test_mirrored_actor_is_an_account_on_the_site_never_the_email(xapi, organisation, member):
    record(member)
    run_mirror(organisation)

    (found,) = xapi.get().json()["statements"]

    assert found["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": vocab.site_home_page(), "name": str(member.pk)},
    }
    assert member.user.email not in str(found)
    by_agent = xapi.get({"agent": json.dumps(by(member))})
    assert len(by_agent.json()["statements"]) == 1


def test_every_verb_maps_to_an_iri_adl_or_werkwijs(organisation, member):
    for verb in Verb:
        assert verb.iri.startswith((ADL, "https://werkwijs.nl/xapi/verbs/")), verb


def test_mirror_is_idempotent_a_second_run_and_a_lost_checkpoint_store_nothing_twice(
    xapi, organisation, member
):
    record(member)
    record(member, verb=Verb.VIEWED)

    assert run_mirror(organisation) == 2
    assert run_mirror(organisation) == 0
    with organisation_scope(organisation.pk):
        MirrorCheckpoint.objects.filter(organisation=organisation).update(
            last_event_id=0, last_stored_at=None
        )
    assert run_mirror(organisation) == 2  # read again ...

    assert len(statement_rows(organisation)) == 2  # ... stored once


def test_mirror_goes_on_from_its_checkpoint_in_batches(organisation, member, lrs_client):
    for n in range(5):
        record(member, object_id=n)

    assert run_mirror(organisation, batch_size=2) == 2
    assert run_mirror(organisation, batch_size=2) == 2
    assert run_mirror(organisation, batch_size=2) == 1
    assert run_mirror(organisation, batch_size=2) == 0
    assert len(statement_rows(organisation)) == 5


def test_mirror_waits_for_events_to_settle(organisation, member, lrs_client):
    record(member)
    with organisation_scope(organisation.pk):
        read = mirror.events_mirror(organisation=organisation, settle=dt.timedelta(minutes=5))
    assert read == 0


def test_organisation_without_lrs_client_is_not_mirrored(organisation, member):
    record(member)
    assert run_mirror(organisation) == 0
    assert statement_rows(organisation) == []


def test_mirror_costs_the_same_queries_for_one_event_or_many(organisation, member, lrs_client):
    record(member)
    run_mirror(organisation)  # the checkpoint exists from here on
    record(member)
    with CaptureQueriesContext(connection) as one:
        run_mirror(organisation)
    for n in range(30):
        record(member, object_id=n)
    with CaptureQueriesContext(connection) as many:
        assert run_mirror(organisation) == 30

    # organisation_scope included (its savepoint and setting): the same for any batch size.
    assert len(many.captured_queries) == len(one.captured_queries) <= 15


def test_mirror_task_runs_in_the_organisation(organisation, member, lrs_client):
    record(member)
    assert tasks.mirror_organisation(organisation.pk) == 1
    assert len(statement_rows(organisation)) == 1


def test_mirror_keeps_organisations_apart(organisation, other_organisation, member, lrs_client):
    outsider = make_member(other_organisation)
    _other_client, other_secret = make_lrs_client(other_organisation)
    record(member)
    record(outsider)
    run_mirror(organisation)
    run_mirror(other_organisation)

    mine = Xapi(organisation, lrs_client[0].key, lrs_client[1]).get().json()["statements"]
    theirs = Xapi(other_organisation, _other_client.key, other_secret).get().json()["statements"]

    assert [s["actor"]["account"]["name"] for s in mine] == [str(member.pk)]
    assert [s["actor"]["account"]["name"] for s in theirs] == [str(outsider.pk)]


def test_mirror_is_beat_scheduled():
    from config.celery import app

    assert "lrs.mirror_all" in {e["task"] for e in app.conf.beat_schedule.values()}


# --- The intake: statements → events ------------------------------------------------------


def on_the_job(member, **overrides):
    return statement(
        actor=by(member),
        object={
            "objectType": "Activity",
            "id": "https://tools.example.com/activities/forklift-shift",
            "definition": {"type": PERFORMANCE, "name": {"en-US": "Forklift shift"}},
        },
        **overrides,
    )


def test_outside_on_the_job_statement_counts_as_experience_in_the_coaching_view(xapi, organisation):
    team = TeamFactory(organisation=organisation)
    manager = make_member(organisation)
    team.manager = manager
    team.save()
    learner = make_member(organisation, team=team)

    response = xapi.post([on_the_job(learner)])
    assert response.status_code == 200
    statement_id = response.json()[0]

    (event,) = events_of(organisation)
    assert event.actor_id == learner.pk
    assert event.verb == Verb.APPLIED
    assert event.context["category"] == Category.EXPERIENCE
    assert event.context[vocab.STATEMENT_CONTEXT_KEY] == statement_id
    with organisation_scope(organisation.pk):
        analytics.organisation_rollup(organisation=organisation, settle=SETTLED)
        assert MemberState.objects.get(member=learner).events == 1
        assert TeamDailyCount.objects.get(member=learner).verb == Verb.APPLIED
        now = timezone.now()
        view = coaching.coaching_view(membership=manager, now=now, today=now.date())
    row = next(r for r in view.members if r.member.pk == learner.pk)
    assert row.mix.counts[Category.EXPERIENCE] == 1
    assert row.last_active == timezone.localtime(now, organisation.zone).date()


def test_outside_statement_by_mbox_of_a_member_counts(xapi, organisation):
    learner = make_member(organisation)
    actor = {"objectType": "Agent", "mbox": f"mailto:{learner.user.email.upper()}"}

    xapi.post(statement(actor=actor))  # completed, no activity type: formal

    (event,) = events_of(organisation)
    assert (event.actor_id, event.verb) == (learner.pk, Verb.COMPLETED)
    assert event.context["category"] == Category.FORMAL
    assert event.object_type == vocab.EXTERNAL_OBJECT_TYPE


@pytest.mark.parametrize(
    ("verb", "expected"),
    [
        (ADL + "attended", Verb.ATTENDED),
        (ADL + "passed", Verb.COMPLETED),
        (ADL + "experienced", Verb.VIEWED),
        (Verb.APPLIED.iri, Verb.APPLIED),
    ],
)
def test_known_verbs_map_to_werkwijs_verbs(xapi, organisation, verb, expected):
    learner = make_member(organisation)
    xapi.post(statement(actor=by(learner), verb={"id": verb}))
    assert [e.verb for e in events_of(organisation)] == [expected]


def test_category_extension_of_the_statement_wins(xapi, organisation):
    learner = make_member(organisation)
    body = statement(
        actor=by(learner), context={"extensions": {vocab.CATEGORY_EXTENSION: "social"}}
    )
    xapi.post(body)
    (event,) = events_of(organisation)
    assert (event.verb, event.context["category"]) == (Verb.ATTENDED, "social")


def test_unknown_verb_actor_or_object_is_stored_as_a_statement_only(
    xapi, organisation, other_organisation
):
    learner = make_member(organisation)
    outsider = make_member(other_organisation)
    bodies = [
        statement(actor=by(learner), verb={"id": "http://example.com/verbs/bookmarked"}),
        statement(actor=by(outsider)),  # a member of another organisation
        statement(actor={"objectType": "Agent", "mbox": "mailto:nobody@example.com"}),
        statement(actor=by(learner), object={"objectType": "Agent", "mbox": "mailto:a@b.c"}),
        statement(
            actor={
                **by(learner),
                "account": {"homePage": "https://x.example", "name": str(learner.pk)},
            }
        ),
    ]
    response = xapi.post(bodies)

    assert response.status_code == 200
    assert len(statement_rows(organisation)) == 5
    assert events_of(organisation) == []
    assert events_of(other_organisation) == []


def test_inactive_member_is_not_counted(xapi, organisation):
    learner = make_member(organisation, is_active=False)
    xapi.post(statement(actor=by(learner)))
    assert events_of(organisation) == []


def test_no_loops_taken_in_events_are_not_mirrored_and_own_statements_not_taken_in(
    xapi, organisation
):
    learner = make_member(organisation)
    xapi.post(on_the_job(learner))
    # Werkwijs's own statement, copied back by a tool under a new id.
    own = record(learner, object_id=3)
    run_mirror(organisation)
    (mirrored,) = [r for r in statement_rows(organisation) if r.client_id is None]
    assert mirrored.statement_id == vocab.statement_id_for_event(own.pk)
    copy = {k: v for k, v in mirrored.data.items() if k in ("actor", "verb", "object")}
    xapi.post({**copy, "id": new_id()})
    run_mirror(organisation)

    assert len(events_of(organisation)) == 2  # the intake's and Werkwijs's own, nothing more
    assert len(statement_rows(organisation)) == 3  # posted, mirrored, copied: no mirror of either


def test_a_failed_batch_records_no_event(xapi, organisation):
    learner = make_member(organisation)
    response = xapi.post([statement(actor=by(learner)), {"verb": "broken"}])
    assert response.status_code == 400
    assert events_of(organisation) == []


def test_intake_of_a_batch_costs_a_fixed_number_of_queries(xapi, organisation):
    learners = [make_member(organisation) for _ in range(5)]
    small = [statement(actor=by(m), id=new_id()) for m in learners[:1]]
    big = [statement(actor=by(m), id=new_id()) for m in learners for _ in range(10)]
    with CaptureQueriesContext(connection) as one:
        xapi.post(small)
    with CaptureQueriesContext(connection) as fifty:
        xapi.post(big)
    assert len(fifty.captured_queries) <= len(one.captured_queries) + 1
    assert len(events_of(organisation)) == 51


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security: PostgreSQL")
def test_mirror_checkpoints_are_behind_row_level_security(
    organisation, other_organisation, member, lrs_client
):
    from tests.lrs.test_rls import _as_app

    make_lrs_client(other_organisation)
    record(member)
    record(make_member(other_organisation))
    run_mirror(organisation)
    run_mirror(other_organisation)

    def raw():
        with connection.cursor() as cursor:
            cursor.execute("SELECT organisation_id FROM lrs_mirrorcheckpoint")
            return [row[0] for row in cursor.fetchall()]

    assert sorted(raw()) == sorted([organisation.pk, other_organisation.pk])
    assert _as_app(organisation.pk, raw) == [organisation.pk]


def test_outside_result_is_kept_apart_from_werkwijs_own_result_keys(xapi, organisation):
    learner = make_member(organisation)
    xapi.post(on_the_job(learner, result={"success": True, "score": {"scaled": 0.5}}))
    (event,) = events_of(organisation)
    # "success" at the top would count as an applied commitment in the HR report.
    assert event.result == {"xapi": {"success": True, "score_scaled": 0.5}}
