import datetime as dt

import pytest
from django.utils import timezone

from events.models import LearningEvent
from events.services import learning_event_record
from events.verbs import Verb
from organisations.tenancy import organisation_scope

pytestmark = pytest.mark.django_db


def test_recording_an_event_writes_one_statement_in_the_actors_organisation(member):
    with organisation_scope(member.organisation_id):
        event = learning_event_record(
            actor=member,
            verb=Verb.COMPLETED,
            object_type="unit",
            object_id=7,
            result={"score": 3},
            context={"version": 2},
        )

    assert (event.organisation_id, event.actor_id, event.verb) == (
        member.organisation_id,
        member.pk,
        "completed",
    )
    assert (event.object_type, event.object_id, event.result, event.context) == (
        "unit",
        7,
        {"score": 3},
        {"version": 2, "category": "formal"},
    )


def test_an_event_keeps_the_category_its_object_gives_it_or_the_verbs_own(member):
    with organisation_scope(member.organisation_id):
        unit = learning_event_record(
            actor=member,
            verb=Verb.COMPLETED,
            object_type="unit",
            object_id=7,
            object_category="experience",
        )
        reflected = learning_event_record(
            actor=member, verb=Verb.REFLECTED, object_type="unit", object_id=7
        )
        rated = learning_event_record(
            actor=member, verb=Verb.RATED, object_type="unit", object_id=7
        )

    assert unit.context == {"category": "experience"}
    assert reflected.context == {"category": "experience"}
    assert rated.context == {}


def test_listeners_hear_of_each_event_inside_its_transaction(member):
    from events.signals import learning_event_recorded

    heard = []

    def listener(sender, event, **kwargs):
        heard.append((event.pk, LearningEvent.objects.filter(pk=event.pk).exists()))

    learning_event_recorded.connect(listener)
    try:
        with organisation_scope(member.organisation_id):
            event = learning_event_record(
                actor=member, verb="viewed", object_type="unit", object_id=1
            )
    finally:
        learning_event_recorded.disconnect(listener)

    assert heard == [(event.pk, True)]


def test_an_event_is_stamped_now_unless_it_happened_earlier(member):
    earlier = timezone.now() - dt.timedelta(hours=3)
    with organisation_scope(member.organisation_id):
        now = learning_event_record(actor=member, verb="viewed", object_type="unit", object_id=1)
        then = learning_event_record(
            actor=member, verb="viewed", object_type="unit", object_id=1, timestamp=earlier
        )

    assert now.timestamp > earlier
    assert then.timestamp == earlier


def test_a_verb_outside_the_vocabulary_is_not_recorded(member):
    with organisation_scope(member.organisation_id):
        with pytest.raises(ValueError):
            learning_event_record(actor=member, verb="liked", object_type="unit", object_id=1)

        assert not LearningEvent.objects.exists()
