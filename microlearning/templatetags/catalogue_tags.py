"""``{% units_for_you as for_you %}``: the learner home shows "For you" with one include,
without its view knowing about it."""

from django import template

from microlearning.selectors.catalogue import units_for_you as select_units_for_you

register = template.Library()

FOR_YOU_LIMIT = 6


@register.simple_tag(takes_context=True)
def units_for_you(context) -> list:
    membership = context.get("membership")
    if membership is None:
        return []
    return select_units_for_you(membership=membership, limit=FOR_YOU_LIMIT)
