"""Catalogue tags.

``{% units_for_you as for_you %}``: the learner home shows "For you" with one include,
without its view knowing about it. ``{% unit_cards units %}``: the result cards of a
catalogue or work process page, rendered once per unit version and then read from the cache.
``{% choice_options choices selected %}`` and ``{% work_process_links %}``: the catalogue's
filter options and task links in one tag each, not a template loop per option (every
catalogue page renders some fifty of them).
"""

from collections.abc import Iterable

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from microlearning.selectors.catalogue import FOR_YOU_SOURCES, ForYouSource
from microlearning.selectors.catalogue import units_for_you as select_units_for_you

register = template.Library()

# A card shows only its unit's live version, which is never edited once published: a new
# version has a new id, so a cached card is never stale and may stay for a day.
CARD_SECONDS = 24 * 60 * 60

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


def _card_key(unit, organisation, language: str) -> str:
    # The organisation leads every tenant cache key; its slug is in the card's link.
    return (
        f"org-{organisation.pk}:unit-card:{unit.pk}:{unit.live_version_id}"
        f":{organisation.slug}:{language}"
    )


@register.simple_tag(takes_context=True)
def unit_cards(context, units: Iterable) -> SafeString:
    """One ``<li>`` per published unit (with ``live_version`` and ``is_done``): the card from
    the cache, rendered on a miss, and the member's own "done" badge added outside it."""
    units = list(units)
    organisation = context["organisation"]
    language = get_language()
    keys = {unit.pk: _card_key(unit, organisation, language) for unit in units}
    cards = cache.get_many(keys.values())
    missing = {}
    for unit in units:
        if keys[unit.pk] not in cards:
            card = render_to_string(
                "microlearning/_unit_card.html", {"unit": unit, "organisation": organisation}
            )
            cards[keys[unit.pk]] = missing[keys[unit.pk]] = card
    if missing:
        cache.set_many(missing, CARD_SECONDS)
    # Two badges, escaped once; joined as strings (format_html per card cost more than the
    # cards). Cards are rendered templates, the badges format_html's: all already safe.
    done = format_html('<span class="badge done">{}</span>', _("Done"))
    not_done = format_html('<span class="badge">{}</span>', _("Not done yet"))
    return SafeString(
        "\n".join(
            f"<li>{cards[keys[unit.pk]]}{done if unit.is_done else not_done}</li>" for unit in units
        )
    )


_SELECTED = {True: " selected", False: ""}


@register.simple_tag
def choice_options(choices: Iterable, selected) -> SafeString:
    """``<option>`` per choice, ``selected`` on the one equal to ``selected``. A choice is a
    (value, label) pair or has ``pk`` and ``name`` (a skill or work process choice)."""
    pairs = (
        (choice.pk, choice.name) if hasattr(choice, "pk") else tuple(choice) for choice in choices
    )
    # Escaped by hand (conditional_escape, as format_html does) and joined: some fifty
    # options a page, and format_html per option cost more than the rest of the form.
    return SafeString(
        "".join(
            f'<option value="{conditional_escape(value)}"{_SELECTED[value == selected]}>'
            f"{conditional_escape(label)}</option>"
            for value, label in pairs
        )
    )


# A number no work process id reaches: reversed once, then replaced by each id.
_ID_SENTINEL = 9_876_543_210_123


@register.simple_tag(takes_context=True)
def work_process_links(context, work_processes: Iterable) -> SafeString:
    """``<li><a>`` per work process to its page: the URL reversed once, not once per process."""
    url = reverse("microlearning:work_process", args=[context["organisation"].slug, _ID_SENTINEL])
    before, after = (conditional_escape(part) for part in url.rsplit(str(_ID_SENTINEL), 1))
    return SafeString(
        "".join(
            f'<li><a href="{before}{process.pk}{after}">{conditional_escape(process.name)}</a></li>'
            for process in work_processes
        )
    )
