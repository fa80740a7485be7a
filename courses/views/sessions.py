"""Session pages: L&D's schedule per trajectory, the session page with attendance, booking.

Every page works without JavaScript: booking, giving up a seat, cancelling and
marking attendance are plain forms that post and come back. Times are shown in
the organisation's time zone (the tenancy middleware activates it).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import member_required
from organisations.forms import add_service_errors, service_errors_text
from organisations.permissions import Action, can, can_run_session, can_view_session

from ..ics import ics_filename, session_ics
from ..models import Enrolment, Session, SessionSeat, Trajectory
from ..selectors import sessions as selectors
from ..services import sessions as services
from ..session_forms import AttendanceForm, BookForForm, SessionForm


def _trajectory(request, trajectory_id: int) -> Trajectory:
    return get_object_or_404(
        Trajectory.objects.filter(organisation=request.organisation), pk=trajectory_id
    )


def _session(request, session_id: int) -> Session:
    """A session of the request's organisation (another's: 404) that the member may see (403)."""
    session = get_object_or_404(
        Session.objects.filter(organisation=request.organisation).select_related(
            "facilitator__user", "trajectory", "organisation"
        ),
        pk=session_id,
    )
    membership = request.membership
    session.own_enrolment = selectors.own_enrolment_for(
        membership=membership, trajectory_id=session.trajectory_id
    )
    session.own_seat = (
        SessionSeat.objects.filter(session=session, enrolment=session.own_enrolment).first()
        if session.own_enrolment
        else None
    )
    facts = {
        "facilitator_id": session.facilitator_id,
        "is_participant": session.own_seat is not None,
        "is_enrolled": session.own_enrolment is not None,
    }
    session.bookable = None  # whom the member books for: read when a page needs it
    if not can_view_session(membership, **facts):
        # A manager who is none of these sees the session of people they may book for.
        bookable = _bookable(request, session)
        if not can_view_session(membership, **facts, books_for_others=bool(bookable)):
            raise PermissionDenied
    selectors.with_titles([session])
    return session


def _bookable(request, session: Session) -> list[Enrolment]:
    if session.bookable is None:
        session.bookable = selectors.enrolments_bookable_by(
            membership=request.membership, session=session
        )
    return session.bookable


def _to_session(request, session: Session):
    return redirect("course_sessions:session_detail", request.organisation.slug, session.pk)


def _back(request, session: Session):
    """Back where the form was (the step page), else to the session page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return _to_session(request, session)


@member_required(Action.SCHEDULE_SESSIONS)
def schedule(request, trajectory_id: int):
    """L&D: every session of a trajectory, per session step, with what is booked."""
    trajectory = _trajectory(request, trajectory_id)
    steps = selectors.session_steps_of(trajectory=trajectory)
    sessions = selectors.sessions_of_trajectory(trajectory=trajectory)
    by_step = [(step, [s for s in sessions if s.step_key == step.key]) for step in steps]
    known = {step.key for step in steps}
    # Sessions of a step the current version dropped stay visible, under their own title.
    others = [s for s in sessions if s.step_key not in known]
    return render(
        request,
        "courses/sessions/schedule.html",
        {"trajectory": trajectory, "by_step": by_step, "others": others, "now": timezone.now()},
    )


