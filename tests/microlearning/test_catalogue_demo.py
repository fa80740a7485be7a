"""The demo organisations' catalogue: tagged units that search and the work process pages find."""

import pytest

from demo.demo import demo_seed
from microlearning.selectors.catalogue import CatalogueFilters, catalogue_units, work_process_help
from organisations.models import Membership, Organisation, WorkProcess
from organisations.tenancy import organisation_scope

pytestmark = pytest.mark.django_db


def test_demo_units_are_tagged_and_searchable():
    demo_seed(log=lambda message: None)
    horizon = Organisation.objects.get(slug="horizon")

    with organisation_scope(horizon.pk):
        member = Membership.objects.filter(organisation=horizon).first()
        transfer = WorkProcess.objects.get(organisation=horizon, name="Transfer van cliënt")
        help_ = work_process_help(membership=member, work_process=transfer)
        found = [
            u.title
            for u in catalogue_units(membership=member, filters=CatalogueFilters(q="tillen"))
        ]

    assert [u.title for u in help_.units] == ["Veilig tillen en verplaatsen"]
    assert found == ["Veilig tillen en verplaatsen"]
    with organisation_scope(horizon.pk):
        typo = catalogue_units(membership=member, filters=CatalogueFilters(q="verplaatsn"))
        assert [u.title for u in typo] == ["Veilig tillen en verplaatsen"]
