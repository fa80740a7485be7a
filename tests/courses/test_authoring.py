"""Authoring: checks per kind of step, sequencing within a version, versions with kept keys."""

import pytest
from django.core.exceptions import ValidationError

from courses.models import Step, StepRequirement, Trajectory
from courses.services import authoring
from microlearning.models import Unit
from tests import factories
from tests.courses.factories import EVERY_KIND, author_of, trajectory_with

pytestmark = pytest.mark.django_db


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        (Step.Kind.UNIT, {}, "unit"),
        (Step.Kind.EXTERNAL, {}, "url"),
        (Step.Kind.EXTERNAL, {"url": "http://learn.example.org/x"}, "url"),
        (Step.Kind.SESSION, {}, "session_kind"),
        (Step.Kind.ASSIGNMENT, {"sign_off": Step.SignOff.ROLE}, "sign_off_role"),
    ],
)
def test_a_step_missing_what_its_kind_needs_gets_a_field_error_and_nothing_is_saved(
    scoped, kind, fields, field
):
    author = author_of(scoped)
    trajectory = authoring.trajectory_create(by=author, title="Nieuw in de zorg")

    with pytest.raises(ValidationError) as excinfo:
        authoring.step_add(trajectory=trajectory, by=author, kind=kind, title="Stap", **fields)

    assert field in _errors(excinfo)
    assert not Step.objects.filter(version__trajectory=trajectory).exists()


def test_a_unit_step_needs_a_published_unit_of_the_organisation(scoped, other_organisation):
    author = author_of(scoped)
    trajectory = authoring.trajectory_create(by=author, title="Nieuw in de zorg")
    draft_unit = factories.UnitFactory(organisation=scoped, status=Unit.Status.DRAFT)

    with pytest.raises(ValidationError) as excinfo:
        authoring.step_add(
            trajectory=trajectory, by=author, kind=Step.Kind.UNIT, title="Unit", unit=draft_unit
        )

    assert "unit" in _errors(excinfo)


def test_every_kind_of_step_can_be_added_and_counts_in_its_category(scoped):
    trajectory = trajectory_with(scoped, EVERY_KIND, publish=False)

    steps = list(trajectory.draft_version.steps.order_by("position"))
    assert [s.kind for s in steps] == list(EVERY_KIND)
    assert [s.category for s in steps] == [
        "formal", "formal", "experience", "experience", "social", "experience", "social"
    ]  # fmt: skip


def test_a_step_waits_only_for_steps_before_it(scoped):
    author = author_of(scoped)
    trajectory = trajectory_with(scoped, [Step.Kind.EXTERNAL] * 2, author=author, publish=False)
    first, second = trajectory.draft_version.steps.order_by("position")

    with pytest.raises(ValidationError) as excinfo:
        authoring.step_update(step=first, by=author, requires=[second])
    assert "requires" in _errors(excinfo)

    authoring.step_update(step=second, by=author, requires=[first])
    with pytest.raises(ValidationError):
        authoring.step_move(step=second, by=author, direction="up")
    assert StepRequirement.objects.filter(step=second, required_step=first).exists()


def test_editing_a_published_trajectory_makes_a_draft_with_the_same_step_keys(scoped):
    author = author_of(scoped)
    trajectory = trajectory_with(scoped, [Step.Kind.EXTERNAL] * 2, author=author, chained=True)
    live = trajectory.live_version
    live_step = live.steps.order_by("position").last()

    edited = authoring.step_update(step=live_step, by=author, title="Anders")

    trajectory.refresh_from_db()
    draft = trajectory.draft_version
    assert draft.pk != live.pk and edited.version_id == draft.pk
    assert edited.key == live_step.key
    assert set(draft.steps.values_list("key", flat=True)) == set(
        live.steps.values_list("key", flat=True)
    )
    assert StepRequirement.objects.filter(step=edited).count() == 1
    live_step.refresh_from_db()
    assert live_step.title != "Anders"

    authoring.trajectory_publish(trajectory=trajectory, by=author)
    trajectory.refresh_from_db()
    assert trajectory.live_version_id == draft.pk and trajectory.draft_version_id is None


def test_archive_and_restore_follow_the_transitions(scoped):
    author = author_of(scoped)
    trajectory = trajectory_with(scoped, author=author)

    authoring.trajectory_archive(trajectory=trajectory, by=author)
    with pytest.raises(ValidationError):
        authoring.step_add(trajectory=trajectory, by=author, kind=Step.Kind.BUDDY, title="Gesprek")
    authoring.trajectory_restore(trajectory=trajectory, by=author)

    assert trajectory.status == Trajectory.Status.DRAFT


def test_instructions_are_rendered_as_units_render_markdown(scoped, client):
    from microlearning.rendering import render_markdown

    html = render_markdown("Lees **dit** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>dit</strong>" in html
    assert "<script>" not in html and 'href="javascript' not in html
