"""Plan activities linked to the learner's own trajectory steps: the rule (in the service),
the goal page's form that offers the steps, and a step signed off completing the activity."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from courses.models import Enrolment, Step
from courses.services import authoring, enrolments
from courses.services.evidence import evidence_submit, sign_off_decide
from courses.services.progress import step_progress_done
from goals import services
from goals.models import PlanActivity
from tests.api.support import error_of
from tests.factories import MembershipFactory, OrganisationFactory
from tests.goals.courses_support import a_step
from tests.goals.factories import draft_goal

pytestmark = pytest.mark.django_db


def signed_in(client, membership):
    client.force_login(membership.user)
    return client


def signed_off_trajectory(organisation, *, title: str, steps: list[str]):
    """A published trajectory of on-the-job assignments the learner's manager signs off."""
    author = MembershipFactory(organisation=organisation, is_author=True)
    trajectory = authoring.trajectory_create(by=author, title=title)
    for step_title in steps:
        authoring.step_add(
            trajectory=trajectory,
            by=author,
            kind=Step.Kind.ASSIGNMENT,
            title=step_title,
            evidence_text=True,
            sign_off=Step.SignOff.MANAGER,
        )
    authoring.trajectory_publish(trajectory=trajectory, by=author)
    trajectory.refresh_from_db()
    return trajectory, author


def enrol(trajectory, learner, author) -> Enrolment:
    return enrolments.enrolment_create(trajectory=trajectory, membership=learner, by=author)


class TestTheRule:
    def test_a_step_of_the_learners_own_enrolment_is_linked(self, learner, skill):
        step = a_step(learner.organisation, learner=learner)
        goal = draft_goal(learner, skill)

        activity = services.activity_add(
            goal=goal, membership=learner, category="experience", step=step
        )

        assert (activity.step_id, activity.status) == (step.pk, PlanActivity.Status.PLANNED)

    @pytest.mark.parametrize("whose", ["colleague", "nobody", "withdrawn"])
    def test_a_step_not_the_learners_is_a_field_error_and_nothing_is_saved(
        self, learner, teammate, skill, whose
    ):
        organisation = learner.organisation
        step = {
            "colleague": lambda: a_step(organisation, learner=teammate),
            "nobody": lambda: a_step(organisation),
            "withdrawn": lambda: a_step(
                organisation, learner=learner, status=Enrolment.Status.WITHDRAWN
            ),
        }[whose]()
        goal = draft_goal(learner, skill)

        with pytest.raises(ValidationError) as caught:
            services.activity_add(goal=goal, membership=learner, category="social", step=step)

        assert "own trajectories" in str(caught.value.message_dict["step"])
        assert not PlanActivity.objects.exists()

    def test_the_api_answers_someone_elses_step_with_a_400_field_error(
        self, learner, teammate, skill, api_url
    ):
        step = a_step(learner.organisation, learner=teammate)
        goal = draft_goal(learner, skill)
        client = APIClient()
        client.force_authenticate(learner.user)
        client.force_login(learner.user)

        response = client.post(
            api_url("activities", goal.pk),
            {"category": "social", "step_id": step.pk},
            format="json",
        )

        assert response.status_code == 400, response.content
        assert "step" in error_of(response)["fields"]
        assert not PlanActivity.objects.exists()


