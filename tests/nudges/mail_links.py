"""Nudge e-mails as sent: their signed, click-recording links, and the files of var/mail/."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from pathlib import Path

from nudges.services import links

TRACKED = re.compile(r'(https?://[^\s"<>]+?/n/c/([^/\s"<>]+)/)')


def tracked_links(text: str) -> list[tuple[str, str]]:
    """(address, path it leads to) of every tracked link in ``text``, in order."""
    return [(url, links.click_token_read(token)[2]) for url, token in TRACKED.findall(text)]


def link_to(text: str, fragment: str) -> str:
    """The first tracked address in ``text`` leading to a path containing ``fragment``."""
    return next(url for url, path in tracked_links(text) if fragment in path)


@dataclass(frozen=True)
class Mailed:
    """One message as the file backend wrote it, read back the way a mail client would."""

    subject: str
    to: str
    text: str
    html: str


def mails_in(folder: Path) -> list[Mailed]:
    """Every message Django's file backend wrote into ``folder`` (``make run``'s var/mail/).

    The backend appends each message to its connection's log, followed by a line of
    79 dashes.
    """
    found = []
    for log in sorted(folder.glob("*.log")):
        for raw in log.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw, policy=email.policy.default)
            found.append(
                Mailed(
                    subject=str(message["subject"]).strip(),
                    to=str(message["to"]),
                    text=message.get_body(("plain",)).get_content(),
                    html=message.get_body(("html",)).get_content(),
                )
            )
    return found
