"""Receivers that keep caches true to the database (no business rules here).

Skills and work processes are written by services, the admin, cascades and seeding;
a receiver sees every save and delete of one, so the cached choices
(``organisations.selectors.tag_choices``) are forgotten whoever wrote. Bulk
writes (``bulk_create``, ``QuerySet.update``) send no signals: code doing those
calls ``tag_choices_forget`` itself.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Skill, WorkProcess
from .services.catalogue import tag_choices_forget


@receiver(post_save, sender=Skill, dispatch_uid="tag_choices_skill_saved")
@receiver(post_delete, sender=Skill, dispatch_uid="tag_choices_skill_deleted")
@receiver(post_save, sender=WorkProcess, dispatch_uid="tag_choices_process_saved")
@receiver(post_delete, sender=WorkProcess, dispatch_uid="tag_choices_process_deleted")
def tag_choices_changed(sender, instance, **kwargs) -> None:
    tag_choices_forget(organisation_id=instance.organisation_id)
