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
        ("LOGIN_FAILED_PER_ACCOUNT", "five"),
        ("LOGIN_FAILED_PER_ADDRESS", "0/5m"),
        ("LOGIN_PER_ADDRESS", "600/5w"),
        ("ALLAUTH_TRUSTED_PROXY_COUNT", "one"),
        ("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", "X-Real-IP"),
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


def test_log_level_accepts_either_case_in_django_and_gunicorn(run_manage, monkeypatch):
    from .conftest import ROOT

    for value in ("warning", "WARNING", "Warning"):
        result = run_manage("check", env={**PRODUCTION_ENV, "LOG_LEVEL": value})
        assert result.returncode == 0, (value, result.stderr)

        monkeypatch.setenv("LOG_LEVEL", value)
        config: dict = {}
        exec((ROOT / "platform/gunicorn.conf.py").read_text(), config)  # noqa: S102
        assert config["loglevel"] == "warning"


def test_sign_in_limits_and_trusted_proxies_come_from_the_environment(run_manage):
    show = (
        "from django.conf import settings as s; "
        "print(s.ACCOUNT_RATE_LIMITS, s.ALLAUTH_TRUSTED_PROXY_COUNT, "
        "s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    defaults = run_manage("shell", "--no-imports", "-c", show, env={})
    assert defaults.stdout.strip() == (
        "{'login': '600/300s/ip', 'login_failed': '5/300s/key,100/300s/ip'} 0 None"
    ), defaults.stderr

    chosen = run_manage(
        "shell",
        "--no-imports",
        "-c",
        show,
        env={
            "LOGIN_PER_ADDRESS": "1000/h",
            "LOGIN_FAILED_PER_ACCOUNT": "3/10m",
            "LOGIN_FAILED_PER_ADDRESS": "50/m",
            "ALLAUTH_TRUSTED_PROXY_COUNT": "1",
            "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
        },
    )
    assert chosen.stdout.strip() == (
        "{'login': '1000/3600s/ip', 'login_failed': '3/600s/key,50/60s/ip'} 1 X-Real-IP"
    ), chosen.stderr
