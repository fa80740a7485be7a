"""Signed, expiring download links: the organisation and the job, nothing else.

The link proves which export it is for, not who may have it: the download view
still asks for a signed-in member of that organisation (the requester, or HR).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing

SALT = "analytics.exports.download"
LINK_MAX_AGE = dt.timedelta(hours=settings.EXPORT_KEEP_HOURS)


class ForeignLink(signing.BadSignature):
    """A genuine link, but for another organisation's export: treated as not found."""


def export_download_token(*, organisation_id: int, export_id: int) -> str:
    return signing.dumps({"o": organisation_id, "j": export_id}, salt=SALT)


def export_download_read(token: str, *, organisation_id: int) -> int:
    """The export id a link names; raises ``signing.SignatureExpired`` for an old link,
    ``ForeignLink`` for another organisation's, ``signing.BadSignature`` for anything else."""
    payload = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    if not isinstance(payload, dict) or not isinstance(payload.get("j"), int):
        raise signing.BadSignature("malformed export link")
    if payload.get("o") != organisation_id:
        raise ForeignLink("export link of another organisation")
    return payload["j"]
