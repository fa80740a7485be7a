"""Production start-up fails fast, naming the variable; local runs need none."""

from __future__ import annotations

import pytest

from .conftest import PRODUCTION_ENV, REQUIRED_IN_PRODUCTION


def test_check_deploy_passes_with_a_complete_production_environment(run_manage):
    # given every production variable, when Django's deploy checks run
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    # then there is nothing left to fix
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_local_run_needs_no_variables(run_manage):
    result = run_manage("check", env={})

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", REQUIRED_IN_PRODUCTION)
def test_missing_production_variable_stops_start_up_naming_it(run_manage, name):
    # given a production environment without one variable
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != name}

    # when Django starts
    result = run_manage("check", env=env)

    # then start-up stops and says which variable is missing
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Environment variable {name} is required when DEBUG is off" in result.stderr


@pytest.mark.parametrize("name", REQUIRED_IN_PRODUCTION)
def test_empty_production_variable_counts_as_missing(run_manage, name):
    result = run_manage("check", env={**PRODUCTION_ENV, name: ""})

    assert result.returncode != 0
    assert f"Environment variable {name} is required" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "nonsense://"),
        ("DATABASE_URL", "postgresql://"),
        ("DATABASE_URL", "sqlite:///var/werkwijs.sqlite3"),
        ("CONN_MAX_AGE", "abc"),
        ("CONN_MAX_AGE", "-1"),
        ("SECRET_KEY", "too-short"),
        ("SECRET_KEY", "django-insecure-" + "x1y2z3" * 10),
        ("ALLOWED_HOSTS", " , "),
        ("SITE_URL", "werkwijs.example.com"),
        ("SITE_URL", "https://"),
        ("DEFAULT_FROM_EMAIL", "nobody"),
        ("CELERY_BROKER_URL", "nonsense://broker"),
        ("REDIS_URL", "http://cache.example.com"),
        ("EMAIL_URL", "nonsense://mail"),
        ("SECURE_SSL_REDIRECT", "sometimes"),
        ("SECURE_HSTS_SECONDS", "a year"),
        ("ACCOUNT_EMAIL_VERIFICATION", "always"),
        ("ACCOUNT_SIGNUP_OPEN", "perhaps"),
        ("INVITATION_MAX_AGE_DAYS", "0"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_malformed_variable_stops_start_up_naming_it(run_manage, name, value):
    # given a production environment with one malformed variable
    result = run_manage("check", env={**PRODUCTION_ENV, name: value})

    # then start-up stops with a message that names it
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Environment variable {name}" in result.stderr


def test_malformed_database_url_does_not_print_its_password(run_manage):
    result = run_manage(
        "check", env={**PRODUCTION_ENV, "DATABASE_URL": "mysql://werkwijs:hunter2@db/werkwijs"}
    )

    assert result.returncode != 0
    assert "Environment variable DATABASE_URL" in result.stderr
    assert "hunter2" not in result.stderr


def test_debug_accepts_the_usual_words(run_manage):
    for value in ("on", "OFF", "true", "False", "yes", "no", "1", "0"):
        result = run_manage("check", env={**PRODUCTION_ENV, "DEBUG": value})
        assert result.returncode == 0, (value, result.stderr)
