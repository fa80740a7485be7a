"""The apply nudge: "did you apply it?" after a commitment's date, answered in one click."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from events.models import LearningEvent
from microlearning.models import Commitment
from nudges.models import Nudge, NudgeRule, NudgeRuleTeam, OneClickAnswer
from nudges.rules import held_out
from nudges.services import apply
from nudges.services.delivery import nudge_words
from organisations.models import AuditLog
from organisations.tenancy import organisation_scope
from tests import factories

from .learner_support import deliver, nudges_of, plan, rule_of
from .mail_links import tracked_links

pytestmark = pytest.mark.django_db

DELAY = 2


@pytest.fixture(autouse=True)
def _unscoped():
    with scopes_disabled():
        yield


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def unit(organisation):
    return factories.UnitFactory(organisation=organisation, title="Giving feedback")


def commit(member, unit, *, due_days_ago: int, status=Commitment.Status.OPEN) -> Commitment:
    return Commitment.objects.create(
        organisation=member.organisation,
        member=member,
        unit=unit,
        version=unit.live_version,
        text="Ask one open question in every one-to-one",
        due_on=timezone.localdate() - dt.timedelta(days=due_days_ago),
        status=status,
    )


@pytest.fixture
def learner(organisation):
    return factories.MembershipFactory(
        organisation=organisation, user__first_name="Anna", user__language="en"
    )


@pytest.fixture
def rule(organisation):
    return rule_of(organisation, NudgeRule.Kind.APPLY, delay_days=DELAY)


@pytest.fixture
def email_nudge(rule, learner, unit, now):
    commitment = commit(learner, unit, due_days_ago=DELAY)
    plan(rule, now)
    return Nudge.objects.get(rule=rule, subject_id=commitment.pk, channel=Nudge.Channel.EMAIL)


# --- planning ---------------------------------------------------------------------------


def test_a_commitment_whose_date_passed_the_delay_ago_gets_a_nudge_per_channel(
    rule, learner, unit, now
):
    commitment = commit(learner, unit, due_days_ago=DELAY)

    assert plan(rule, now) == 2

    nudges = nudges_of(rule)
    assert {n.channel for n in nudges} == {Nudge.Channel.EMAIL, Nudge.Channel.IN_APP}
    assert {(n.member_id, n.key, n.subject_type, n.subject_id, n.kind) for n in nudges} == {
        (learner.pk, f"apply:commitment:{commitment.pk}", "commitment", commitment.pk, "apply")
    }


def test_a_commitment_not_yet_past_the_delay_or_reported_gets_none(rule, learner, unit, now):
    commit(learner, unit, due_days_ago=DELAY - 1)
    commit(learner, unit, due_days_ago=DELAY + 1, status=Commitment.Status.APPLIED)
    commit(learner, unit, due_days_ago=DELAY + 1, status=Commitment.Status.NOT_RELEVANT)

    assert plan(rule, now) == 0


def test_planning_twice_creates_nothing_new(rule, learner, unit, now):
    commit(learner, unit, due_days_ago=DELAY)
    plan(rule, now)

    assert plan(rule, now) == 0
    assert plan(rule, now + dt.timedelta(days=1)) == 0
    assert len(nudges_of(rule)) == 2


def test_held_out_members_get_no_nudge(organisation, unit, now):
    rule = rule_of(organisation, NudgeRule.Kind.APPLY, delay_days=DELAY, holdout_percent=50)
    members = factories.memberships_on_both_sides_of_the_holdout(rule, organisation=organisation)
    for member in members:
        commit(member, unit, due_days_ago=DELAY)

    plan(rule, now)

    nudged = {n.member_id for n in nudges_of(rule)}
    expected = {m.pk for m in members if not held_out(rule_id=rule.pk, member_id=m.pk, percent=50)}
    assert nudged == expected
    assert 0 < len(expected) < len(members)


def test_a_team_rule_nudges_only_its_teams(organisation, unit, now):
    team = factories.TeamFactory(organisation=organisation)
    inside = factories.MembershipFactory(organisation=organisation, team=team)
    outside = factories.MembershipFactory(organisation=organisation)
    rule = rule_of(
        organisation, NudgeRule.Kind.APPLY, delay_days=DELAY, audience=NudgeRule.Audience.TEAMS
    )
    NudgeRuleTeam.objects.create(organisation=organisation, rule=rule, team=team)
    commit(inside, unit, due_days_ago=DELAY)
    commit(outside, unit, due_days_ago=DELAY)

    plan(rule, now)

    assert {n.member_id for n in nudges_of(rule)} == {inside.pk}


def test_planning_costs_the_same_queries_for_many_commitments(organisation, rule, unit, now):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            plan(rule, now)
        return len(captured)

    commit(factories.MembershipFactory(organisation=organisation), unit, due_days_ago=DELAY)
    few = queries()
    for _ in range(6):
        commit(factories.MembershipFactory(organisation=organisation), unit, due_days_ago=DELAY)
    assert queries() == few


def test_planning_with_nothing_due_is_two_queries(rule, now, django_assert_num_queries):
    # The commitments due a first question, and those answered "not yet" a week ago.
    with organisation_scope(rule.organisation_id), django_assert_num_queries(2):
        assert apply.plan(rule=rule, now=now) == 0


# --- sending ----------------------------------------------------------------------------


def test_a_commitment_reported_before_sending_cancels_the_nudge(email_nudge):
    Commitment.objects.filter(pk=email_nudge.subject_id).update(status=Commitment.Status.NOT_YET)

    assert deliver(email_nudge) == Nudge.Status.CANCELLED
    email_nudge.refresh_from_db()
    assert email_nudge.cancel_reason == Nudge.CancelReason.FULFILLED
    assert mail.outbox == []


def test_the_words_name_the_commitment_and_lead_to_the_question(email_nudge):
    with translation.override("en"):
        words = nudge_words(email_nudge)

    assert words.subject == "Did you manage: “Ask one open question in every one-to-one”?"
    assert "After “Giving feedback” you committed to" in words.text
    assert words.values["answer_url"].endswith(f"/o/acme/nudges/{email_nudge.pk}/apply/")
    assert words.action.path == f"/o/acme/nudges/{email_nudge.pk}/apply/"
    assert "committed to apply something at work" in words.reason
    assert "2 days ago" in words.reason


def answer_links(message) -> dict[str, str]:
    """The one-click links of an e-mail, by answer, from its plain text."""
    paths = [path for _, path in tracked_links(message.body) if "/nudges/answer/" in path]
    return {apply.ANSWERS[i]: path for i, path in enumerate(paths)}


def test_the_email_offers_the_three_answers_as_buttons(email_nudge):
    assert deliver(email_nudge) == Nudge.Status.SENT

    (message,) = mail.outbox
    links = answer_links(message)
    assert list(links) == list(apply.ANSWERS)
    html = message.alternatives[0][0]
    for label in ("Yes, I applied it", "Not yet", "Not relevant for my work"):
        assert label in html and label in message.body
    # the buttons lead where the plain text's links do, through the click record
    assert [path for _, path in tracked_links(html) if "/nudges/answer/" in path] == list(
        links.values()
    )


# --- the one-click link -----------------------------------------------------------------


def path_of(nudge, answer=Commitment.Status.APPLIED) -> str:
    return apply.answer_path(nudge, answer)


def test_opening_a_link_asks_to_confirm_and_records_nothing(client, email_nudge):
    response = client.get(path_of(email_nudge))

    assert response.status_code == 200
    assert "Save my answer: Yes, I applied it" in response.text
    assert Commitment.objects.get(pk=email_nudge.subject_id).status == Commitment.Status.OPEN


def test_the_link_records_the_answer_without_login(client, email_nudge):
    response = client.post(path_of(email_nudge))

    assert response.status_code == 200
    assert "Thank you: your answer is saved" in response.text
    commitment = Commitment.objects.get(pk=email_nudge.subject_id)
    assert commitment.status == Commitment.Status.APPLIED
    assert commitment.reported_at is not None
    event = LearningEvent.objects.get(verb=LearningEvent.Verb.APPLIED)
    assert (event.actor_id, event.object_id, event.result["success"]) == (
        email_nudge.member_id,
        commitment.pk,
        True,
    )
    assert OneClickAnswer.objects.get().answer == "applied"
    audit = AuditLog.objects.get(action="commitment.reported_by_link")
    assert (audit.actor_id, audit.data) == (
        email_nudge.member_id,
        {"nudge": email_nudge.pk, "answer": "applied"},
    )


def test_a_link_used_twice_records_once(client, email_nudge):
    client.post(path_of(email_nudge, Commitment.Status.NOT_YET))

    again = client.post(path_of(email_nudge, Commitment.Status.NOT_YET))
    other = client.post(path_of(email_nudge, Commitment.Status.APPLIED))
    opened = client.get(path_of(email_nudge, Commitment.Status.APPLIED))

    for response in (again, other, opened):
        assert response.status_code == 410
        assert "This link was used already" in response.text
        assert reverse("nudges:apply_question", args=["acme", email_nudge.pk]) in response.text
    assert Commitment.objects.get(pk=email_nudge.subject_id).status == Commitment.Status.NOT_YET
    assert LearningEvent.objects.filter(verb=LearningEvent.Verb.APPLIED).count() == 1
    assert OneClickAnswer.objects.count() == 1


def test_the_database_refuses_a_second_answer_for_a_nudge(email_nudge):
    from django.db import IntegrityError, transaction

    OneClickAnswer.objects.create(organisation_id=email_nudge.organisation_id, nudge=email_nudge)
    with pytest.raises(IntegrityError), transaction.atomic():
        OneClickAnswer.objects.create(
            organisation_id=email_nudge.organisation_id, nudge=email_nudge
        )


def test_an_expired_link_records_nothing_and_asks_to_log_in(client, email_nudge, monkeypatch):
    path = path_of(email_nudge)
    monkeypatch.setattr(apply, "LINK_MAX_AGE", dt.timedelta(seconds=-1))

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        assert "This link has expired" in response.text
        assert reverse("nudges:apply_question", args=["acme", email_nudge.pk]) in response.text
    assert Commitment.objects.get(pk=email_nudge.subject_id).status == Commitment.Status.OPEN
    assert not OneClickAnswer.objects.exists()


def test_a_tampered_link_records_nothing(client, email_nudge):
    path = path_of(email_nudge)
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")

    for bad in (forged, "nonsense", token.replace(":", "")):
        response = client.post(reverse("nudges:apply_answer", args=["acme", bad]))
        assert response.status_code == 400
        assert "This link does not work" in response.text
        assert "Log in to answer" not in response.text
    assert Commitment.objects.get(pk=email_nudge.subject_id).status == Commitment.Status.OPEN


def test_a_link_signed_for_another_purpose_does_not_pass(client, email_nudge):
    from django.core import signing

    token = signing.dumps(
        {"o": email_nudge.organisation_id, "n": email_nudge.pk, "a": "applied"}, salt="other"
    )
    response = client.post(reverse("nudges:apply_answer", args=["acme", token]))

    assert response.status_code == 400


def test_a_link_of_another_organisation_records_nothing(client, email_nudge, other_organisation):
    token = path_of(email_nudge).rstrip("/").rsplit("/", 1)[1]

    response = client.post(reverse("nudges:apply_answer", args=[other_organisation.slug, token]))

    assert response.status_code == 400
    assert "This link does not work" in response.text
    assert Commitment.objects.get(pk=email_nudge.subject_id).status == Commitment.Status.OPEN


def test_a_link_naming_another_organisations_nudge_records_nothing(
    client, email_nudge, other_organisation
):
    # A token signed with our key that names this organisation but another one's nudge.
    other_member = factories.MembershipFactory(organisation=other_organisation)
    other_unit = factories.UnitFactory(organisation=other_organisation)
    other_rule = rule_of(other_organisation, NudgeRule.Kind.APPLY, delay_days=DELAY)
    commit(other_member, other_unit, due_days_ago=DELAY)
    plan(other_rule, timezone.now())
    foreign = Nudge.objects.filter(rule=other_rule).first()
    from django.core import signing

    token = signing.dumps(
        {"o": email_nudge.organisation_id, "n": foreign.pk, "a": "applied"}, salt=apply.LINK_SALT
    )
    response = client.post(reverse("nudges:apply_answer", args=["acme", token]))

    assert response.status_code == 400
    assert not Commitment.objects.exclude(status=Commitment.Status.OPEN).exists()


def test_after_login_the_member_answers_the_same_question(client, email_nudge, monkeypatch):
    monkeypatch.setattr(apply, "LINK_MAX_AGE", dt.timedelta(seconds=-1))
    question = reverse("nudges:apply_question", args=["acme", email_nudge.pk])

    anonymous = client.get(question)
    assert anonymous.status_code == 302 and "login" in anonymous.url

    client.force_login(email_nudge.member.user)
    page = client.get(question)
    assert page.status_code == 200
    assert "Ask one open question in every one-to-one" in page.text
    assert "Yes, I applied it" in page.text

    response = client.post(question, {"status": "applied"}, follow=True)
    assert "Thank you: your report is saved." in response.text
    assert Commitment.objects.get(pk=email_nudge.subject_id).status == Commitment.Status.APPLIED
    assert LearningEvent.objects.filter(verb=LearningEvent.Verb.APPLIED).count() == 1


def test_another_member_cannot_open_the_question(client, email_nudge, organisation):
    client.force_login(factories.MembershipFactory(organisation=organisation).user)

    response = client.get(reverse("nudges:apply_question", args=["acme", email_nudge.pk]))

    assert response.status_code == 404


def test_the_in_app_nudge_shows_in_the_centre_and_opens_the_question(client, rule, learner, unit):
    commit(learner, unit, due_days_ago=DELAY)
    plan(rule, timezone.now())
    in_app = Nudge.objects.get(rule=rule, channel=Nudge.Channel.IN_APP)
    assert deliver(in_app) == Nudge.Status.SENT
    client.force_login(learner.user)

    inbox = client.get(reverse("nudges:inbox", args=["acme"]))
    opened = client.post(reverse("nudges:nudge_open", args=["acme", in_app.pk]))

    # a nudge about no unit shows its own title
    assert "Did you manage: “Ask one open question in every one-to-one”?" in inbox.text
    assert opened.status_code == 302
    assert opened.url == reverse("nudges:apply_question", args=["acme", in_app.pk])


def test_the_one_click_page_speaks_the_organisations_language(client, email_nudge, organisation):
    organisation.language = "nl"
    organisation.save(update_fields=["language"])

    page = client.get(path_of(email_nudge)).text
    done = client.post(path_of(email_nudge)).text
    used = client.get(path_of(email_nudge)).text

    assert "Sla mijn antwoord op: Ja, ik heb het toegepast" in page
    assert "Dank je: je antwoord is opgeslagen" in done
    assert "Deze link is al gebruikt" in used


# --- asked again after "not yet" ------------------------------------------------------------


def test_not_yet_is_asked_again_a_week_later_with_the_two_answers_left(client, email_nudge, now):
    rule = email_nudge.rule
    client.post(path_of(email_nudge, Commitment.Status.NOT_YET))

    assert plan(rule, now + dt.timedelta(days=6)) == 0
    assert plan(rule, now + dt.timedelta(days=7, minutes=1)) == 2
    assert plan(rule, now + dt.timedelta(days=8)) == 0

    again = Nudge.objects.get(rule=rule, occurrence=apply.ASKED_AGAIN, channel=Nudge.Channel.EMAIL)
    assert (again.key, again.subject_id) == (email_nudge.key, email_nudge.subject_id)
    assert deliver(again) == Nudge.Status.SENT
    (message,) = mail.outbox
    assert "Not yet" not in message.body
    assert "you answered “not yet” a week ago" in message.body
    urls = [path for _, path in tracked_links(message.body) if "/nudges/answer/" in path]
    assert len(urls) == 2

    # a forged "not yet" for the second round is no answer it offers
    refused = client.post(path_of(again, Commitment.Status.NOT_YET))
    assert refused.status_code == 400
    response = client.post(urls[0])
    assert "Thank you: your answer is saved" in response.text
    assert Commitment.objects.get(pk=email_nudge.subject_id).status == Commitment.Status.APPLIED
    assert LearningEvent.objects.filter(verb=LearningEvent.Verb.APPLIED).count() == 2


def test_the_second_question_is_cancelled_once_the_member_reported_again(email_nudge, now):
    rule = email_nudge.rule
    commitment = Commitment.objects.get(pk=email_nudge.subject_id)
    Commitment.objects.filter(pk=commitment.pk).update(
        status=Commitment.Status.NOT_YET, reported_at=now - dt.timedelta(days=8)
    )
    plan(rule, now)
    again = Nudge.objects.get(rule=rule, occurrence=apply.ASKED_AGAIN, channel=Nudge.Channel.EMAIL)
    Commitment.objects.filter(pk=commitment.pk).update(status=Commitment.Status.NOT_RELEVANT)

    assert deliver(again) == Nudge.Status.CANCELLED
    again.refresh_from_db()
    assert again.cancel_reason == Nudge.CancelReason.FULFILLED
