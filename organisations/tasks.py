"""The tenant-aware task base: every tenant task names its organisation and enters it."""

from __future__ import annotations

import logging

from celery.contrib.django.task import DjangoTask

from .models import Organisation
from .tenancy import organisation_scope

logger = logging.getLogger(__name__)


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
