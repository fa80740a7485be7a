"""The folders a local run writes to: the embedded broker's, the file mailbox, media."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def local_folders_create() -> None:
    """Create them before anything publishes: seeding the demo already sends (outbox) tasks,
    and kombu's filesystem transport refuses to write into a folder that is not there."""
    folders = [Path(settings.VAR_DIR), Path(settings.MEDIA_ROOT)]
    if getattr(settings, "EMAIL_FILE_PATH", ""):
        folders.append(Path(settings.EMAIL_FILE_PATH))
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if options.get(key):
                folders.append(Path(options[key]))
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
