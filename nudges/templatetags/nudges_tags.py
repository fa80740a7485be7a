"""``{% inapp_notifications %}``: the signed-in member's unread reminders, on any page."""

from django import template

from nudges.selectors import inapp_nudges_unread

register = template.Library()


@register.inclusion_tag("nudges/inapp_notifications.html", takes_context=True)
def inapp_notifications(context) -> dict:
    """Up to five unread in-app nudges of ``membership`` in one query; nothing for visitors."""
    membership = context.get("membership")
    organisation = context.get("organisation")
    nudges = inapp_nudges_unread(membership=membership) if membership is not None else []
    return {
        "nudges": nudges,
        "organisation": organisation,
        "csrf_token": context.get("csrf_token"),
    }
