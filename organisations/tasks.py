"""The tenant-aware task base: every tenant task names its organisation and enters it."""

from __future__ import annotations

from celery import Task

from .models import Organisation
from .tenancy import organisation_scope


class TenantTask(Task):
    """Celery task whose first argument is ``organisation_id``.

    The task loads the organisation, then runs inside ``organisation_scope`` (one
    transaction, the RLS setting and the django-scopes scope). A deleted
    organisation is not an error: there is nothing left to do.
    """

    abstract = True

    def __call__(self, organisation_id: int, *args, **kwargs):
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            return None
        with organisation_scope(organisation.pk):
            return super().__call__(organisation, *args, **kwargs)
