"""Writes for microlearning, one module per concern; callers import them from here."""

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
