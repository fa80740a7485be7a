"""The 70:20:10 mix as markup: drawn once per member row, so in Python, not an include.

An include costs the coaching view about a millisecond a row (measured in
bench_coaching); these tags give the same markup for a fraction of it.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def mix_bar(mix) -> SafeString:
    """The stacked bar, 100 wide; decorative (the shares are always written out beside it)."""
    return format_html(
        '<svg class="ledger-bar mix-bar" viewBox="0 0 100 7" preserveAspectRatio="none"'
        ' aria-hidden="true" focusable="false">{}</svg>',
        format_html_join(
            "",
            '<rect class="{}" x="{}" y="0" width="{}" height="7"></rect>',
            mix.segments,
        ),
    )


@register.simple_tag
def mix_short(mix) -> SafeString:
    """A table cell's mix: the bar and the three shares; the full words for screen readers."""
    if not mix.total:
        return format_html('<span class="muted">{}</span>', gettext("none"))
    parts = mix.parts
    shares = " · ".join(f"{share}%" for _category, _count, share, _target in parts)
    spoken = "; ".join(
        f"{category.label}: {share}% ({gettext('target %(target)s%%') % {'target': target}})"
        for category, _count, share, target in parts
    )
    return format_html(
        '{}\n<span class="mix-short" aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span>',
        mix_bar(mix),
        shares,
        spoken,
    )
