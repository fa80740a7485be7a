"""What the real-worker tests share: a free port, and the environment of a worker process."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_environment(
    *, redis_url: str, smtp_host: str, smtp_port: int, var_dir: Path, site_url: str, **extra: str
) -> dict[str, str]:
    """The environment of a Celery process on the pytest database, as the app role.

    PostgreSQL only (the test is skipped otherwise): the worker is another process
    and must see the test's committed rows.
    """
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the workers share the test database: PostgreSQL only")
    database_url = (
        f"postgresql://{quote(db['USER'], safe='')}:{quote(db['PASSWORD'] or '', safe='')}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://{smtp_host}:{smtp_port}",
        "SITE_URL": site_url,
        "WERKWIJS_VAR_DIR": str(var_dir),
        "CELERY_TASK_ALWAYS_EAGER": "off",
        **extra,
    }
    env.pop("TEST_DATABASE_NAME", None)
    return env
