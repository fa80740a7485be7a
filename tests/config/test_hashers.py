"""Passwords are hashed with Argon2id; older hashes are rewritten at the next sign-in."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, identify_hasher
from django.urls import reverse

from config.hashers import Argon2PasswordHasher
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PRODUCTION_HASHERS = [
    "config.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def test_production_hashes_with_argon2id_first(settings):
    from config import settings as production

    assert production.PASSWORD_HASHERS[0] == "config.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in production.PASSWORD_HASHERS


def test_a_pbkdf2_hash_is_upgraded_to_argon2_at_sign_in(client, settings):
    # given an account whose password was hashed with PBKDF2 (few rounds: only the kind matters)
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = UserFactory()
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])

    # when the person signs in
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    # then they are in, and the stored hash is now Argon2id with our parameters
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(PASSWORD, user.password)


def test_an_argon2_hash_with_other_parameters_is_upgraded_too(settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = UserFactory()

    class Heavier(Argon2PasswordHasher):
        memory_cost = 32 * 1024

    user.password = Heavier().encode(PASSWORD, Heavier().salt())
    user.save(update_fields=["password"])

    assert identify_hasher(user.password).must_update(user.password)
    assert user.check_password(PASSWORD)
    user.refresh_from_db()
    assert not identify_hasher(user.password).must_update(user.password)
