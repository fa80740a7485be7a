"""Mails to a session's participants: moved, cancelled, or a seat came free.

Sent by a task after the commit (``courses.tasks.send_session_emails``), each
in its reader's language, with the session's times in the organisation's time
zone and the calendar invitation attached: an update (METHOD:REQUEST, the new
SEQUENCE) for a booked seat, a cancellation (METHOD:CANCEL) when the session is
off. Someone still on the waiting list gets no calendar entry.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organisations.models import Organisation

from ..ics import Method, ics_filename, session_ics
from ..models import Session, SessionSeat
from ..selectors import sessions as selectors
from .sessions import MAIL_CANCELLED, MAIL_MOVED, MAIL_PROMOTED

KINDS = (MAIL_MOVED, MAIL_CANCELLED, MAIL_PROMOTED)


def _subject(kind: str, title: str) -> str:
    if kind == MAIL_CANCELLED:
        return _("Cancelled: %(title)s") % {"title": title}
    if kind == MAIL_PROMOTED:
        return _("You have a place: %(title)s") % {"title": title}
    return _("Changed: %(title)s") % {"title": title}


def session_url(session: Session) -> str:
    path = reverse(
        "course_sessions:session_detail",
        kwargs={"org_slug": session.organisation.slug, "session_id": session.pk},
    )
    return settings.SITE_URL + path


def _message(*, session: Session, seat: SessionSeat, kind: str, title: str):
    organisation = session.organisation
    membership = seat.enrolment.membership
    booked = seat.status == SessionSeat.Status.BOOKED
    context = {
        "organisation": organisation,
        "session": session,
        "title": title,
        "kind": kind,
        "name": membership.user.first_name or membership.display_name,
        "booked": booked,
        "url": session_url(session),
    }
    with translation.override(membership.language), timezone.override(organisation.zone):
        subject = _subject(kind, title)
        text = render_to_string("courses/sessions/email/session_change.txt", context)
        html = render_to_string("courses/sessions/email/session_change.html", context)
    message = EmailMultiAlternatives(subject, text, to=[membership.user.email])
    message.attach_alternative(html, "text/html")
    if kind == MAIL_CANCELLED or booked:
        method = Method.CANCEL if kind == MAIL_CANCELLED else Method.REQUEST
        calendar = session_ics(session=session, summary=title, method=method)
        message.attach(ics_filename(session), calendar, f"text/calendar; method={method}")
    return message


def session_emails_send(
    *, organisation: Organisation, session_id: int, seat_ids: list[int], kind: str
) -> int:
    """Mail the seats that still exist; one given up since the change was queued is skipped."""
    if kind not in KINDS:
        raise ValueError(f"unknown session mail {kind!r}")
    session = (
        Session.objects.filter(organisation=organisation, pk=session_id)
        .select_related("facilitator__user", "organisation", "trajectory")
        .first()
    )
    if session is None:
        return 0
    seats = (
        SessionSeat.objects.filter(organisation=organisation, session=session, pk__in=seat_ids)
        .select_related("enrolment__membership__user", "enrolment__membership__organisation")
        .order_by("pk")
    )
    title = selectors.session_title(session)
    messages = [_message(session=session, seat=seat, kind=kind, title=title) for seat in seats]
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)
