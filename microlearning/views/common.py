"""Helpers shared by the microlearning views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect


def redirect_to_unit(request, unit_id: int):
    return redirect("microlearning:unit_preview", request.organisation.slug, unit_id)


def redirect_to_editor(request, unit_id: int, anchor: str = ""):
    response = redirect("microlearning:unit_edit", request.organisation.slug, unit_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def errors_text(exc: ValidationError) -> str:
    return " ".join(str(message) for message in exc.messages)


def form_add_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's errors next to the form's fields; keys the form lacks go on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        field = name if name in form.fields and name != NON_FIELD_ERRORS else None
        form.add_error(field, errors)
