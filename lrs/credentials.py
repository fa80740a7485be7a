"""LRS client secrets: made, hashed and checked with django.contrib.auth.hashers.

A secret is 256 random bits, so no dictionary or brute force reaches it and the
hasher's job is only to keep the stored value useless to someone who reads the
table. PBKDF2 at its password strength (a million rounds) would cost each xAPI
request half a second of CPU; a thousand rounds keep a salted, slow-enough hash
at about a millisecond. The hasher is used directly, so the site's
PASSWORD_HASHERS (for people's passwords) stay as they are.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher

KEY_PREFIX = "lrs_"


class LrsSecretHasher(PBKDF2PasswordHasher):
    algorithm = "lrs_pbkdf2_sha256"
    iterations = 1000


HASHER = LrsSecretHasher()
# Checked against when the key is unknown, so a wrong key costs what a wrong secret does.
_UNKNOWN = HASHER.encode("unknown", HASHER.salt())


def new_key() -> str:
    return KEY_PREFIX + secrets.token_hex(12)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return HASHER.encode(secret, HASHER.salt())


def secret_matches(secret: str, encoded: str | None) -> bool:
    if not encoded:
        HASHER.verify(secret, _UNKNOWN)
        return False
    return HASHER.verify(secret, encoded)
