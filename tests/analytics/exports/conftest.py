import pytest

from analytics import services
from analytics.exports.source import export_report
from analytics.exports.writers import suppressed_text
from analytics.measures import Format
from analytics.reporting import Report
from analytics.selectors import organisation_today
from analytics.selectors.report import hr_report, report_filters_parse
from analytics.suppression import suppress
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


def expected_report(organisation, parameters: dict) -> Report:
    """What the HR impact page shows for ``parameters``: the figures an export must hold."""
    with organisation_scope(organisation.pk):
        filters, errors = report_filters_parse(
            organisation=organisation,
            params=parameters,
            today=organisation_today(organisation=organisation),
        )
        assert not errors
        return suppress(hr_report(organisation=organisation, filters=filters, impact=True))


def expected_row_count(organisation, parameters: dict) -> int:
    with organisation_scope(organisation.pk):
        return export_report(organisation=organisation, parameters=parameters).row_count


def as_written(cell) -> object:
    """A cell of the suppressed report as the XLSX holds it."""
    if cell.suppressed:
        return suppressed_text()
    if cell.format == Format.PERCENT and isinstance(cell.value, int | float):
        return round(cell.value * 100, 1)
    return cell.value
