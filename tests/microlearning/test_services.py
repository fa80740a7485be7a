import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from events.models import LearningEvent
from microlearning import services
from microlearning.models import Unit
from organisations.models import AuditLog
from organisations.tenancy import organisation_scope
from tests.factories import MembershipFactory, TeamFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_same_status_is_a_no_op_and_writes_no_audit_row(organisation, author):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.PUBLISHED)

    with organisation_scope(organisation.pk):
        services.unit_publish(unit=unit, by=author)
        assert not AuditLog.objects.filter(action="unit.published").exists()


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Unit.Status.PUBLISHED, Unit.Status.DRAFT),
        (Unit.Status.ARCHIVED, Unit.Status.PUBLISHED),
    ],
)
def test_invalid_transition_raises_and_changes_nothing(organisation, author, start, target):
    unit = UnitFactory(organisation=organisation, status=start)

    with organisation_scope(organisation.pk), pytest.raises(ValidationError):
        services.unit_set_status(unit=unit, by=author, status=target)

    with scopes_disabled():
        unit.refresh_from_db()
    assert unit.status == start


def test_archive_is_audited(organisation, author):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.PUBLISHED)

    with organisation_scope(organisation.pk):
        services.unit_archive(unit=unit, by=author)
        audit = AuditLog.objects.get(action="unit.archived")

    assert (audit.actor, audit.object_id) == (author, unit.pk)


def test_assigning_a_team_of_another_organisation_is_refused(
    organisation, other_organisation, author
):
    unit = UnitFactory(organisation=organisation)
    foreign_team = TeamFactory(organisation=other_organisation)

    with organisation_scope(organisation.pk), pytest.raises(ValidationError):
        services.unit_assign(unit=unit, by=author, team=foreign_team)


def test_opening_a_unit_records_a_viewed_event(organisation):
    unit = UnitFactory(organisation=organisation)
    member = MembershipFactory(organisation=organisation)

    with organisation_scope(organisation.pk):
        services.unit_open(unit=unit, membership=member)
        event = LearningEvent.objects.get()

    assert (event.actor, event.verb, event.object_type, event.object_id) == (
        member,
        LearningEvent.Verb.VIEWED,
        "unit",
        unit.pk,
    )
    assert event.organisation_id == organisation.pk


def test_a_draft_cannot_be_opened_or_completed(organisation):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)
    member = MembershipFactory(organisation=organisation)

    with organisation_scope(organisation.pk):
        with pytest.raises(ValidationError):
            services.unit_open(unit=unit, membership=member)
        with pytest.raises(ValidationError):
            services.unit_complete(unit=unit, membership=member)
        assert not LearningEvent.objects.exists()
