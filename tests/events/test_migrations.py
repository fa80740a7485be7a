"""The event log moved from analytics to events without moving a row."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from events.models import LearningEvent

pytestmark = pytest.mark.django_db


def test_the_event_log_keeps_the_table_analytics_made():
    assert LearningEvent._meta.db_table == "analytics_learningevent"
    assert LearningEvent._meta.db_table in connection.introspection.table_names()


def test_every_index_of_the_event_log_leads_with_the_organisation_then_time():
    # So the table can be partitioned by month without changing a query.
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "analytics_learningevent")
    indexes = {
        name: info["columns"]
        for name, info in constraints.items()
        if info["index"] and not info["primary_key"]
    }
    assert {"event_org_stored", "event_org_time", "event_org_time_actor"} <= set(indexes)
    for name, columns in indexes.items():
        assert columns[:2] in (
            ["organisation_id", "stored_at"],
            ["organisation_id", "timestamp"],
        ), (
            name,
            columns,
        )


def test_the_event_model_belongs_to_events_now():
    content_type = ContentType.objects.get_for_model(LearningEvent)
    assert (content_type.app_label, content_type.model) == ("events", "learningevent")
    assert not ContentType.objects.filter(app_label="analytics", model="learningevent").exists()
