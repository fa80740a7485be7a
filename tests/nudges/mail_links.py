"""The signed, click-recording links of a nudge e-mail, and the paths they lead to."""

from __future__ import annotations

import re

from nudges.services import links

TRACKED = re.compile(r'(https?://[^\s"<>]+?/n/c/([^/\s"<>]+)/)')


def tracked_links(text: str) -> list[tuple[str, str]]:
    """(address, path it leads to) of every tracked link in ``text``, in order."""
    return [(url, links.click_token_read(token)[2]) for url, token in TRACKED.findall(text)]


def link_to(text: str, fragment: str) -> str:
    """The first tracked address in ``text`` leading to a path containing ``fragment``."""
    return next(url for url, path in tracked_links(text) if fragment in path)
