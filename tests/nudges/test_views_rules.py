"""The L&D author's nudge rule pages: list, create, edit and preview in both languages."""

import pytest
from django.urls import reverse

from nudges.models import Nudge, NudgeRule
from nudges.rules import FINISH_UNIT_DEFAULT
from organisations.models import AuditLog
from organisations.tenancy import organisation_scope
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(organisation):
    return factories.MembershipFactory(
        organisation=organisation, is_author=True, user__first_name="Lotte"
    )


@pytest.fixture
def author_client(client, author):
    client.force_login(author.user)
    return client


def list_url(organisation):
    return reverse("nudges:rule_list", kwargs={"org_slug": organisation.slug})


def create_url(organisation, kind="finish_unit"):
    return reverse("nudges:rule_create", kwargs={"org_slug": organisation.slug}) + f"?kind={kind}"


def edit_url(organisation, rule):
    return reverse("nudges:rule_edit", kwargs={"org_slug": organisation.slug, "rule_id": rule.pk})


def form_data(**changes):
    data = {
        "kind": "finish_unit",
        "is_active": "on",
        "delay_days": "4",
        "audience": "organisation",
        "send_email": "on",
        "send_in_app": "on",
        "holdout_percent": "10",
        **FINISH_UNIT_DEFAULT,
        "action": "save",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def rules_of(organisation):
    with organisation_scope(organisation.pk):
        return list(NudgeRule.objects.order_by("pk"))


def test_the_list_shows_each_rule_with_its_counts_in_a_fixed_number_of_queries(
    author_client, organisation, django_assert_max_num_queries
):
    rule = factories.NudgeRuleFactory(organisation=organisation, delay_days=5)
    member = factories.MembershipFactory(organisation=organisation)
    for status in ("planned", "sent", "sent", "failed"):
        factories.NudgeFactory(rule=rule, member=member, status=status)
    for _ in range(3):
        factories.NudgeRuleFactory(organisation=organisation, is_active=False)

    with django_assert_max_num_queries(12):
        response = author_client.get(list_url(organisation))

    content = response.content.decode()
    assert response.status_code == 200
    assert edit_url(organisation, rule) in content
    assert "after 5 days" in content
    assert "Switched off" in content
    assert '<td class="num">2</td>' in content  # sent


def test_a_learner_may_not_author_rules(member_client, organisation):
    assert member_client.get(list_url(organisation)).status_code == 403
    assert member_client.post(create_url(organisation), form_data()).status_code == 403


def test_an_author_creates_a_rule(author_client, organisation, author):
    response = author_client.post(create_url(organisation), form_data(holdout_percent="20"))

    assert response.status_code == 302
    (rule,) = rules_of(organisation)
    assert (rule.kind, rule.delay_days, rule.holdout_percent) == ("finish_unit", 4, 20)
    with organisation_scope(organisation.pk):
        assert AuditLog.objects.filter(action="nudge_rule.created", actor=author).exists()


def test_an_unknown_placeholder_is_shown_on_its_field_and_nothing_is_saved(
    author_client, organisation
):
    response = author_client.post(
        create_url(organisation), form_data(text_en="Hello {first_name}, do {homework}.")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"text_en"}
    assert "{homework}" in form.errors["text_en"][0]
    assert rules_of(organisation) == []


def test_an_empty_dutch_text_is_a_field_error(author_client, organisation):
    response = author_client.post(create_url(organisation), form_data(text_nl=""))

    assert "text_nl" in response.context["form"].errors
    assert rules_of(organisation) == []


def test_chosen_teams_without_a_team_is_a_field_error(author_client, organisation):
    response = author_client.post(create_url(organisation), form_data(audience="teams"))

    assert set(response.context["form"].errors) == {"teams"}
    assert rules_of(organisation) == []


def test_an_unknown_kind_is_not_found(author_client, organisation):
    assert author_client.get(create_url(organisation, kind="nonsense")).status_code == 404


def test_preview_shows_both_languages_with_a_real_members_data_and_saves_nothing(
    author_client, organisation
):
    rule = factories.NudgeRuleFactory(organisation=organisation)
    anna = factories.MembershipFactory(organisation=organisation, user__first_name="Anna")
    factories.NudgeFactory(rule=rule, member=anna, unit__title="Een klacht afhandelen")

    response = author_client.post(
        edit_url(organisation, rule),
        form_data(
            action="preview",
            subject_nl="Hoi {first_name}: “{unit_title}” wacht",
            subject_en="Hi {first_name}: “{unit_title}” is waiting",
        ),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Hoi Anna: “Een klacht afhandelen” wacht" in content
    assert "Hi Anna: “Een klacht afhandelen” is waiting" in content
    assert 'lang="nl"' in content and 'lang="en"' in content
    (unchanged,) = rules_of(organisation)
    assert unchanged.subject_nl == FINISH_UNIT_DEFAULT["subject_nl"]


def test_a_rule_without_nudges_previews_with_the_author_and_a_published_unit(
    author_client, organisation
):
    rule = factories.NudgeRuleFactory(organisation=organisation)
    factories.UnitFactory(organisation=organisation, title="Veilig werken op hoogte")

    response = author_client.get(edit_url(organisation, rule))

    content = response.content.decode()
    assert "Herinnering: rond “Veilig werken op hoogte” af" in content
    assert "Reminder: finish “Veilig werken op hoogte”" in content
    assert "Lotte" in content


def test_an_author_edits_a_rule_and_the_change_is_audited(author_client, organisation):
    rule = factories.NudgeRuleFactory(organisation=organisation, delay_days=3)
    team = factories.TeamFactory(organisation=organisation)

    response = author_client.post(
        edit_url(organisation, rule),
        form_data(
            delay_days="6",
            is_active=None,
            audience="teams",
            teams=[str(team.pk)],
            holdout_percent="0",
        ),
    )

    assert response.status_code == 302
    (rule,) = rules_of(organisation)
    assert (rule.delay_days, rule.is_active, rule.audience) == (6, False, "teams")
    with organisation_scope(organisation.pk):
        audit = AuditLog.objects.get(action="nudge_rule.updated")
        assert list(rule.teams.values_list("pk", flat=True)) == [team.pk]
    assert audit.data["changed"] == ["audience", "delay_days", "is_active"]


def test_a_rule_of_another_organisation_is_not_found(author_client, other_organisation):
    foreign = factories.NudgeRuleFactory(organisation=other_organisation)

    url = reverse(
        "nudges:rule_edit",
        kwargs={"org_slug": "acme", "rule_id": foreign.pk},
    )
    assert author_client.get(url).status_code == 404
    assert author_client.post(url, form_data()).status_code == 404
    with organisation_scope(other_organisation.pk):
        foreign.refresh_from_db()
    assert foreign.delay_days == 3


def test_a_weekly_kind_asks_for_a_weekday_not_days(author_client, organisation):
    response = author_client.get(create_url(organisation, kind="team_digest"))

    form = response.context["form"]
    assert "weekday" in form.fields and "delay_days" not in form.fields
    assert "{team_name}" in response.content.decode()
    assert Nudge.Kind.MANAGER  # the digest is a manager's nudge


def test_an_organisation_without_units_previews_with_an_example(author_client, organisation):
    rule = factories.NudgeRuleFactory(organisation=organisation)

    response = author_client.get(edit_url(organisation, rule))

    assert "Reminder: finish “Example unit”" in response.content.decode()
