"""The goals API: the same rules as the pages, in the API's one error shape."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from goals import services
from goals.models import Goal, Recognition
from tests.api.support import error_of
from tests.factories import MembershipFactory, OrganisationFactory, SkillFactory, UnitFactory
from tests.goals.factories import agreed_goal, draft_goal, in_days

pytestmark = pytest.mark.django_db


def api_as(membership) -> APIClient:
    client = APIClient()
    client.force_authenticate(membership.user)
    client.force_login(membership.user)
    return client


def goal_body(skill, **fields):
    body = {
        "title": "Chair the planning meeting",
        "skill_id": skill.pk,
        "current_level": 2,
        "target_level": 4,
        "target_date": in_days(30).isoformat(),
        "hours_per_week": "2.0",
    }
    body.update(fields)
    return body


def test_a_learner_drafts_proposes_and_the_manager_agrees(learner, manager, skill, api_url):
    response = api_as(learner).post(api_url("goals"), goal_body(skill), format="json")
    assert response.status_code == 201, response.content
    goal_id = response.json()["id"]
    assert response.json()["status"] == "draft"
    assert (
        api_as(learner).post(api_url("goal_propose", goal_id), {}, format="json").json()["status"]
        == "proposed"
    )
    agreed = api_as(manager).post(
        api_url("goal_agree", goal_id), {"hours_per_week": "3"}, format="json"
    )
    assert (agreed.json()["status"], agreed.json()["hours_per_week"]) == ("agreed", 3.0)
    assert [c["kind"] for c in agreed.json()["comments"]] == ["proposed", "agreed"]
    assert [g["id"] for g in api_as(learner).get(api_url("goals")).json()] == [goal_id]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"target_date": in_days(-2).isoformat()}, "target_date"),
        ({"target_level": 6}, "target_level"),
        ({"current_level": 0}, "current_level"),
        ({"current_level": 4, "target_level": 3}, "target_level"),
    ],
)
def test_bad_input_is_400_with_field_errors_and_nothing_saved(
    learner, skill, api_url, fields, field
):
    response = api_as(learner).post(api_url("goals"), goal_body(skill, **fields), format="json")
    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    assert not Goal.objects.exists()


def test_another_teams_manager_gets_403_and_another_organisation_404(
    learner, other_manager, skill, api_url
):
    goal = draft_goal(learner, skill)
    services.goal_propose(goal=goal, membership=learner)
    response = api_as(other_manager).post(api_url("goal_agree", goal.pk), {}, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    other = OrganisationFactory()
    foreign = draft_goal(MembershipFactory(organisation=other), SkillFactory(organisation=other))
    response = api_as(learner).get(api_url("goal", foreign.pk))
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_ask_changes_then_plan_check_ins_close_share_and_kudos(
    learner, manager, teammate, skill, organisation, api_url
):
    goal = draft_goal(learner, skill)
    services.goal_propose(goal=goal, membership=learner)
    response = api_as(manager).post(
        api_url("goal_ask_changes", goal.pk), {"comment": "Smaller first"}, format="json"
    )
    assert response.json()["status"] == "draft"
    assert response.json()["comments"][-1]["text"] == "Smaller first"
    api_as(learner).patch(api_url("goal", goal.pk), {"target_level": 3}, format="json")
    api_as(learner).post(api_url("goal_propose", goal.pk), {}, format="json")
    api_as(manager).post(api_url("goal_agree", goal.pk), {}, format="json")

    unit = UnitFactory(organisation=organisation)
    linked = api_as(learner).post(
        api_url("activities", goal.pk), {"category": "formal", "unit_id": unit.pk}, format="json"
    )
    free = api_as(learner).post(
        api_url("activities", goal.pk), {"category": "social", "title": "Shadow"}, format="json"
    )
    assert (linked.status_code, free.status_code) == (201, 201)
    refused = api_as(learner).patch(
        api_url("activity", goal.pk, linked.json()["id"]), {"status": "done"}, format="json"
    )
    assert refused.status_code == 400
    done = api_as(learner).patch(
        api_url("activity", goal.pk, free.json()["id"]), {"status": "done"}, format="json"
    )
    assert done.json()["status"] == "done"

    check_in = api_as(learner).post(
        api_url("check_ins", goal.pk), {"progress": 4, "note": "Good week"}, format="json"
    )
    assert check_in.status_code == 201
    answer = api_as(manager).post(
        api_url("check_in_answer", goal.pk, check_in.json()["id"]),
        {"rating": 4, "feedback": "Agreed"},
        format="json",
    )
    assert answer.json()["manager_rating"] == 4
    bad = api_as(learner).post(api_url("check_ins", goal.pk), {"progress": 9}, format="json")
    assert "progress" in error_of(bad)["fields"]

    closed = api_as(learner).post(
        api_url("goal_close", goal.pk), {"outcome": "achieved", "rating": 3}, format="json"
    )
    assert (closed.json()["outcome"], closed.json()["final_self_rating"]) == ("achieved", 3)
    assert not Recognition.objects.exists()
    shared = api_as(learner).post(api_url("goal_share", goal.pk), {}, format="json")
    assert shared.status_code == 201
    recognitions = api_as(teammate).get(api_url("recognitions")).json()
    assert [r["title"] for r in recognitions] == [goal.title]
    first = api_as(teammate).post(api_url("kudos", shared.json()["id"]))
    second = api_as(teammate).post(api_url("kudos", shared.json()["id"]))
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["created"] is False


def test_ledger_and_team_ledger(learner, manager, team, skill, api_url, other_manager):
    goal = agreed_goal(learner, skill, manager)
    activity = services.activity_add(
        goal=goal, membership=learner, category="experience", title="Lead"
    )
    services.activity_set_status(activity=activity, membership=learner, status="done")
    mine = api_as(learner).get(api_url("ledger")).json()
    assert [(p["category"], p["count"], p["share"]) for p in mine["parts"]] == [
        ("experience", 1, 100),
        ("social", 0, 0),
        ("formal", 0, 0),
    ]
    team_ledger = api_as(manager).get(api_url("team_ledger", team.pk))
    assert team_ledger.json()["count"] == 1
    assert api_as(other_manager).get(api_url("team_ledger", team.pk)).status_code == 403
    assert api_as(learner).get(api_url("ledger") + "?days=7").status_code == 400


def test_templates_for_ld_and_learners(learner, author, skill, api_url):
    body = {"skill_id": skill.pk, "title": "Plan well", "target_level": 3}
    assert api_as(learner).post(api_url("templates"), body, format="json").status_code == 403
    created = api_as(author).post(api_url("templates"), body, format="json")
    assert created.status_code == 201
    assert [t["title"] for t in api_as(learner).get(api_url("templates")).json()] == ["Plan well"]
    from_template = api_as(learner).post(
        api_url("goals"), goal_body(skill, template_id=created.json()["id"]), format="json"
    )
    assert from_template.status_code == 201


def test_team_goals_for_managers(learner, manager, teammate, skill, api_url):
    goal = draft_goal(learner, skill)
    services.goal_propose(goal=goal, membership=learner)
    assert [g["id"] for g in api_as(manager).get(api_url("team_goals")).json()] == [goal.pk]
    assert api_as(teammate).get(api_url("team_goals")).status_code == 403


def test_proficiency_history(learner, manager, skill, api_url):
    goal = agreed_goal(learner, skill, manager)
    services.check_in_create(goal=goal, membership=learner, progress=3, level=3)
    ratings = api_as(learner).get(api_url("proficiency")).json()
    assert [(r["level"], r["rated_by"]) for r in ratings] == [(2, "self"), (3, "self")]


def test_the_goal_endpoint_does_not_grow_with_the_plan(
    learner, manager, skill, api_url, django_assert_max_num_queries
):
    goal = agreed_goal(learner, skill, manager)
    for n in range(10):
        services.activity_add(goal=goal, membership=learner, category="social", title=f"{n}")
        services.check_in_create(goal=goal, membership=learner, progress=3)
    client = api_as(learner)
    with django_assert_max_num_queries(12):
        assert client.get(api_url("goal", goal.pk)).status_code == 200
