"""Search that forgives: stemming per language, prefixes, parts of words, typos, and only what
learners may see. Runs on PostgreSQL and SQLite (``make test`` runs this file on both)."""

import pytest
from django.db import connection

from microlearning.models import SearchTerm, Unit
from microlearning.search_text import trigram_similarity
from microlearning.selectors.catalogue import CatalogueFilters, catalogue_units
from microlearning.services import units as unit_services
from microlearning.services.search import prefix_tsquery, search_corrections, search_words
from organisations.tenancy import organisation_scope
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SkillFactory,
    catalogue_unit,
)

pytestmark = pytest.mark.django_db


def _search(membership, q: str, **filters) -> list[str]:
    with organisation_scope(membership.organisation_id):
        units = catalogue_units(membership=membership, filters=CatalogueFilters(q=q, **filters))
        return [unit.title for unit in units]


@pytest.fixture
def meetings(organisation):
    with organisation_scope(organisation.pk):
        catalogue_unit(
            organisation,
            title="Een goede vergadering voorbereiden",
            summary="Agenda, doel en rollen.",
            language="nl",
        )
        catalogue_unit(
            organisation,
            title="Running a good meeting",
            summary="Agenda, purpose and roles.",
            language="en",
        )
        catalogue_unit(organisation, title="Veilig tillen", summary="Til met je benen.")
    return MembershipFactory(organisation=organisation)


def test_query_words_keep_letters_and_digits_only():
    assert search_words("  Vergadering's & (meeting) | !x:* 2024 ") == [
        "vergadering",
        "s",
        "meeting",
        "x",
        "2024",
    ]
    assert search_words("Handhygiëne") == ["handhygiene"]
    # Each word as itself or its Dutch or English stem, as a prefix; all of them required.
    assert prefix_tsquery("a'b") == "('a':* | 'nl_a':* | 'en_a':*) & ('b':* | 'nl_b':* | 'en_b':*)"
    assert prefix_tsquery("&|!():*") == ""


def test_dutch_stemming_finds_vergadering_for_vergaderingen(meetings):
    assert _search(meetings, "vergaderingen") == ["Een goede vergadering voorbereiden"]


def test_english_stemming_finds_meeting_for_meetings(meetings):
    assert _search(meetings, "meetings") == ["Running a good meeting"]


@pytest.mark.parametrize(
    ("typo", "title"),
    [
        ("vergadring", "Een goede vergadering voorbereiden"),
        ("meetng", "Running a good meeting"),
        ("meting", "Running a good meeting"),
    ],
)
def test_a_typo_still_finds_the_unit(meetings, typo, title):
    assert title in _search(meetings, typo)
    assert "Veilig tillen" not in _search(meetings, typo)


def test_prefix_search_finds_units_as_you_type(meetings):
    assert _search(meetings, "verga") == ["Een goede vergadering voorbereiden"]
    assert _search(meetings, "meet") == ["Running a good meeting"]
    assert _search(meetings, "veilig til") == ["Veilig tillen"]


def test_title_hits_rank_above_body_hits_and_typos_are_only_a_fallback(organisation):
    with organisation_scope(organisation.pk):
        catalogue_unit(
            organisation,
            title="Feedback geven",
            blocks=[("text", {"markdown": "Een tip voor de planning."})],
        )
        catalogue_unit(organisation, title="Planning maken")
        catalogue_unit(organisation, title="Plaanning in het team")  # a typo in the title
    member = MembershipFactory(organisation=organisation)

    # The words match: no trigram guesses mixed in.
    assert _search(member, "planning") == ["Planning maken", "Feedback geven"]
    # They match nothing: the closest titles, closest first.
    assert _search(member, "pllanning") == ["Planning maken", "Plaanning in het team"]


def test_search_reads_summary_skills_work_processes_and_every_kind_of_block_text(organisation):
    with organisation_scope(organisation.pk):
        skill = SkillFactory(organisation=organisation, name="Klantgerichtheid")
        catalogue_unit(
            organisation,
            title="Eerste",
            blocks=[
                ("checklist", {"items": ["Handen wassen", "Handschoenen aantrekken"]}),
                ("question", {"prompt": "Wanneer desinfecteer je?", "options": []}),
            ],
            skills=[skill],
        )
        catalogue_unit(organisation, title="Tweede", summary="Over brandveiligheid")
    member = MembershipFactory(organisation=organisation)

    assert _search(member, "handschoenen") == ["Eerste"]
    assert _search(member, "desinfecteer") == ["Eerste"]
    assert _search(member, "klantgericht") == ["Eerste"]
    assert _search(member, "brandveilig") == ["Tweede"]


def test_search_never_shows_drafts_archived_units_or_another_organisations(organisation):
    other = OrganisationFactory(slug="globex-search")
    with organisation_scope(organisation.pk):
        catalogue_unit(organisation, title="Vergadering live")
        catalogue_unit(organisation, title="Vergadering concept", status=Unit.Status.DRAFT)
        catalogue_unit(organisation, title="Vergadering oud", status=Unit.Status.ARCHIVED)
    with organisation_scope(other.pk):
        catalogue_unit(other, title="Vergadering bij Globex")
    member = MembershipFactory(organisation=organisation)

    assert _search(member, "vergadering") == ["Vergadering live"]
    assert _search(member, "vergadring") == ["Vergadering live"]


