"""Checks that several services share: the same organisation, a name not yet taken."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import Membership, Skill, Team, WorkProcess

# Errors (module constants, so tests and pages share one wording)
ERROR_OTHER_ORGANISATION = _("That belongs to another organisation.")
ERROR_NAME_TAKEN = _("This name is in use already; choose another.")


def name_free_check(
    model: type[Team | Skill | WorkProcess],
    *,
    obj: models.Model | None,
    by: Membership,
    name: str,
) -> None:
    # Case-insensitive, stricter than the database constraint: "Sales" and "sales"
    # side by side would only confuse people picking from a list.
    taken = model.objects.filter(organisation_id=by.organisation_id, name__iexact=name.strip())
    if obj is not None and obj.pk is not None:
        taken = taken.exclude(pk=obj.pk)
    if taken.exists():
        raise ValidationError({"name": ERROR_NAME_TAKEN})
