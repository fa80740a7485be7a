import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from events.models import LearningEvent
from tests.factories import LearningEventFactory, MembershipFactory, TeamFactory, UserFactory


def complete(membership, *, unit_id: int = 1, days_ago: int = 0) -> LearningEvent:
    return LearningEventFactory(
        actor=membership,
        verb=LearningEvent.Verb.COMPLETED,
        object_id=unit_id,
        timestamp=timezone.now() - dt.timedelta(days=days_ago),
    )


@pytest.fixture
def people(organisation):
    """A manager of Sales (which has Sales North below it), and a separate Support team."""
    manager = MembershipFactory(organisation=organisation)
    sales = TeamFactory(organisation=organisation, name="Sales", manager=manager)
    north = TeamFactory(organisation=organisation, name="Sales North", parent=sales)
    support = TeamFactory(organisation=organisation, name="Support")
    manager.team = sales
    manager.save()

    def member(team, first_name):
        return MembershipFactory(
            organisation=organisation, team=team, user=UserFactory(first_name=first_name)
        )

    return SimpleNamespace(
        manager=manager,
        sales=sales,
        north=north,
        support=support,
        alice=member(sales, "Alice"),
        bob=member(north, "Bob"),
        carol=member(support, "Carolcanary"),
    )