def test_publishing_indexes_the_new_version_and_search_drops_the_old_words(organisation):
    author = MembershipFactory(organisation=organisation, is_author=True)
    with organisation_scope(organisation.pk):
        unit = unit_services.unit_create(by=author, title="Brandalarm", body="Verzamelplaats")
        unit_services.unit_publish(unit=unit, by=author)
        assert _search(author, "verzamelplaats") == ["Brandalarm"]
        unit_services.unit_update(unit=unit, by=author, title="Ontruiming")
        # The new draft is not searched until it is published.
        assert _search(author, "ontruiming") == []
        unit_services.unit_publish(unit=Unit.objects.get(pk=unit.pk), by=author)

    assert _search(author, "ontruiming") == ["Ontruiming"]
    assert _search(author, "brandalarm") == []


def test_a_query_of_only_punctuation_finds_nothing(meetings):
    assert _search(meetings, "&|!") == []


def test_search_combines_with_filters(meetings):
    assert _search(meetings, "agenda", language="en") == ["Running a good meeting"]


def test_publishing_adds_the_words_of_title_and_summary_to_the_vocabulary(organisation):
    author = MembershipFactory(organisation=organisation, is_author=True)
    with organisation_scope(organisation.pk):
        unit = unit_services.unit_create(by=author, title="Brandalarm testen", body="Tekst")
        unit_services.unit_update(
            unit=unit, by=author, title="Brandalarm testen", summary="Elke maand, om 10 uur."
        )
        unit_services.unit_publish(unit=unit, by=author)
        terms = set(SearchTerm.objects.values_list("term", flat=True))

    assert {"brandalarm", "testen", "elke", "maand", "uur"} <= terms
    # Short words and numbers help no typo.
    assert not {"om", "10"} & terms


def test_a_typo_is_corrected_to_the_closest_word_of_the_organisation(organisation):
    with organisation_scope(organisation.pk):
        catalogue_unit(organisation, title="Medicatie dubbel controleren", language="nl")
        catalogue_unit(organisation, title="Veilig tillen", language="nl")
    member = MembershipFactory(organisation=organisation)

    with organisation_scope(organisation.pk):
        corrections = search_corrections(["medicatei", "tillen"], organisation_id=organisation.pk)
    # A word some title starts with is not a typo; the other maps to the word meant.
    assert corrections == {"medicatei": ["medicatie"]}
    assert _search(member, "medicatei dubbel") == ["Medicatie dubbel controleren"]


def test_a_typo_is_never_corrected_to_a_word_of_another_organisation(organisation):
    other = OrganisationFactory(slug="globex-vocabulary")
    with organisation_scope(other.pk):
        catalogue_unit(other, title="Ontruimingsoefening")
    with organisation_scope(organisation.pk):
        catalogue_unit(organisation, title="Veilig tillen")
        # Only the other organisation's word would correct this typo.
        assert search_corrections(["ontruimingsoefenng"], organisation_id=organisation.pk) == {}
        if connection.vendor == "postgresql":
            # Even if asked for the other organisation's terms, RLS shows none.
            assert search_corrections(["ontruimingsoefenng"], organisation_id=other.pk) == {}
    member = MembershipFactory(organisation=organisation)

    assert _search(member, "ontruimingsoefenng") == []


def test_words_found_as_typed_win_over_corrections(organisation):
    with organisation_scope(organisation.pk):
        catalogue_unit(
            organisation,
            title="Feedback geven",
            blocks=[("text", {"markdown": "Een tip voor de planing."})],  # as typed, in a body
        )
        catalogue_unit(organisation, title="Planning maken")
    member = MembershipFactory(organisation=organisation)

    with organisation_scope(organisation.pk):
        assert search_corrections(["planing"], organisation_id=organisation.pk) == {
            "planing": ["planning"]
        }
    assert _search(member, "planing") == ["Feedback geven"]
    assert _search(member, "planinng") == ["Planning maken"]


def test_search_ignores_diacritics_and_finds_parts_of_compounds(organisation):
    with organisation_scope(organisation.pk):
        catalogue_unit(organisation, title="Handhygiëne: de vijf momenten", language="nl")
        catalogue_unit(organisation, title="Valpreventie thuis", language="nl")
        catalogue_unit(organisation, title="Een incident afhandelen", language="nl")
    member = MembershipFactory(organisation=organisation)

    assert _search(member, "handhygiene") == ["Handhygiëne: de vijf momenten"]
    assert _search(member, "HANDHYGIËNE") == ["Handhygiëne: de vijf momenten"]
    assert _search(member, "hygiëne") == ["Handhygiëne: de vijf momenten"]
    assert _search(member, "preventie") == ["Valpreventie thuis"]
    # A part is five letters or more: "hand" is the start of a word, not the middle.
    assert _search(member, "hand") == ["Handhygiëne: de vijf momenten"]
    assert _search(member, "handel") == ["Een incident afhandelen"]


def test_python_trigram_similarity_is_pg_trgm_similarity():
    pairs = [
        ("meetng", "meeting"),
        ("vergadring", "vergadering"),
        ("incidnt", "incident"),
        ("overdragen", "overdracht"),
        ("handhygine", "handhygiene"),
        ("tillen", "feedback"),
    ]
    expected = {"meetng": 0.5, "vergadring": 0.6428571, "tillen": 0.0}
    for a, b in pairs:
        if a in expected:
            assert trigram_similarity(a, b) == pytest.approx(expected[a])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for a, b in pairs:
                cursor.execute("SELECT similarity(%s, %s)", [a, b])
                assert trigram_similarity(a, b) == pytest.approx(cursor.fetchone()[0])
