"""The goal pages: the learner's list, form and goal page, the manager's team goals page,
L&D's templates and the proficiency levels; who gets 403 and 404; query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goals import services
from goals.models import Goal, GoalTemplate, PlanActivity, ProficiencyLevel, Recognition
from tests.factories import MembershipFactory, OrganisationFactory, SkillFactory, UnitFactory
from tests.goals.factories import agreed_goal, draft_goal, in_days

pytestmark = pytest.mark.django_db


def signed_in(client, membership):
    client.force_login(membership.user)
    return client


def form_for(skill, **fields):
    data = {
        "title": "Chair the planning meeting",
        "why": "So the team can rely on me.",
        "skill": skill.pk,
        "current_level": 2,
        "target_level": 4,
        "target_date": in_days(30).isoformat(),
        "hours_per_week": "1.5",
    }
    data.update(fields)
    return data


class TestLearnerPages:
    def test_drafting_a_goal_saves_it_and_opens_its_plan(self, client, learner, skill, url):
        response = signed_in(client, learner).post(url("goal_create"), form_for(skill))
        goal = Goal.objects.get()
        assert response.status_code == 302
        assert response["Location"].endswith(f"/goals/{goal.pk}/#plan")
        assert (goal.member, goal.status, float(goal.hours_per_week)) == (learner, "draft", 1.5)

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"target_date": in_days(-1).isoformat()}, "target_date"),
            ({"current_level": 7}, "current_level"),
            ({"current_level": 4, "target_level": 2}, "target_level"),
        ],
    )
    def test_bad_input_shows_field_errors_and_saves_nothing(
        self, client, learner, skill, url, fields, field
    ):
        response = signed_in(client, learner).post(url("goal_create"), form_for(skill, **fields))
        assert response.status_code == 200
        assert response.context["form"].errors[field]
        assert not Goal.objects.exists()

    def test_the_goal_page_shows_plan_check_ins_conversation_and_ledger(
        self, client, learner, manager, skill, url
    ):
        goal = agreed_goal(learner, skill, manager)
        services.activity_add(
            goal=goal, membership=learner, category="experience", title="Lead the stand-up"
        )
        services.check_in_create(goal=goal, membership=learner, progress=3, note="Went well")
        page = signed_in(client, learner).get(url("goal_detail", goal.pk)).content.decode()
        for text in ("Lead the stand-up", "Went well", "Conversation", "70:20:10", "Check in"):
            assert text in page

    def test_a_template_starts_a_goal_with_its_plan(self, client, learner, author, skill, url):
        template = services.goal_template_create(
            by=author, skill=skill, title="Plan well", suggested_plan="social: Shadow Ann"
        )
        client = signed_in(client, learner)
        assert "Plan well" in client.get(url("goal_list")).content.decode()
        form = client.get(url("goal_create") + f"?template={template.pk}").context["form"]
        assert form.initial["title"] == "Plan well"
        client.post(url("goal_create"), form_for(skill, template=template.pk))
        assert list(PlanActivity.objects.values_list("title", flat=True)) == ["Shadow Ann"]

    def test_learner_flow_through_the_forms(self, client, learner, manager, teammate, skill, url):
        goal = draft_goal(learner, skill)
        learner_client = signed_in(client, learner)
        learner_client.post(
            url("activity_add", goal.pk), {"category": "social", "title": "Shadow Ann"}
        )
        learner_client.post(url("goal_propose", goal.pk), {"comment": "Please agree"})
        goal.refresh_from_db()
        assert goal.status == "proposed"
        manager_client = signed_in(type(client)(), manager)
        manager_client.post(url("goal_agree", goal.pk), {"hours_per_week": "2", "next": "team"})
        goal.refresh_from_db()
        assert goal.status == "agreed"
        learner_client.post(url("check_in_create", goal.pk), {"progress": 4, "note": "Good"})
        check_in = goal.check_ins.get()
        manager_client.post(
            url("check_in_answer", goal.pk, check_in.pk), {"rating": 4, "feedback": "Yes"}
        )
        activity = goal.activities.get()
        learner_client.post(url("activity_status", goal.pk, activity.pk), {"status": "done"})
        learner_client.post(url("goal_close", goal.pk), {"outcome": "achieved", "rating": 4})
        goal.refresh_from_db()
        assert (goal.outcome, goal.final_self_rating) == ("achieved", 4)
        assert not Recognition.objects.exists()
        learner_client.post(url("goal_share", goal.pk), {"message": "Thanks!"})
        recognition = Recognition.objects.get()
        teammate_client = signed_in(type(client)(), teammate)
        home = teammate_client.get(reverse("microlearning:home", args=[learner.organisation.slug]))
        assert goal.title in home.content.decode()
        teammate_client.post(url("kudos_give", recognition.pk))
        teammate_client.post(url("kudos_give", recognition.pk))
        assert recognition.kudos.count() == 1


class TestWhoSeesWhat:
    def test_the_manager_of_a_team_above_sees_and_agrees(self, client, learner, head, skill, url):
        goal = draft_goal(learner, skill)
        services.goal_propose(goal=goal, membership=learner)
        client = signed_in(client, head)
        assert client.get(url("goal_detail", goal.pk)).status_code == 200
        assert goal.title in client.get(url("team_goals")).content.decode()
        client.post(url("goal_agree", goal.pk), {"hours_per_week": "1"})
        goal.refresh_from_db()
        assert goal.status == "agreed"

    def test_another_teams_manager_gets_403(self, client, learner, other_manager, skill, url):
        goal = draft_goal(learner, skill)
        services.goal_propose(goal=goal, membership=learner)
        client = signed_in(client, other_manager)
        assert client.get(url("goal_detail", goal.pk)).status_code == 403
        assert client.post(url("goal_agree", goal.pk), {}).status_code == 403
        assert goal.title not in client.get(url("team_goals")).content.decode()
        goal.refresh_from_db()
        assert goal.status == "proposed"

    def test_a_teammate_gets_403_on_the_goal(self, client, learner, teammate, skill, url):
        goal = draft_goal(learner, skill)
        assert signed_in(client, teammate).get(url("goal_detail", goal.pk)).status_code == 403

    def test_another_organisations_goal_is_404(self, client, learner, skill, url):
        other = OrganisationFactory()
        outsider = MembershipFactory(organisation=other)
        goal = draft_goal(outsider, SkillFactory(organisation=other))
        client = signed_in(client, learner)
        assert client.get(url("goal_detail", goal.pk)).status_code == 404
        assert client.post(url("goal_propose", goal.pk)).status_code == 404

    def test_only_ld_authors_manage_templates_and_levels(self, client, learner, author, url):
        assert signed_in(client, learner).get(url("template_list")).status_code == 403
        assert client.get(url("proficiency_levels")).status_code == 200  # everyone reads them
        assert client.post(url("proficiency_levels"), {}).status_code == 403
        client = signed_in(type(client)(), author)
        assert client.get(url("template_list")).status_code == 200
        data = {f"name_{n}": f"L{n}" for n in range(1, 6)}
        data.update({f"description_{n}": f"Level {n} here" for n in range(1, 6)})
        client.post(url("proficiency_levels"), data)
        assert ProficiencyLevel.objects.get(level=3).name == "L3"

    def test_an_author_creates_a_template(self, client, author, skill, url):
        signed_in(client, author).post(
            url("template_create"),
            {
                "skill": skill.pk,
                "title": "Lead a retrospective",
                "target_level": 3,
                "hours_per_week": "1",
                "suggested_plan": "social: run one with a colleague",
                "is_active": "on",
            },
        )
        assert GoalTemplate.objects.get().title == "Lead a retrospective"


class TestQueryCounts:
    def test_the_goals_list_does_not_grow_with_goals(
        self, client, learner, manager, skill, url, django_assert_max_num_queries
    ):
        client = signed_in(client, learner)
        for n in range(6):
            goal = agreed_goal(learner, skill, manager, title=f"Goal {n}")
            services.activity_add(goal=goal, membership=learner, category="social", title="x")
        client.get(url("goal_list"))
        with django_assert_max_num_queries(12):
            assert client.get(url("goal_list")).status_code == 200

    def test_the_goal_page_does_not_grow_with_plan_and_check_ins(
        self, client, learner, manager, skill, url, organisation, django_assert_max_num_queries
    ):
        goal = agreed_goal(learner, skill, manager)
        for n in range(8):
            unit = UnitFactory(organisation=organisation)
            services.activity_add(goal=goal, membership=learner, category="formal", unit=unit)
            services.activity_add(goal=goal, membership=learner, category="social", title=f"{n}")
            services.check_in_create(goal=goal, membership=learner, progress=3)
            services.goal_comment(goal=goal, membership=manager, text=f"Comment {n}")
        client = signed_in(client, learner)
        with django_assert_max_num_queries(20):
            assert client.get(url("goal_detail", goal.pk)).status_code == 200

    def test_the_team_goals_page_does_not_grow_with_team_size(
        self, client, organisation, team, manager, skill, url, django_assert_max_num_queries
    ):
        for n in range(8):
            member = MembershipFactory(organisation=organisation, team=team)
            goal = draft_goal(member, skill, title=f"Goal {n}")
            services.goal_propose(goal=goal, membership=member, comment="Please")
            agreed_goal(member, skill, manager, title=f"Agreed {n}")
        client = signed_in(client, manager)
        with django_assert_max_num_queries(14):
            response = client.get(url("team_goals"))
        assert response.status_code == 200
        assert len(response.context["proposed"]) == 8
        assert len(response.context["agreed"]) == 8

    def test_the_team_goals_page_pages_the_goals_to_agree(
        self, client, organisation, team, manager, skill, url, monkeypatch
    ):
        monkeypatch.setattr("goals.views.manager.PAGE_SIZE", 3)
        for n in range(4):
            member = MembershipFactory(organisation=organisation, team=team)
            goal = draft_goal(member, skill, title=f"Goal {n}")
            services.goal_propose(goal=goal, membership=member, comment="Please")
        client = signed_in(client, manager)

        first = client.get(url("team_goals")).content.decode()
        second = client.get(url("team_goals"), {"page": 2}).content.decode()

        assert "4 goals to agree" in first and first.count('name="hours_per_week"') == 3
        assert second.count('name="hours_per_week"') == 1 and 'rel="prev"' in second

    def test_the_team_dashboard_shows_the_team_ledger(self, client, manager, team, learner):
        response = signed_in(client, manager).get(
            reverse("analytics:team_dashboard", args=[manager.organisation.slug])
        )
        assert "Where your team learns" in response.content.decode()


class TestKudosCount:
    @pytest.mark.parametrize(
        ("language", "givers", "text"),
        [
            ("en", 0, "No kudos yet"),
            ("en", 1, "Kudos from 1 colleague ·"),
            ("en", 2, "Kudos from 2 colleagues ·"),
            ("nl", 1, "Compliment van 1 collega ·"),
            ("nl", 2, "Complimenten van 2 collega's ·"),
        ],
    )
    def test_the_home_counts_kudos_in_singular_and_plural(
        self, client, organisation, learner, team, language, givers, text
    ):
        organisation.language = language
        organisation.save(update_fields=["language"])
        recognition = services.recognition_share(
            membership=learner, object_type="goal", object_id=1, title="Plan the week"
        )
        for _ in range(givers):
            giver = MembershipFactory(organisation=organisation, team=team)
            services.kudos_give(recognition=recognition, membership=giver)
        viewer = MembershipFactory(organisation=organisation, team=team)

        home = signed_in(client, viewer).get(reverse("microlearning:home", args=["acme"]))

        body = home.content.decode()
        assert text in body
        assert "1 kudos" not in body and "2 kudos" not in body

    @pytest.mark.parametrize(
        ("givers", "text"),
        [
            (0, "no kudos so far."),
            (1, "kudos from 1 colleague so far."),
            (2, "kudos from 2 colleagues so far."),
        ],
    )
    def test_the_shared_goal_counts_kudos_in_singular_and_plural(
        self, client, organisation, learner, manager, team, skill, url, givers, text
    ):
        goal = agreed_goal(learner, skill, manager)
        services.goal_close(goal=goal, membership=learner, outcome="achieved", self_rating=4)
        recognition = services.goal_share(goal=goal, membership=learner)
        for _ in range(givers):
            giver = MembershipFactory(organisation=organisation, team=team)
            services.kudos_give(recognition=recognition, membership=giver)

        page = signed_in(client, learner).get(url("goal_detail", goal.pk)).content.decode()

        assert text in page


def test_each_goal_to_agree_has_its_own_forms_on_the_team_goals_page(
    client, organisation, team, manager, skill, url
):
    titles = ["Chair <b>the</b> meeting", "Lead the retro"]
    goals = []
    for title in titles:
        member = MembershipFactory(organisation=organisation, team=team)
        goal = draft_goal(member, skill, title=title)
        goal.hours_per_week = "2.5" if not goals else "0"
        goal.save(update_fields=["hours_per_week"])
        services.goal_propose(goal=goal, membership=member)
        goals.append(goal)
    body = signed_in(client, manager).get(url("team_goals")).content.decode()
    first, second = goals
    assert f'action="/o/{organisation.slug}/goals/{first.pk}/agree/"' in body
    assert f'id="hours-{first.pk}" name="hours_per_week"' in body
    assert 'value="2.5"' in body and f'id="hours-{second.pk}" name="hours_per_week"' in body
    assert body.count('value="0"') == 1
    assert f'id="changes-{second.pk}"' in body and f"/goals/{second.pk}/ask_changes/" in body
    # The learner's title is escaped in the button, as the include escaped it.
    assert "Agree “Chair &lt;b&gt;the&lt;/b&gt; meeting”" in body and "<b>the</b>" not in body
    assert "Agree “Lead the retro”" in body
    assert "stand-in" not in body and "9876543210123" not in body
