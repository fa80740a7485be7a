"""multipart/mixed (RFC 2046) as xAPI uses it: statements first, then attachment octets.

Written here rather than with the standard library's ``email`` parser because the
parts are raw binary (``Content-Transfer-Encoding: binary``): the e-mail parser
works on lines and text, which is the wrong model for octets that may hold any
byte sequence. What RFC 2046 asks is small: a part runs from one delimiter
(CRLF, ``--``, the boundary) to the next, and the last one ends in ``--``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

from django.utils.http import parse_header_parameters

from .validation import StatementInvalid

CRLF = b"\r\n"
HASH_HEADER = "x-experience-api-hash"
# The SHA-2 functions, told apart by the length of their hexadecimal digest.
SHA2_BY_HEX_LENGTH = {56: "sha224", 64: "sha256", 96: "sha384", 128: "sha512"}


@dataclass
class Part:
    headers: dict[str, str]  # names in lowercase
    body: bytes

    @property
    def content_type(self) -> str:
        value, _params = parse_header_parameters(self.headers.get("content-type", ""))
        return value


@dataclass
class Attachment:
    """An attachment's octets as received or to be sent, named by their SHA-2."""

    sha2: str  # lowercase hexadecimal
    content_type: str
    body: bytes = field(repr=False)


def sha2_matches(body: bytes, sha2: str) -> bool:
    algorithm = SHA2_BY_HEX_LENGTH.get(len(sha2))
    if algorithm is None:
        return False
    return secrets.compare_digest(hashlib.new(algorithm, body).hexdigest(), sha2.lower())


def boundary_of(content_type_header: str) -> str:
    _value, params = parse_header_parameters(content_type_header)
    boundary = params.get("boundary", "")
    # RFC 2046: 1 to 70 characters.
    if not 1 <= len(boundary) <= 70:
        raise StatementInvalid("Content-Type", "multipart/mixed needs a boundary parameter")
    return boundary


def _headers(block: bytes, where: str) -> dict[str, str]:
    headers = {}
    for line in block.split(CRLF):
        if not line:
            continue
        name, sep, value = line.partition(b":")
        if not sep or not name.strip():
            raise StatementInvalid(where, f"has a malformed header line {line[:80]!r}")
        try:
            headers[name.strip().decode("ascii").lower()] = value.strip().decode("latin-1")
        except UnicodeDecodeError as exc:
            raise StatementInvalid(where, "has a header name that is not ASCII") from exc
    return headers


def split(body: bytes, boundary: str) -> list[Part]:
    """The parts of a multipart body, in order; a malformed body raises ``StatementInvalid``."""
    delimiter = b"--" + boundary.encode("latin-1")
    if body.startswith(delimiter):
        position = 0
    else:
        # Anything before the first delimiter is a preamble, to be ignored.
        position = body.find(CRLF + delimiter)
        if position < 0:
            raise StatementInvalid("body", "has no multipart boundary")
        position += len(CRLF)
    parts = []
    while True:
        position += len(delimiter)
        if body[position : position + 2] == b"--":
            return parts
        line_end = body.find(CRLF, position)
        # Only transport padding (spaces, tabs) may follow a delimiter on its line.
        if line_end < 0 or body[position:line_end].strip(b" \t"):
            raise StatementInvalid("body", "has a malformed multipart delimiter line")
        start = line_end + len(CRLF)
        end = body.find(CRLF + delimiter, start)
        if end < 0:
            raise StatementInvalid("body", "ends before its closing multipart boundary")
        where = f"part {len(parts) + 1}"
        chunk = body[start:end]
        if chunk.startswith(CRLF):
            head, content = b"", chunk[len(CRLF) :]
        else:
            head, sep, content = chunk.partition(CRLF + CRLF)
            if not sep:
                raise StatementInvalid(where, "has no blank line after its headers")
        parts.append(Part(headers=_headers(head, where), body=content))
        position = end + len(CRLF)


def attachment_parts(parts: list[Part]) -> dict[str, Attachment]:
    """The parts after the statements, checked and keyed by their hash.

    Each must name its hash (``X-Experience-API-Hash``) and the hash must be that of its
    octets; ``binary`` is the only transfer encoding (and the one assumed if none is given).
    """
    found: dict[str, Attachment] = {}
    for number, part in enumerate(parts, start=2):
        where = f"part {number}"
        sha2 = part.headers.get(HASH_HEADER, "").lower()
        if not sha2:
            raise StatementInvalid(where, "needs an X-Experience-API-Hash header")
        encoding = part.headers.get("content-transfer-encoding", "binary").lower()
        if encoding != "binary":
            raise StatementInvalid(
                where, f'Content-Transfer-Encoding must be "binary", not {encoding!r}'
            )
        if not sha2_matches(part.body, sha2):
            raise StatementInvalid(where, "its X-Experience-API-Hash is not the SHA-2 of its data")
        found[sha2] = Attachment(
            sha2=sha2,
            content_type=part.content_type or "application/octet-stream",
            body=part.body,
        )
    return found


def build(first: bytes, attachments: list[Attachment]) -> tuple[bytes, str]:
    """A multipart/mixed body: ``first`` (JSON), then each attachment; returns (body, boundary)."""
    while True:
        boundary = secrets.token_hex(16)
        marker = boundary.encode()
        if marker not in first and not any(marker in a.body for a in attachments):
            break
    delimiter = b"--" + marker
    chunks = [delimiter, CRLF, b"Content-Type: application/json", CRLF, CRLF, first]
    for attachment in attachments:
        chunks += [
            CRLF,
            delimiter,
            CRLF,
            f"Content-Type: {attachment.content_type}".encode("latin-1", "replace"),
            CRLF,
            b"Content-Transfer-Encoding: binary",
            CRLF,
            f"X-Experience-API-Hash: {attachment.sha2}".encode(),
            CRLF,
            CRLF,
            attachment.body,
        ]
    chunks += [CRLF, delimiter, b"--", CRLF]
    return b"".join(chunks), boundary


def read(body: bytes, content_type_header: str) -> tuple[bytes, dict[str, Attachment]]:
    """A statements request in multipart/mixed: the JSON of its first part, and its attachments."""
    parts = split(body, boundary_of(content_type_header))
    if not parts:
        raise StatementInvalid("body", "has no parts: the first must hold the statements")
    if parts[0].content_type != "application/json":
        raise StatementInvalid(
            "part 1", "must be the statements, with Content-Type application/json"
        )
    return parts[0].body, attachment_parts(parts[1:])
