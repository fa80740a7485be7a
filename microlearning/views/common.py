"""Helpers shared by the microlearning views."""

from __future__ import annotations

from django.shortcuts import redirect


def redirect_to_unit(request, unit_id: int):
    return redirect("microlearning:unit_preview", request.organisation.slug, unit_id)


def redirect_to_editor(request, unit_id: int, anchor: str = ""):
    response = redirect("microlearning:unit_edit", request.organisation.slug, unit_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response
