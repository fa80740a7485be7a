"""Statements requests in multipart/mixed, built by hand as a client would send them."""

from __future__ import annotations

import hashlib
import json

BOUNDARY = "abcABC0123'()+_,-./:=?"  # the specification's example: every allowed class


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def attachment(data: bytes, **overrides) -> dict:
    """The attachment object that declares ``data``."""
    base = {
        "usageType": "http://id.tincanapi.com/attachment/certificate",
        "display": {"en-US": "Certificate"},
        "contentType": "text/plain",
        "length": len(data),
        "sha2": sha256(data),
    }
    base.update(overrides)
    return base


def part(data: bytes, *, content_type="text/plain", sha2=None, encoding="binary") -> bytes:
    headers = [f"Content-Type: {content_type}"]
    if encoding is not None:
        headers.append(f"Content-Transfer-Encoding: {encoding}")
    if sha2 is not False:
        headers.append(f"X-Experience-API-Hash: {sha2 or sha256(data)}")
    return "\r\n".join(headers).encode() + b"\r\n\r\n" + data


def body(statements, *parts: bytes, boundary: str = BOUNDARY, first_type="application/json"):
    first = f"Content-Type: {first_type}\r\n\r\n".encode() + json.dumps(statements).encode()
    delimiter = b"--" + boundary.encode()
    chunks = [delimiter + b"\r\n" + first]
    chunks += [b"\r\n" + delimiter + b"\r\n" + p for p in parts]
    return b"".join(chunks) + b"\r\n" + delimiter + b"--\r\n"


def content_type(boundary: str = BOUNDARY) -> str:
    return f'multipart/mixed; boundary="{boundary}"'


def post_mixed(xapi, payload: bytes, *, boundary: str = BOUNDARY, statement_id=None, version=None):
    url = xapi.url + (f"?statementId={statement_id}" if statement_id else "")
    send = xapi.client.put if statement_id else xapi.client.post
    return send(
        url, payload, content_type=content_type(boundary), headers=xapi.headers(version, None)
    )


def parse_mixed(response) -> tuple[object, list[tuple[dict, bytes]]]:
    """A multipart/mixed answer: its first part's JSON, then (headers, octets) of the others."""
    header = response["Content-Type"]
    assert header.startswith("multipart/mixed"), header
    boundary = header.split("boundary=", 1)[1].strip('"')
    delimiter = b"--" + boundary.encode()
    content = response.content
    closing = b"\r\n" + delimiter + b"--\r\n"
    assert content.startswith(delimiter) and content.endswith(closing)
    chunks = content[len(delimiter) : -len(closing)].split(b"\r\n" + delimiter)
    parts = []
    for chunk in chunks:
        head, _sep, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        parts.append(({k.lower(): v for k, v in headers.items()}, data))
    (first_headers, first), rest = parts[0], parts[1:]
    assert first_headers["content-type"] == "application/json"
    return json.loads(first), rest