class TestTheForm:
    def test_the_goal_page_offers_the_learners_steps_grouped_by_trajectory(
        self, client, learner, teammate, skill, url
    ):
        a_step(
            learner.organisation,
            learner=learner,
            title="Shadow a planner",
            trajectory_title="Plannen",
        )
        a_step(
            learner.organisation,
            learner=learner,
            title="Lead a stand-up",
            trajectory_title="Leiden",
        )
        a_step(learner.organisation, learner=teammate, title="Not mine", trajectory_title="Theirs")
        goal = draft_goal(learner, skill)

        page = signed_in(client, learner).get(url("goal_detail", goal.pk)).content.decode()

        assert '<optgroup label="Leiden">' in page and '<optgroup label="Plannen">' in page
        assert page.index("Leiden") < page.index("Lead a stand-up") < page.index("Plannen")
        assert "Shadow a planner" in page and "Not mine" not in page

    def test_without_trajectories_the_page_offers_no_step(self, client, learner, skill, url):
        goal = draft_goal(learner, skill)

        response = signed_in(client, learner).get(url("goal_detail", goal.pk))

        assert "step" not in response.context["activity_form"].fields

    def test_linking_an_own_step_through_the_form_saves_it(self, client, learner, skill, url):
        step = a_step(learner.organisation, learner=learner)
        goal = draft_goal(learner, skill)

        response = signed_in(client, learner).post(
            url("activity_add", goal.pk), {"category": "experience", "step": step.pk}
        )

        assert response.status_code == 302
        assert response["Location"].endswith("#plan")
        assert goal.activities.get().step_id == step.pk

    @pytest.mark.parametrize("enrolled", [True, False])
    def test_someone_elses_step_posted_is_a_field_error_and_nothing_is_saved(
        self, client, learner, teammate, skill, url, enrolled
    ):
        if enrolled:  # the learner has steps of their own, the form offers those
            a_step(learner.organisation, learner=learner)
        theirs = a_step(learner.organisation, learner=teammate)
        goal = draft_goal(learner, skill)

        response = signed_in(client, learner).post(
            url("activity_add", goal.pk),
            {"category": "experience", "title": "Sneaky", "step": theirs.pk},
        )

        assert response.status_code == 400
        form = response.context["activity_form"]
        assert form.errors["step"] == ["Choose a step of one of your own trajectories."]
        assert "Choose a step of one of your own trajectories." in response.content.decode()
        assert not PlanActivity.objects.exists()

    def test_a_step_of_another_organisation_is_not_found(self, client, learner, skill, url):
        other = OrganisationFactory()
        foreign = a_step(other, learner=MembershipFactory(organisation=other))
        goal = draft_goal(learner, skill)

        response = signed_in(client, learner).post(
            url("activity_add", goal.pk), {"category": "experience", "step": foreign.pk}
        )

        assert response.status_code == 404
        assert not PlanActivity.objects.exists()

    def test_the_goal_page_does_not_grow_with_the_learners_steps(
        self, client, learner, skill, url, organisation, django_assert_max_num_queries
    ):
        goal = draft_goal(learner, skill)
        client = signed_in(client, learner)
        a_step(organisation, learner=learner)
        client.get(url("goal_detail", goal.pk))
        with django_assert_max_num_queries(40) as few:
            client.get(url("goal_detail", goal.pk))

        for n in range(5):
            a_step(organisation, learner=learner, trajectory_title=f"Trajectory {n}")
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url("goal_detail", goal.pk))

        assert response.content.decode().count("<optgroup") == 6


def test_a_step_linked_through_the_form_and_signed_off_completes_the_activity(
    client, learner, manager, skill, url
):
    organisation = learner.organisation
    trajectory, author = signed_off_trajectory(
        organisation, title="Nieuwe teamleiders", steps=["Lead the Monday stand-up"]
    )
    enrolment = enrol(trajectory, learner, author)
    progress = enrolment.progress.get()
    goal = draft_goal(learner, skill)
    learner_client = signed_in(client, learner)
    page = learner_client.get(url("goal_detail", goal.pk)).content.decode()
    assert f'<option value="{progress.step_id}">Lead the Monday stand-up</option>' in page

    learner_client.post(
        url("activity_add", goal.pk), {"category": "experience", "step": progress.step_id}
    )
    activity = goal.activities.get()
    assert activity.status == PlanActivity.Status.PLANNED

    submission = evidence_submit(progress=progress, membership=learner, text="Led it twice.")
    activity.refresh_from_db()
    assert activity.status == PlanActivity.Status.PLANNED  # handed in is not done yet
    sign_off_decide(submission=submission, signer=manager, approve=True)

    activity.refresh_from_db()
    assert activity.status == PlanActivity.Status.DONE and activity.done_at is not None


def test_a_step_already_done_linked_through_the_form_starts_done(client, learner, skill, url):
    organisation = learner.organisation
    trajectory, author = signed_off_trajectory(
        organisation, title="Nieuwe teamleiders", steps=["Lead the Monday stand-up"]
    )
    progress = enrol(trajectory, learner, author).progress.get()
    step_progress_done(progress=progress, by=author)
    goal = draft_goal(learner, skill)

    signed_in(client, learner).post(
        url("activity_add", goal.pk), {"category": "experience", "step": progress.step_id}
    )

    assert goal.activities.get().status == PlanActivity.Status.DONE
