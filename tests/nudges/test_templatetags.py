import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone

from nudges.effectiveness import Funnel, RuleEffectiveness, Week
from nudges.models import Nudge
from nudges.templatetags.nudges_tags import effect_trend, percent, signed_points
from organisations.tenancy import organisation_scope
from tests import factories

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load nudges_tags %}{% notifications_link %}")


def render(organisation, membership):
    return TEMPLATE.render(Context({"organisation": organisation, "membership": membership}))


def test_the_header_link_counts_my_unread_inapp_notifications_in_one_query(
    organisation, member, django_assert_num_queries
):
    for _ in range(3):
        factories.NudgeFactory(member=member)
    factories.NudgeFactory(member=member, read_at=timezone.now())
    factories.NudgeFactory(member=member, status=Nudge.Status.PLANNED)
    factories.NudgeFactory(member=member, status=Nudge.Status.CANCELLED)
    factories.NudgeFactory(member=member, channel=Nudge.Channel.EMAIL)
    factories.NudgeFactory(member=factories.MembershipFactory(organisation=organisation))

    with organisation_scope(organisation.pk), django_assert_num_queries(1):
        html = render(organisation, member)

    assert 'aria-label="Notifications, 3 unread"' in html
    assert 'href="/o/acme/nudges/"' in html
    assert '<span class="badge count" aria-hidden="true">3</span>' in html


def test_the_header_link_says_none_unread_without_a_badge(organisation, member):
    factories.NudgeFactory(member=member, read_at=timezone.now())

    with organisation_scope(organisation.pk):
        html = render(organisation, member)

    assert 'aria-label="Notifications, none unread"' in html
    assert "badge" not in html


def test_renders_nothing_without_a_member_and_asks_nothing(organisation, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert render(organisation, None).strip() == ""


def test_shares_and_differences_read_as_percentages_and_signed_points():
    assert percent(0.426) == "43 %"
    assert percent(None) == "–"
    assert signed_points(0.0534) == "+5.3"
    assert signed_points(-0.02) == "−2.0"


def test_the_trend_scales_the_busiest_week_to_the_full_height():
    start = dt.date(2026, 1, 5)
    weeks = [
        Week(start + dt.timedelta(weeks=n), Funnel(sent=sent, acted=acted))
        for n, (sent, acted) in enumerate([(0, 0), (10, 5), (20, 20)])
    ]
    effect = RuleEffectiveness(
        rule=None, measures_action=True, total=Funnel(), weeks=weeks, holdout=None
    )

    chart = effect_trend(effect)

    full = chart["bottom"] - chart["chart_top"]
    assert [bar["sent_height"] for bar in chart["bars"]] == [0, full / 2, full]
    assert [bar["acted_height"] for bar in chart["bars"]] == [0, full / 4, full]
    assert chart["top"] == 20
