"""Writes for microlearning, one module per concern. The unit lifecycle (``units``) is
re-exported here for its many callers; the newer concerns are imported by module
(``from microlearning.services import blocks``), which keeps this file from growing into
an index of everything."""

from .units import (
    ERROR_INVALID_TRANSITION,
    ERROR_NO_CONTENT,
    ERROR_NOT_PUBLISHED,
    ERROR_OTHER_ORGANISATION,
    ERROR_TEAM_AND_MEMBER,
    unit_archive,
    unit_assign,
    unit_complete,
    unit_create,
    unit_draft,
    unit_open,
    unit_publish,
    unit_set_status,
    unit_update,
    version_copy,
)

__all__ = [
    "ERROR_INVALID_TRANSITION",
    "ERROR_NOT_PUBLISHED",
    "ERROR_NO_CONTENT",
    "ERROR_OTHER_ORGANISATION",
    "ERROR_TEAM_AND_MEMBER",
    "unit_archive",
    "unit_assign",
    "unit_complete",
    "unit_create",
    "unit_draft",
    "unit_open",
    "unit_publish",
    "unit_set_status",
    "unit_update",
    "version_copy",
]