@member_required(Action.SCHEDULE_SESSIONS)
def session_create(request, trajectory_id: int):
    trajectory = _trajectory(request, trajectory_id)
    steps = selectors.session_steps_of(trajectory=trajectory)
    initial = {"step_key": request.GET.get("step", "")} if request.method == "GET" else None
    form = SessionForm(
        request.POST or None, organisation=request.organisation, steps=steps, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_schedule(
                by=request.membership, trajectory=trajectory, **form.schedule_values()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Session planned."))
            return _to_session(request, session)
    return render(
        request,
        "courses/sessions/session_form.html",
        {"trajectory": trajectory, "form": form, "session": None, "steps": steps},
    )


@member_required()
def session_detail(request, session_id: int):
    return _session_page(request, _session(request, session_id))


def _session_page(request, session: Session, *, book_form: BookForForm | None = None, status=200):
    """The session page; ``book_form`` bound with its errors when booking for someone failed."""
    membership = request.membership
    runs = can_run_session(membership, facilitator_id=session.facilitator_id)
    participants = selectors.session_participants(session=session) if runs else []
    own_seat = session.own_seat
    if own_seat is not None:
        own_seat.waiting_rank = selectors.waiting_rank(own_seat)
    counts = selectors.with_counts(Session.objects.filter(pk=session.pk)).values(
        "booked_count", "waiting_count", "seats_left"
    )[0]
    now = timezone.now()
    own_progress = (
        selectors.progress_for_step(enrolment=session.own_enrolment, step_key=session.step_key)
        if session.own_enrolment
        else None
    )
    open_to_book = not session.is_cancelled and session.starts_at > now
    bookable = _bookable(request, session) if open_to_book else []
    to_book = [e for e in bookable if not e.seat_status]
    if book_form is None and to_book:
        book_form = BookForForm(enrolments=to_book)
    return render(
        request,
        "courses/sessions/session_detail.html",
        {
            "session": session,
            "counts": counts,
            "runs": runs,
            "schedules": can(membership, Action.SCHEDULE_SESSIONS),
            "participants": participants,
            "attendance_form": AttendanceForm(seats=participants) if runs else None,
            "attendance_open": runs and session.starts_at <= now and not session.is_cancelled,
            "own_seat": own_seat,
            "own_progress": own_progress,
            "can_book": (session.own_enrolment is not None and own_seat is None and open_to_book),
            "started": session.starts_at <= now,
            # Booking for others: the picker, and (for managers) whom of theirs has a seat.
            "books_for_others": bool(bookable),
            "book_form": book_form,
            "booked_for_others": [e for e in bookable if e.seat_status],
        },
        status=status,
    )


@member_required(Action.SCHEDULE_SESSIONS)
def session_edit(request, session_id: int):
    session = _session(request, session_id)
    if session.is_cancelled:
        raise Http404
    form = SessionForm(
        request.POST or None,
        organisation=request.organisation,
        initial=SessionForm.initial_for(session),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                session=session, by=request.membership, **form.schedule_values()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved. Participants hear of a new time or place."))
            return _to_session(request, session)
    return render(
        request,
        "courses/sessions/session_form.html",
        {"trajectory": session.trajectory, "form": form, "session": session},
    )


@member_required(Action.SCHEDULE_SESSIONS)
def session_cancel(request, session_id: int):
    """GET asks to confirm; POST cancels and tells the participants."""
    session = _session(request, session_id)
    if request.method == "POST":
        services.session_cancel(session=session, by=request.membership)
        messages.success(request, _("Session cancelled. The participants are told."))
        return _to_session(request, session)
    counts = selectors.with_counts(Session.objects.filter(pk=session.pk)).values(
        "booked_count", "waiting_count"
    )[0]
    return render(
        request, "courses/sessions/session_cancel.html", {"session": session, "counts": counts}
    )


@require_POST
@member_required()
def attendance(request, session_id: int):
    session = _session(request, session_id)
    if not can_run_session(request.membership, facilitator_id=session.facilitator_id):
        raise PermissionDenied
    participants = selectors.session_participants(session=session)
    form = AttendanceForm(request.POST, seats=participants)
    if form.is_valid():
        try:
            services.attendance_mark(session=session, by=request.membership, marks=form.marks())
        except ValidationError as exc:
            messages.error(request, service_errors_text(exc))
        else:
            messages.success(request, _("Attendance saved."))
    else:
        messages.error(request, _("Choose attended, excused or absent."))
    return _to_session(request, session)


@require_POST
@member_required()
def seat_book(request, session_id: int):
    """The learner books their own seat (or joins the waiting list); with ``enrolment``,
    L&D or a manager books for someone they may book for (the service decides: 403)."""
    session = _session(request, session_id)
    if "enrolment" in request.POST:
        return _book_for(request, session)
    if session.own_enrolment is None:
        raise PermissionDenied
    try:
        seat = services.seat_book(
            session=session, enrolment=session.own_enrolment, by=request.membership
        )
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        if seat.status == SessionSeat.Status.WAITING:
            messages.success(
                request,
                _("The session is full: you are number %(n)d on the waiting list.")
                % {"n": seat.waiting_rank},
            )
        else:
            messages.success(request, _("Booked. Add the invitation to your calendar."))
    return _back(request, session)


def _book_for(request, session: Session):
    form = BookForForm(
        request.POST, enrolments=[e for e in _bookable(request, session) if not e.seat_status]
    )
    if form.is_valid():
        enrolment = get_object_or_404(
            Enrolment.objects.filter(organisation=request.organisation).select_related(
                "membership__user"
            ),
            pk=form.cleaned_data["enrolment"],
        )
        try:
            seat = services.seat_book(session=session, enrolment=enrolment, by=request.membership)
        except ValidationError as exc:
            form.add_error("enrolment", exc.messages)
        else:
            name = enrolment.membership.display_name
            if seat.status == SessionSeat.Status.WAITING:
                text = _("The session is full: %(name)s is number %(n)d on the waiting list.")
                messages.success(request, text % {"name": name, "n": seat.waiting_rank})
            else:
                messages.success(request, _("Booked a place for %(name)s.") % {"name": name})
            return _to_session(request, session)
    return _session_page(request, session, book_form=form, status=400)


@require_POST
@member_required()
def seat_cancel(request, session_id: int):
    session = _session(request, session_id)
    if session.own_seat is None:
        raise Http404
    try:
        services.seat_cancel(seat=session.own_seat, by=request.membership)
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        messages.success(request, _("Your booking is cancelled."))
    return _back(request, session)


@member_required()
def invite_ics(request, session_id: int):
    """The calendar file, for whoever may see the session."""
    session = _session(request, session_id)
    body = session_ics(
        session=session,
        summary=session.display_title,
        description=request.build_absolute_uri(
            reverse("course_sessions:session_detail", args=[request.organisation.slug, session.pk])
        ),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(session)}"'
    return response


@member_required()
def my_sessions(request):
    """Sessions the member sits in (booked or waiting) and sessions they run."""
    membership = request.membership
    return render(
        request,
        "courses/sessions/my_sessions.html",
        {
            "booked": selectors.sessions_booked_by(membership=membership),
            "facilitated": selectors.sessions_facilitated_by(membership=membership),
            "facilitated_past": selectors.sessions_facilitated_by(
                membership=membership, upcoming=False
            )[:10],
        },
    )
