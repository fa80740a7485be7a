"""Entering an organisation: the one way code gets to see tenant rows.

The rule is enforced twice. ``django_scopes`` makes an unscoped query on a
tenant model raise; on PostgreSQL, row-level security keyed on the transaction-
local setting ``app.organisation_id`` makes a forgotten filter return nothing.
The setting is made with ``set_config(..., true)`` inside the transaction the
queries run in, so it ends with that transaction and never reaches the next
user of a persistent or pooled connection. Leaving a scope restores the values
that were in force before it, so scopes nest (a task handling two organisations
in one transaction, or a test making rows for both). ``TenantTask`` is the same
entrance for Celery tasks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from celery.contrib.django.task import DjangoTask
from django.db import connection, transaction
from django_scopes import scope, scopes_disabled

from .models import Organisation

logger = logging.getLogger("werkwijs.tenancy")

ORGANISATION_SETTING = "app.organisation_id"
USER_SETTING = "app.user_id"
BYPASS_SETTING = "app.rls_bypass"


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _current(names: list[str]) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(["current_setting(%s, true)"] * len(names)), names)
        return dict(zip(names, (v or "" for v in cursor.fetchone()), strict=True))


def _set_local(values: dict[str, str], *, remember: bool) -> dict[str, str]:
    """Set transaction-local settings; return the values they replace if asked to."""
    if not _is_postgres() or not values:
        return {}
    names = list(values)
    previous = _current(names) if remember else {}
    with connection.cursor() as cursor:
        params: list[str] = []
        for name in names:
            params += [name, values[name]]
        cursor.execute("SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)), params)
    return previous


@contextmanager
def _local_settings(values: dict[str, str]) -> Iterator[None]:
    """A transaction (or savepoint) holding ``values``; the values before it come back after.

    At the outermost level the transaction's end discards the settings. Nested in
    an outer transaction, a savepoint rolled back by an exception reverts them by
    itself; only a normal exit has to put the previous values back.
    """
    nested = connection.in_atomic_block
    with transaction.atomic():
        previous = _set_local(values, remember=nested)
        yield
        # A block marked for rollback (a 500 inside a test's transaction) reverts the
        # settings with its savepoint; nothing to restore, and no query may run.
        if previous and not connection.needs_rollback:
            _set_local(previous, remember=False)


@contextmanager
def organisation_scope(organisation_id: int, *, user_id: int | None = None) -> Iterator[None]:
    """Run the block inside one organisation: a transaction, the RLS setting and the scope."""
    values = {ORGANISATION_SETTING: str(organisation_id), BYPASS_SETTING: "off"}
    if user_id is not None:
        values[USER_SETTING] = str(user_id)
    with _local_settings(values), scope(organisation=organisation_id):
        yield


@contextmanager
def organisation_scope_for_slug(
    slug: str, *, user_id: int | None = None
) -> Iterator[Organisation | None]:
    """``organisation_scope`` for the organisation behind a URL's slug, found and entered in one
    statement; yields the ``Organisation``, or ``None`` (and no scope) if no organisation has it.

    Every request to an organisation's pages pays this, so on PostgreSQL the lookup and the
    RLS settings share one round trip: ``set_config`` runs only for the row found.
    """
    values = {BYPASS_SETTING: "off"}
    if user_id is not None:
        values[USER_SETTING] = str(user_id)
    nested = connection.in_atomic_block
    with transaction.atomic():
        previous: dict[str, str] = {}
        if _is_postgres():
            names = [ORGANISATION_SETTING, *values]
            if nested:
                previous = _current(names)
            settings = ", ".join(
                ["set_config(%s, o.id::text, true)"] + ["set_config(%s, %s, true)"] * len(values)
            )
            params: list[str] = [ORGANISATION_SETTING]
            for name, value in values.items():
                params += [name, value]
            table = Organisation._meta.db_table
            # Only the table name and placeholders are interpolated; the values are parameters.
            query = Organisation.objects.raw(
                f"SELECT o.*, {settings} FROM {table} AS o WHERE o.slug = %s",  # noqa: S608
                [*params, slug],
            )
            organisation = next(iter(query), None)
        else:
            organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            yield None
            return
        with scope(organisation=organisation.pk):
            yield organisation
        if previous and not connection.needs_rollback:
            _set_local(previous, remember=False)


@contextmanager
def user_scope(user_id: int | None) -> Iterator[None]:
    """Outside any organisation: lets a signed-in person read their own memberships."""
    with _local_settings({USER_SETTING: str(user_id or ""), BYPASS_SETTING: "off"}):
        yield


@contextmanager
def platform_bypass(*, reason: str, actor: str) -> Iterator[None]:
    """Support work across organisations: lifts scoping and RLS, explicitly and logged.

    Only platform staff (the Django admin, management commands run by operators)
    may use it. RLS guards against forgotten filters, not against code that sets
    this on purpose, so every use is written to the log with who and why.
    """
    logger.warning("tenancy bypass by %s: %s", actor, reason)
    with _local_settings({BYPASS_SETTING: "on"}), scopes_disabled():
        yield


class TenantTask(DjangoTask):
    """Celery task whose first argument is ``organisation_id``.

    The task loads the organisation, then runs inside ``organisation_scope`` (one
    transaction, the RLS setting and the django-scopes scope), so everything it
    writes commits together and ``transaction.on_commit`` (or ``delay_on_commit``)
    fires only after that. A deleted organisation is not an error: there is
    nothing left to do.
    """

    abstract = True

    def __call__(self, organisation_id: int, *args, **kwargs):
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            logger.info("%s skipped: organisation %s no longer exists", self.name, organisation_id)
            return None
        with organisation_scope(organisation.pk):
            # self.run, not super().__call__: that would push a second request holding
            # the Organisation object, hiding the worker's request (id, retries) and
            # making retry() try to serialise a model instance.
            return self.run(organisation, *args, **kwargs)


# The options of every tenant task that sends e-mail. smtplib's errors and refused
# connections are all OSErrors; a mail server that is down is waited for: jittered
# waits of up to 30 s, 1, 2, 4, 8 and then 10 minutes, about three quarters of an hour.
MAIL_TASK_OPTIONS = {
    "base": TenantTask,
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "max_retries": 8,
}
