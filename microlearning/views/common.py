"""Helpers shared by the microlearning views."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect

from ..models import Unit


def authored_unit(request, unit_id: int) -> Unit:
    """A unit of the request's organisation in any status (another organisation's: 404)."""
    return get_object_or_404(Unit.objects.filter(organisation=request.organisation), pk=unit_id)


def redirect_to_unit(request, unit_id: int):
    return redirect("microlearning:unit_preview", request.organisation.slug, unit_id)


def errors_text(exc: ValidationError) -> str:
    return " ".join(str(message) for message in exc.messages)
