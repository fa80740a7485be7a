"""The same queries find the same demo units on PostgreSQL and SQLite (``make test`` runs
this file on both): typos, diacritics, stems, prefixes and parts of Dutch compounds."""

import pytest

from demo.demo import demo_seed
from microlearning.models import Unit
from microlearning.selectors.catalogue import CatalogueFilters, catalogue_units
from microlearning.services.search import units_search_ids
from organisations.models import Membership, Organisation
from organisations.tenancy import organisation_scope
from tests.factories import catalogue_unit

pytestmark = pytest.mark.django_db

HANDHYGIENE = "Handhygiëne: de vijf momenten"
INCIDENT = "Een incident melden"
GESPREK = "Een lastig gesprek voeren"
VALPREVENTIE = "Valpreventie bij cliënten thuis"
VERGADERING = "Een goede vergadering voorbereiden"
MEETING = "Running a good meeting"

# Query -> the titles found, best first, on either backend.
EXPECTED = {
    "handhygiene": [HANDHYGIENE],  # without the diacritic
    "Handhygiëne": [HANDHYGIENE],
    "handhygine": [HANDHYGIENE],  # a typo, corrected from the vocabulary
    "hygiene": [HANDHYGIENE],  # a part of a compound
    "hand": [HANDHYGIENE, "Overdracht met SBAR"],  # a prefix; "wat is er aan de hand"
    "incidnt": [INCIDENT],
    "overdragen": ["Overdracht met SBAR"],  # corrected to "overdracht"
    "vallen": [VALPREVENTIE, GESPREK, INCIDENT],  # the stem "val": "valpreventie", "een val"
    "preventie": [VALPREVENTIE, HANDHYGIENE],  # "valpreventie"; skill "Infectiepreventie"
    "schoonmaak": [HANDHYGIENE],  # work process "Schoonmaak cliëntkamer"
    "veilig til": ["Veilig tillen en verplaatsen"],
    "verplaatsn": ["Veilig tillen en verplaatsen"],
    "vergaderingen": [VERGADERING],  # Dutch stemming
    "meetng": [MEETING],
    # English stemming; the Dutch stem of "metingen" (measurements) is "meet" too.
    "meetings": [MEETING, "Overdracht met SBAR"],
    "lifting": ["Veilig tillen en verplaatsen"],  # "lift", in English and in Dutch
    "warehouse": [],  # only in another organisation's units
}


@pytest.fixture
def horizon_employee():
    demo_seed(log=lambda message: None)
    horizon = Organisation.objects.get(slug="horizon")
    with organisation_scope(horizon.pk):
        # The demo has no meetings; these two stand for the searches everyone tries.
        catalogue_unit(horizon, title=VERGADERING, summary="Agenda, doel en rollen.")
        catalogue_unit(horizon, title=MEETING, summary="Agenda, purpose, roles.", language="en")
        return Membership.objects.get(organisation=horizon, user__email="medewerker@horizon.demo")


def test_demo_queries_find_the_same_units_on_every_backend(horizon_employee):
    with organisation_scope(horizon_employee.organisation_id):
        found = {
            query: [
                unit.title
                for unit in catalogue_units(
                    membership=horizon_employee, filters=CatalogueFilters(q=query)
                )
            ]
            for query in EXPECTED
        }

    assert found == EXPECTED


def test_a_search_costs_two_queries_typo_or_not(horizon_employee, django_assert_num_queries):
    organisation_id = horizon_employee.organisation_id
    with organisation_scope(organisation_id):
        units = Unit.objects.filter(organisation_id=organisation_id, status=Unit.Status.PUBLISHED)
        for query in ("handhygiene", "handhygine", "vallen", "hygiene"):
            # The vocabulary, then the ranked ids.
            with django_assert_num_queries(2):
                assert units_search_ids(
                    units=units, query=query, organisation_id=organisation_id, limit=20
                )
