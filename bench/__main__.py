"""``python -m bench``: a fresh PostgreSQL database, every benchmark, one table."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
import traceback
from urllib.parse import urlsplit, urlunsplit

from bench import Row, format_table, progress

DEFAULT_DATABASE_URL = "postgresql://werkwijs:werkwijs@127.0.0.1:5432/werkwijs"


def _bench_database() -> str:
    """Drop and create the bench database next to DATABASE_URL's; return its URL."""
    import psycopg2
    from psycopg2 import sql

    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "psql"):
        raise SystemExit(f"Benchmarks run against PostgreSQL; DATABASE_URL is {parts.scheme}.")
    name = os.environ.get("BENCH_DATABASE_NAME", "werkwijs_bench")
    # Connected to the role's own database: CREATE DATABASE needs no superuser, only CREATEDB.
    admin = psycopg2.connect(url)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        admin.close()
    return urlunsplit(parts._replace(path=f"/{name}"))


def _modules() -> list:
    import bench

    modules = [
        importlib.import_module(f"bench.{info.name}")
        for info in pkgutil.iter_modules(bench.__path__)
        if info.name.startswith("bench_")
    ]
    # BENCH_ONLY=courses,catalogue runs just those (bench_seed still first, if named).
    only = {name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()}
    if only:
        modules = [m for m in modules if m.__name__.removeprefix("bench.bench_") in only]
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def main() -> int:
    url = _bench_database()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    progress(f"Migrating {urlsplit(url).path.lstrip('/')}")
    call_command("migrate", verbosity=0, interactive=False)

    rows: list[Row] = []
    failed = False
    for module in _modules():
        name = module.__name__.removeprefix("bench.")
        progress(f"Running {name}")
        started = time.perf_counter()
        try:
            rows.extend(module.run())
        except Exception:
            failed = True
            traceback.print_exc()
            rows.append(Row(name, "FAILED (see above)", time.perf_counter() - started))
    print(format_table(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
