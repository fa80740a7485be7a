"""``{% units_for_you as for_you %}``: the learner home shows "For you" with one include,
without its view knowing about it."""

from django import template

from microlearning.selectors.catalogue import FOR_YOU_SOURCES
from microlearning.selectors.catalogue import units_for_you as select_units_for_you

register = template.Library()

FOR_YOU_LIMIT = 6
# The home lists assigned units under "To do" already; "For you" there adds the rest.
HOME_SOURCES = tuple(source for source in FOR_YOU_SOURCES if source[0] != "assigned")


@register.simple_tag(takes_context=True)
def units_for_you(context) -> list:
    membership = context.get("membership")
    if membership is None:
        return []
    return select_units_for_you(membership=membership, limit=FOR_YOU_LIMIT, sources=HOME_SOURCES)
