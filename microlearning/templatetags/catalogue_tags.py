"""``{% units_for_you as for_you %}``: the learner home shows "For you" with one include,
without its view knowing about it."""

from django import template

from microlearning.selectors.catalogue import FOR_YOU_SOURCES, ForYouSource
from microlearning.selectors.catalogue import units_for_you as select_units_for_you

register = template.Library()

FOR_YOU_LIMIT = 6
# The home lists assigned units under "To do" already; "For you" there adds the rest.
HOME_SOURCES = tuple(source for source in FOR_YOU_SOURCES if source[0] != "assigned")


def _leaving_out(source: ForYouSource, unit_ids: set[int]) -> ForYouSource:
    """A source that never names ``unit_ids``: asked for that many more, so it still fills."""

    def without(membership, team_ids, limit):
        found = source(membership, team_ids, limit + len(unit_ids))
        return [unit_id for unit_id in found if unit_id not in unit_ids][:limit]

    return without


@register.simple_tag(takes_context=True)
def units_for_you(context) -> list:
    membership = context.get("membership")
    if membership is None:
        return []
    # What is to do (assigned to the member or their team) is never suggested beside it,
    # whichever source would name it: the team's topics, "continue", "recently viewed".
    learning = context.get("learning")
    to_do = {item.unit.pk for item in learning.to_do} if learning is not None else set()
    sources = tuple((key, _leaving_out(source, to_do)) for key, source in HOME_SOURCES)
    return select_units_for_you(membership=membership, limit=FOR_YOU_LIMIT, sources=sources)
