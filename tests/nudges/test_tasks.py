from unittest import mock

import pytest

from nudges import tasks
from nudges.models import Nudge
from nudges.services import nudges_plan_due
from organisations.tenancy import organisation_scope
from tests import factories

pytestmark = pytest.mark.django_db


def test_planner_task_enqueues_one_delivery_per_planned_nudge_only_on_commit(
    assigned, django_capture_on_commit_callbacks
):
    with mock.patch.object(tasks.deliver_nudge, "apply_async") as publish:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            # when the planner task runs inside a transaction that has not committed yet
            planned = tasks.plan_organisation(assigned.organisation.pk)

            # then nothing is published before the commit
            assert planned == 4
            publish.assert_not_called()

        # and one delivery per nudge once it commits
        for callback in callbacks:
            callback()

    with organisation_scope(assigned.organisation.pk):
        ids = set(Nudge.objects.values_list("id", flat=True))
    assert {
        (*c.kwargs["args"], c.kwargs["kwargs"]["nudge_id"]) for c in publish.call_args_list
    } == {(assigned.organisation.pk, nudge_id) for nudge_id in ids}


def test_delivery_task_delivers_inside_the_organisation(assigned):
    with organisation_scope(assigned.organisation.pk):
        nudge_id = nudges_plan_due(organisation=assigned.organisation, now=assigned.now)[0]

    assert tasks.deliver_nudge(assigned.organisation.pk, nudge_id) == Nudge.Status.SENT


def test_tenant_task_of_a_deleted_organisation_does_nothing(db):
    assert tasks.plan_organisation(987654) is None


def test_beat_entry_starts_one_planner_per_organisation(organisation, other_organisation):
    with mock.patch.object(tasks.plan_organisation, "delay") as delay:
        assert tasks.plan_all() == 2

    assert sorted(c.args for c in delay.call_args_list) == sorted(
        [(organisation.pk,), (other_organisation.pk,)]
    )


def test_task_names_stay_stable():
    # Beat schedules and queued messages name tasks; renaming one strands them.
    assert tasks.plan_organisation.name == "nudges.plan_organisation"
    assert tasks.deliver_nudge.name == "nudges.deliver"
    assert tasks.plan_all.name == "nudges.plan_all"


def test_a_foreign_nudge_is_not_delivered_from_another_organisation(assigned, other_organisation):
    nudge = factories.NudgeFactory(
        member=assigned.member, unit=assigned.unit, status=Nudge.Status.PLANNED, sent_at=None
    )

    assert tasks.deliver_nudge(other_organisation.pk, nudge.pk) == "missing"
