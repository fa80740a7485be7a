"""Writes for nudges: planning due reminders and delivering them, once per channel."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from analytics.models import LearningEvent
from analytics.services import learning_event_record
from microlearning.models import Assignment, Completion, Unit
from organisations.models import Membership, Organisation
from organisations.selectors import team_subtree_ids

from .models import Nudge

logger = logging.getLogger(__name__)


def finish_key(unit_id: int) -> str:
    return f"finish:unit:{unit_id}"


def nudges_plan_due(*, organisation: Organisation, now: dt.datetime) -> list[int]:
    """Create the due "finish it" nudges and return the ids of every nudge awaiting delivery.

    A member gets one e-mail and one in-app nudge for an assigned, published unit
    they have not completed ``organisation.nudge_after_days`` after it was
    assigned. The unique (member, channel, key) constraint makes a second run
    create nothing; nudges still planned (a lost task, a crashed worker) are
    returned again so they are delivered after all.
    """
    cutoff = now - dt.timedelta(days=organisation.nudge_after_days)
    assignments = list(
        Assignment.objects.filter(
            organisation=organisation, unit__status=Unit.Status.PUBLISHED, assigned_at__lte=cutoff
        ).values_list("unit_id", "team_id", "member_id")
    )
    wanted: set[tuple[int, int]] = set()
    team_roots: dict[int, list[int]] = {}
    for unit_id, team_id, member_id in assignments:
        if member_id is not None:
            wanted.add((member_id, unit_id))
        else:
            team_roots.setdefault(unit_id, []).append(team_id)
    for unit_id, roots in team_roots.items():
        team_ids = team_subtree_ids(organisation=organisation, root_ids=roots)
        for member_id in Membership.objects.filter(
            organisation=organisation, team_id__in=team_ids, is_active=True
        ).values_list("id", flat=True):
            wanted.add((member_id, unit_id))
    if wanted:
        done = set(
            Completion.objects.filter(
                organisation=organisation, unit_id__in={u for _, u in wanted}
            ).values_list("member_id", "unit_id")
        )
        due = wanted - done
        Nudge.objects.bulk_create(
            [
                Nudge(
                    organisation=organisation,
                    member_id=member_id,
                    unit_id=unit_id,
                    kind=Nudge.Kind.FINISH,
                    channel=channel,
                    key=finish_key(unit_id),
                )
                for member_id, unit_id in sorted(due)
                for channel in Nudge.Channel
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
    return list(
        Nudge.objects.filter(organisation=organisation, status=Nudge.Status.PLANNED)
        .order_by("id")
        .values_list("id", flat=True)
    )


def nudge_deliver(*, nudge_id: int) -> str:
    """Deliver one nudge if it is still planned and still has a purpose; return its status.

    The row is locked while it is delivered, so two workers cannot both send it;
    a missing or already delivered nudge is not an error. A worker killed before
    the commit rolls the status back and the (late-acknowledged) task runs again.
    """
    nudge = (
        Nudge.objects.select_for_update()
        .select_related("member__user", "member__organisation", "unit")
        .filter(pk=nudge_id)
        .first()
    )
    if nudge is None or nudge.status != Nudge.Status.PLANNED:
        return nudge.status if nudge else "missing"
    member = nudge.member
    fulfilled = (
        nudge.unit is None
        or nudge.unit.status != Unit.Status.PUBLISHED
        or not member.is_active
        or Completion.objects.filter(unit=nudge.unit, member=member).exists()
    )
    if fulfilled:
        nudge.status = Nudge.Status.CANCELLED
        nudge.save(update_fields=["status"])
        return nudge.status
    if nudge.channel == Nudge.Channel.EMAIL:
        _send_finish_email(nudge)
    nudge.status = Nudge.Status.SENT
    nudge.sent_at = timezone.now()
    nudge.attempts += 1
    nudge.save(update_fields=["status", "sent_at", "attempts"])
    learning_event_record(
        actor=member,
        verb=LearningEvent.Verb.NUDGE_SENT,
        object_type="nudge",
        object_id=nudge.pk,
        context={"channel": nudge.channel, "kind": nudge.kind, "unit": nudge.unit_id},
    )
    return nudge.status


def _send_finish_email(nudge: Nudge) -> None:
    member = nudge.member
    organisation = member.organisation
    with translation.override(member.language):
        context = {
            "member": member,
            "organisation": organisation,
            "unit": nudge.unit,
            "unit_url": settings.SITE_URL
            + reverse("microlearning:unit_detail", args=[organisation.slug, nudge.unit_id]),
        }
        subject = render_to_string("nudges/email/finish_subject.txt", context).strip()
        text = render_to_string("nudges/email/finish.txt", context)
        html = render_to_string("nudges/email/finish.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[member.user.email],
        headers={
            # Stable per nudge, so a resend after a crash is recognisable as the same mail.
            "Message-ID": f"<nudge-{nudge.pk}-{nudge.key.replace(':', '-')}@werkwijs>",
            "X-Werkwijs-Organisation": organisation.slug,
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


def nudge_mark_read(*, nudge: Nudge) -> Nudge:
    if nudge.read_at is None:
        nudge.read_at = timezone.now()
        nudge.save(update_fields=["read_at"])
        learning_event_record(
            actor=nudge.member,
            verb=LearningEvent.Verb.NUDGE_OPENED,
            object_type="nudge",
            object_id=nudge.pk,
            context={"channel": nudge.channel, "unit": nudge.unit_id},
        )
    return nudge
