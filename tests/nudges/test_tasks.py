from unittest import mock

import pytest
from django.core import mail

from nudges import tasks
from nudges.models import Nudge
from nudges.services import nudges_plan_due
from organisations.tenancy import organisation_scope
from tests import factories

pytestmark = pytest.mark.django_db


def nudge_ids(organisation, **filters):
    with organisation_scope(organisation.pk):
        return set(Nudge.objects.filter(**filters).values_list("id", flat=True))


def test_planner_task_plans_and_enqueues_nothing(assigned):
    with mock.patch.object(tasks.send, "apply_async") as publish:
        planned = tasks.plan_organisation(assigned.organisation.pk)

    assert planned == 4
    publish.assert_not_called()
    assert len(nudge_ids(assigned.organisation, status=Nudge.Status.PLANNED)) == 4


def test_dispatcher_enqueues_senders_for_the_claimed_nudges_only_on_commit(
    assigned, django_capture_on_commit_callbacks
):
    tasks.plan_organisation(assigned.organisation.pk)
    with mock.patch.object(tasks.send, "apply_async") as publish:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            # when the dispatcher runs inside a transaction that has not committed yet
            claimed = tasks.dispatch()

            # then the nudges are claimed, and nothing is published before the commit
            assert claimed == 4
            publish.assert_not_called()

        # and the claimed ids go to a sender once it commits
        for callback in callbacks:
            callback()

    ids = nudge_ids(assigned.organisation, status=Nudge.Status.SENDING)
    assert len(ids) == 4
    ((call),) = publish.call_args_list
    organisation_id, sent_ids, _lease, _attempt = call.kwargs["args"]
    assert (organisation_id, set(sent_ids)) == (assigned.organisation.pk, ids)


def test_sender_task_delivers_the_claimed_nudges(assigned):
    with organisation_scope(assigned.organisation.pk):
        nudges_plan_due(organisation=assigned.organisation, now=assigned.now)
    with mock.patch.object(tasks.send, "apply_async"):
        tasks.dispatch()
    ids = sorted(nudge_ids(assigned.organisation))

    outcome = tasks.send(assigned.organisation.pk, ids)

    assert outcome == {Nudge.Status.SENT: 4}
    assert len(mail.outbox) == 2


def test_sender_task_is_late_acknowledged_and_requeued_when_its_worker_dies():
    assert tasks.send.acks_late is True
    assert tasks.send.reject_on_worker_lost is True


def test_tenant_task_of_a_deleted_organisation_does_nothing(db):
    assert tasks.plan_organisation(987654) is None
    assert tasks.send(987654, [1, 2]) == {"missing": 2}


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
    assert tasks.dispatch.name == "nudges.dispatch"
    assert tasks.sweep.name == "nudges.sweep"
    assert tasks.send.name == "nudges.send"


def test_beat_runs_the_dispatcher_and_the_sweeper_every_minute():
    from config.celery import app

    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert schedule["nudges.dispatch"].total_seconds() == 60
    assert schedule["nudges.sweep"].total_seconds() == 60


def test_a_message_for_the_retired_delivery_task_does_nothing(assigned):
    with organisation_scope(assigned.organisation.pk):
        nudges_plan_due(organisation=assigned.organisation, now=assigned.now)
    nudge_id = min(nudge_ids(assigned.organisation))

    assert tasks.deliver_nudge(assigned.organisation.pk, nudge_id) == "dispatcher"
    assert nudge_ids(assigned.organisation, status=Nudge.Status.PLANNED) == nudge_ids(
        assigned.organisation
    )


def test_a_foreign_nudge_is_not_delivered_from_another_organisation(assigned, other_organisation):
    nudge = factories.NudgeFactory(
        member=assigned.member,
        unit=assigned.unit,
        status=Nudge.Status.SENDING,
        lease_until=assigned.now,
        sent_at=None,
    )

    assert tasks.send(other_organisation.pk, [nudge.pk]) == {"missing": 1}
    assert mail.outbox == []
