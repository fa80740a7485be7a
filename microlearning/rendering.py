"""Turning authored content into safe HTML.

Markdown is rendered with markdown-it (CommonMark, raw HTML off) and the result is
sanitised again with nh3 (Ammonia), so neither a Markdown trick nor a bug in one
layer lets a script, an event handler or a ``javascript:`` link through.
"""

from __future__ import annotations

from functools import cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


@cache
def _markdown() -> MarkdownIt:
    # "js-default": CommonMark with raw HTML disabled and links validated.
    return MarkdownIt("js-default").enable("table")


def render_markdown(text: str) -> SafeString:
    html = _markdown().render(text or "")
    return mark_safe(  # noqa: S308 - sanitised by nh3 just now
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            set_tag_attribute_values={"a": {"target": "_blank"}},
        )
    )
