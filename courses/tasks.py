"""Thin Celery wrappers around the trajectory services; every tenant task takes ids."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from organisations.models import Organisation
from organisations.tenancy import TenantTask

from .services import enrolments


@shared_task(name="courses.enrolments_mark_overdue_organisation", base=TenantTask, acks_late=True)
def enrolments_mark_overdue_organisation(organisation: Organisation) -> int:
    return enrolments.enrolments_mark_overdue(organisation=organisation, now=timezone.now())


@shared_task(name="courses.enrolments_mark_overdue")
def enrolments_mark_overdue() -> int:
    """Beat entry, daily: one task per organisation, so organisations run in parallel."""
    ids = list(Organisation.objects.order_by("id").values_list("id", flat=True))
    for organisation_id in ids:
        enrolments_mark_overdue_organisation.delay(organisation_id)
    return len(ids)
