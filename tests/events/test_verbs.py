import pytest

from events.models import LearningEvent
from events.verbs import ADL, WERKWIJS, Category, FromObject, Verb, event_category


def test_every_verb_has_an_xapi_iri_of_adl_or_our_own():
    for verb in Verb:
        assert verb.iri.startswith((ADL, WERKWIJS)), verb
    assert Verb.COMPLETED.iri == "http://adlnet.gov/expapi/verbs/completed"
    assert Verb.VIEWED.iri == "http://adlnet.gov/expapi/verbs/experienced"
    assert Verb.ANSWERED.iri == "http://adlnet.gov/expapi/verbs/answered"


def test_no_two_verbs_share_an_iri():
    iris = [verb.iri for verb in Verb]
    assert len(iris) == len(set(iris))


def test_our_own_iris_are_https_and_do_not_depend_on_the_installation(settings):
    settings.SITE_URL = "https://elsewhere.example"
    for verb in Verb:
        if verb.iri.startswith(WERKWIJS):
            assert verb.iri.startswith("https://")
            assert "elsewhere" not in verb.iri


def test_every_verb_implies_a_category_the_object_decides_or_none():
    for verb in Verb:
        assert verb.category is None or isinstance(verb.category, Category | FromObject), verb


def test_the_event_model_stores_the_vocabulary_codes():
    field = LearningEvent._meta.get_field("verb")
    assert [code for code, _label in field.choices] == [verb.value for verb in Verb]
    assert LearningEvent.Verb is Verb


@pytest.mark.parametrize("verb", [Verb.VIEWED, Verb.COMPLETED, Verb.ANSWERED])
def test_learning_from_a_unit_counts_under_the_units_own_category(verb):
    assert event_category(verb=verb, object_category="experience") == Category.EXPERIENCE
    assert event_category(verb=verb, object_category="social") == Category.SOCIAL


def test_an_object_without_a_category_counts_a_unit_verb_as_formal():
    assert event_category(verb=Verb.COMPLETED) == Category.FORMAL


def test_applying_and_reflecting_are_experience_whatever_the_object():
    for verb in (Verb.APPLIED, Verb.COMMITTED, Verb.REFLECTED):
        assert event_category(verb=verb, object_category="formal") == Category.EXPERIENCE


def test_reminders_assignments_and_ratings_count_in_no_part_of_the_mix():
    for verb in (Verb.NUDGE_SENT, Verb.NUDGE_OPENED, Verb.ASSIGNED, Verb.RATED):
        assert event_category(verb=verb, object_category="formal") is None


def test_the_stored_code_is_what_a_query_compares_with():
    assert Verb("completed") is Verb.COMPLETED
    assert Verb.COMPLETED == "completed"
    assert str(Verb.NUDGE_SENT) == "nudge_sent"
