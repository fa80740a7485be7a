import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("werkwijs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic task, in one place.
app.conf.beat_schedule = {
    "analytics-rollup-events": {
        "task": "analytics.rollup_all",
        "schedule": crontab(minute="*/5"),
    },
    # HR exports whose worker vanished are restarted; expired export files are deleted.
    "analytics-exports-sweep": {
        "task": "analytics.exports_sweep",
        "schedule": timedelta(seconds=60),
    },
    # Raw events past an organisation's retention, once rolled up: at night, after a rollup.
    "analytics-event-retention": {
        "task": "analytics.retention_all",
        "schedule": crontab(minute=40, hour=2),
    },
    # Werkwijs's own learning events into the organisations' xAPI statements (lrs.mirror).
    "lrs-mirror-events": {
        "task": "lrs.mirror_all",
        "schedule": timedelta(seconds=120),
    },
    "nudges-plan-due": {
        "task": "nudges.plan_all",
        "schedule": crontab(minute="*/15"),
    },
    # The nudge outbox: due rows to senders, and rows whose sender vanished back to planned.
    "nudges-dispatch": {
        "task": "nudges.dispatch",
        "schedule": timedelta(seconds=settings.NUDGE_BEAT_SECONDS),
    },
    "nudges-sweep": {
        "task": "nudges.sweep",
        "schedule": timedelta(seconds=settings.NUDGE_BEAT_SECONDS),
    },
    # Open enrolments whose due date passed become overdue, early each morning.
    "courses-enrolments-mark-overdue": {
        "task": "courses.enrolments_mark_overdue",
        "schedule": crontab(minute=15, hour=3),
    },
    # After-commit work the broker could not take (it was down) goes out from here.
    "organisations-outbox-sweep": {
        "task": "organisations.outbox_sweep",
        "schedule": timedelta(seconds=30),
    },
}
