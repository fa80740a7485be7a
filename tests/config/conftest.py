"""Helpers for tests that start Django in a subprocess with an environment of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A complete production environment: every variable the settings require when DEBUG
# is off. Nothing listens on these addresses; `check` connects to none of them.
PRODUCTION_ENV = {
    "DEBUG": "off",
    "SECRET_KEY": "k3Zq9-production-like-secret-Yw7pL2xV8nR4tB6mC1sD5fG0hJ-Qe",
    "DATABASE_URL": "postgresql://werkwijs_app:app-password@127.0.0.1:1/werkwijs",
    "ALLOWED_HOSTS": "werkwijs.example.com",
    "SITE_URL": "https://werkwijs.example.com",
    "DEFAULT_FROM_EMAIL": "Werkwijs <noreply@werkwijs.example.com>",
    "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
    "REDIS_URL": "redis://127.0.0.1:1/1",
    "EMAIL_URL": "smtp://mail.example.com:25",
}
REQUIRED_IN_PRODUCTION = sorted(set(PRODUCTION_ENV) - {"DEBUG"})


@pytest.fixture
def run_manage(tmp_path):
    """Run manage.py with exactly the given variables (the machine's own stay out)."""

    def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
        clean = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "WERKWIJS_VAR_DIR": str(tmp_path / "var"),
            **env,
        }
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=clean,
            capture_output=True,
            text=True,
            timeout=180,
        )

    return run
