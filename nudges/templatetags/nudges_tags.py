"""Nudges on pages.

- ``{% notifications_link %}``: the header's link to the notification centre, with the unread count.
- ``{% effect_trend effect %}``: a rule's weekly trend as an inline SVG bar chart.
- ``|percent`` and ``|signed_points``: a share as "42 %", a difference of shares as "+5.3".
"""

from django import template
from django.utils.formats import number_format

from nudges.selectors import inapp_unread_count

register = template.Library()


@register.inclusion_tag("nudges/_notifications_link.html", takes_context=True)
def notifications_link(context) -> dict:
    """One indexed count for the signed-in member; nothing (and no query) for visitors."""
    membership = context.get("membership")
    organisation = context.get("organisation")
    if membership is None or organisation is None:
        return {"shown": False}
    return {
        "shown": True,
        "organisation": organisation,
        "unread": inapp_unread_count(membership=membership),
        "current": context.get("nav_section") == "notifications",
    }


CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM, CHART_LEFT = 360, 170, 12, 138, 28
# Room on the right for the last week's label, which is centred under its bar.
CHART_RIGHT = 16


@register.inclusion_tag("nudges/_effect_trend.html")
def effect_trend(effect) -> dict:
    """Bars per week: sent, and within it the share that acted (a table gives the numbers)."""
    weeks = effect.weeks
    top = max(effect.busiest_week, 1)
    slot = (CHART_WIDTH - CHART_LEFT - CHART_RIGHT) / max(len(weeks), 1)
    scale = (CHART_BOTTOM - CHART_TOP) / top
    bars = []
    for index, week in enumerate(weeks):
        x = CHART_LEFT + index * slot
        sent_height = week.funnel.sent * scale
        acted_height = week.funnel.acted * scale
        bars.append(
            {
                "week": week,
                "x": round(x + slot * 0.15, 1),
                "width": round(slot * 0.7, 1),
                "sent_y": round(CHART_BOTTOM - sent_height, 1),
                "sent_height": round(sent_height, 1),
                "acted_y": round(CHART_BOTTOM - acted_height, 1),
                "acted_height": round(acted_height, 1),
                "label_x": round(x + slot / 2, 1),
                "labelled": (len(weeks) - 1 - index) % 2 == 0,
            }
        )
    return {
        "effect": effect,
        "bars": bars,
        "top": top,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "chart_top": CHART_TOP,
        "bottom": CHART_BOTTOM,
        "left": CHART_LEFT,
        "label_y": CHART_BOTTOM + 16,
    }


@register.filter
def percent(share: float | None) -> str:
    return "–" if share is None else f"{number_format(round(share * 100), 0)} %"


@register.filter
def signed_points(difference: float | None) -> str:
    """A difference of two shares in percentage points, signed: "+5.3", "−2.0"."""
    if difference is None:
        return "–"
    points = number_format(round(abs(difference) * 100, 1), 1)  # it cuts, so round first
    return f"+{points}" if difference >= 0 else f"−{points}"
