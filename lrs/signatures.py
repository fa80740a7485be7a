"""Signed statements: a JSON web signature (JWS, RFC 7515) sent as an attachment.

The LRS checks that a signature is well formed, not that the signer is trusted
(the specification leaves that to whoever reads the statement): the attachment
has the signature usage type and ``application/octet-stream``, its part holds a
JWS in compact serialization with RS256, RS384 or RS512, the signature verifies
against the X.509 certificate in the ``x5c`` header when there is one, and the
signed payload is the statement that was received. The JWS is read and verified by
PyJWT with the ``cryptography`` package; nothing here does cryptography itself.
"""

from __future__ import annotations

import base64
import binascii
import json

import jwt
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt import api_jws

from . import statements as st
from .multipart import Attachment
from .validation import StatementInvalid, parse_timestamp

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
SIGNATURE_CONTENT_TYPE = "application/octet-stream"
ALGORITHMS = ("RS256", "RS384", "RS512")
# Set by the LRS while it stores a statement, so never compared with what was signed.
_SET_BY_LRS = ("authority", "stored")
# Assigned by the LRS when missing: compared only when both statements have them.
_ASSIGNED_IF_MISSING = ("id", "timestamp", "version")


def is_signature(attachment: dict) -> bool:
    return attachment.get("usageType") == SIGNATURE_USAGE


def check_signatures(batch: list[dict], attachments: dict[str, Attachment]) -> None:
    """Raise ``StatementInvalid`` (400) for any statement of the batch whose signature is not
    well formed or does not match it."""
    for i, statement in enumerate(batch):
        for j, attachment in enumerate(statement.get("attachments", [])):
            if not is_signature(attachment):
                continue
            path = f"statements[{i}].attachments[{j}]"
            if attachment["contentType"] != SIGNATURE_CONTENT_TYPE:
                raise StatementInvalid(
                    f"{path}.contentType", f'a signature must be "{SIGNATURE_CONTENT_TYPE}"'
                )
            part = attachments.get(attachment["sha2"].lower())
            if part is None:
                raise StatementInvalid(path, "a signature must be sent as a multipart/mixed part")
            signed = _signed_statement(part.body, path)
            if not same_statement(signed, statement):
                raise StatementInvalid(path, "the signed statement (the JWS payload) differs")


def _certificate_key(x5c, path: str) -> rsa.RSAPublicKey:
    if not isinstance(x5c, list) or not x5c or not isinstance(x5c[0], str):
        raise StatementInvalid(path, 'the JWS header\'s "x5c" must be a list of certificates')
    try:
        # RFC 7515 4.1.6: base64 (not base64url) DER, the signer's certificate first.
        certificate = x509.load_der_x509_certificate(base64.b64decode(x5c[0], validate=True))
    except (binascii.Error, ValueError) as exc:
        raise StatementInvalid(path, 'the JWS header\'s "x5c" is not an X.509 certificate') from exc
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise StatementInvalid(path, 'the certificate in "x5c" has no RSA key')
    return key


def _signed_statement(body: bytes, path: str) -> dict:
    """The statement a JWS signs, once the JWS has been found well formed (and verified)."""
    try:
        token = body.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise StatementInvalid(path, "is not a JWS in compact serialization") from exc
    if token.count(".") != 2:
        raise StatementInvalid(path, "is not a JWS in compact serialization")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise StatementInvalid(path, f"has a malformed JWS header: {exc}") from exc
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise StatementInvalid(
            path, f"uses the algorithm {algorithm!r}: only {', '.join(ALGORITHMS)} are allowed"
        )
    try:
        if "x5c" in header:
            decoded = api_jws.decode_complete(
                token, key=_certificate_key(header["x5c"], path), algorithms=[algorithm]
            )
        else:
            # Without a certificate there is nothing to verify against (the specification
            # asks for verification only "if the JWS header includes an X.509 certificate").
            decoded = api_jws.decode_complete(token, options={"verify_signature": False})
    except jwt.InvalidSignatureError as exc:
        raise StatementInvalid(path, "the signature does not verify with its certificate") from exc
    except jwt.PyJWTError as exc:
        raise StatementInvalid(path, f"is not a well-formed JWS: {exc}") from exc
    try:
        signed = json.loads(decoded["payload"])
    except (ValueError, UnicodeDecodeError) as exc:
        raise StatementInvalid(path, "the JWS payload is not JSON") from exc
    if not isinstance(signed, dict):
        raise StatementInvalid(path, "the JWS payload is not a statement")
    return signed


def _same_moment(a, b) -> bool:
    try:
        return parse_timestamp(a, "timestamp") == parse_timestamp(b, "timestamp")
    except (StatementInvalid, TypeError):
        return False


def _unsigned(statement: dict) -> dict:
    """The statement as it was before its signature was added."""
    out = {k: v for k, v in statement.items() if k not in _SET_BY_LRS}
    others = [a for a in statement.get("attachments", []) if not is_signature(a)]
    out.pop("attachments", None)
    if others:
        out["attachments"] = others
    return out


def same_statement(signed: dict, received: dict) -> bool:
    """Whether the signed statement is the received one, under the comparison rules of
    Data 2.3.1: what the LRS sets or assigns aside, group members in any order, e-mail
    addresses in any case; the signature attachment itself is not part of what was signed."""
    a, b = _unsigned(signed), _unsigned(received)
    for key in _ASSIGNED_IF_MISSING:
        if key in a and key in b:
            if key == "timestamp":
                equal = _same_moment(a[key], b[key])
            elif key == "id":
                equal = str(a[key]).lower() == str(b[key]).lower()
            else:
                equal = a[key] == b[key]
            if not equal:
                return False
        a.pop(key, None)
        b.pop(key, None)
    return json.dumps(st.normalised(a), sort_keys=True) == json.dumps(
        st.normalised(b), sort_keys=True
    )
