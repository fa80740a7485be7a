import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone

from nudges.models import Nudge
from organisations.tenancy import organisation_scope
from tests import factories

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load nudges_tags %}{% inapp_notifications %}")


def render(organisation, membership):
    return TEMPLATE.render(Context({"organisation": organisation, "membership": membership}))


def test_shows_the_five_newest_unread_reminders_in_one_query(
    organisation, member, django_assert_num_queries
):
    now = timezone.now()
    for age in range(7):
        factories.NudgeFactory(
            member=member, unit__title=f"Unit aged {age}", sent_at=now - dt.timedelta(hours=age)
        )

    with organisation_scope(organisation.pk), django_assert_num_queries(1):
        html = render(organisation, member)

    assert [f"Unit aged {age}" in html for age in range(7)] == [True] * 5 + [False] * 2
    assert "/o/acme/nudges/" in html  # the way to all reminders


def test_leaves_out_read_undelivered_email_foreign_and_fulfilled_reminders(organisation, member):
    factories.NudgeFactory(member=member, unit__title="Read", read_at=timezone.now())
    factories.NudgeFactory(member=member, unit__title="Planned", status=Nudge.Status.PLANNED)
    factories.NudgeFactory(member=member, unit__title="Cancelled", status=Nudge.Status.CANCELLED)
    factories.NudgeFactory(member=member, unit__title="Mailed", channel=Nudge.Channel.EMAIL)
    factories.NudgeFactory(
        member=factories.MembershipFactory(organisation=organisation), unit__title="Colleague"
    )
    done = factories.NudgeFactory(member=member, unit__title="Done since")
    factories.CompletionFactory(unit=done.unit, member=member)
    factories.NudgeFactory(member=member, unit__title="Waiting")

    with organisation_scope(organisation.pk):
        html = render(organisation, member)

    assert "Waiting" in html
    for hidden in ("Read", "Planned", "Cancelled", "Mailed", "Colleague", "Done since"):
        assert hidden not in html


def test_renders_nothing_without_a_member_and_asks_nothing(organisation, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert render(organisation, None).strip() == ""
