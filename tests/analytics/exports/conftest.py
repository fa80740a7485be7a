import pytest

from analytics import services
from organisations.tenancy import organisation_scope
from tests.analytics.conftest import complete
from tests.factories import MembershipFactory


@pytest.fixture
def hr(organisation):
    return MembershipFactory(organisation=organisation, is_hr=True, user__first_name="Hanna")


@pytest.fixture
def eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True


def rollup(organisation) -> None:
    with organisation_scope(organisation.pk):
        services.team_daily_rollup(organisation=organisation)


@pytest.fixture
def completions(organisation, people):
    """Alice (Sales) twice, Bob (Sales North) once, Carol (Support) once, all this week."""
    complete(people.alice)
    complete(people.alice, unit_id=2)
    complete(people.bob)
    complete(people.carol)
    rollup(organisation)
    return people
