"""API for group sessions: L&D plans them, learners book, facilitators mark attendance.

Sessions of another organisation are not found (404); a member of the
organisation who may not do something gets 403 (booking for someone they do
not manage, marking attendance of a session they do not run). A full session
is no error: the seat comes back with ``status: waiting`` and its position.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import renderers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from organisations.api_errors import ROLE_READ_ERRORS, WRITE_ERRORS, error_responses
from organisations.permissions import Action, can_run_session, can_view_session

from ..ics import ics_filename, session_ics
from ..models import Session, SessionSeat, Trajectory
from ..selectors import sessions as selectors
from ..serializers.sessions import (
    AttendanceSerializer,
    BookSerializer,
    SeatSerializer,
    SessionSerializer,
    SessionUpdateSerializer,
    SessionWriteSerializer,
)
from ..services import sessions as services

SESSIONS_TAG = "sessions"

SESSION_EXAMPLE = {
    "id": 7,
    "trajectory_id": 3,
    "step_key": "6f1c2a9e-3b1d-4d0e-9a53-2f8f0c1d7e21",
    "title": "",
    "display_title": "Intervision on giving feedback",
    "starts_at": "2026-03-29T10:00:00+02:00",
    "ends_at": "2026-03-29T12:00:00+02:00",
    "place": "Room 2.14",
    "online_url": "",
    "capacity": 8,
    "facilitator": {"id": 5, "name": "Lotte Jansen"},
    "cancelled_at": None,
    "sequence": 0,
    "uid": "0b0f6c1e-5d2a-4f5e-8f57-7d0e3c1b2a11@werkwijs",
    "booked_count": 6,
    "waiting_count": 0,
    "seats_left": 2,
}
SEAT_EXAMPLE = {
    "id": 31,
    "session_id": 7,
    "enrolment_id": 12,
    "member": {"id": 40, "name": "Sem de Vries"},
    "status": "waiting",
    "waiting_position": 2,
    "attendance": "",
    "marked_by": None,
    "marked_at": None,
}


def _session_data(session: Session) -> dict:
    session = (
        selectors.with_counts(Session.objects.filter(pk=session.pk))
        .select_related("facilitator__user")
        .get()
    )
    return SessionSerializer(selectors.with_titles([session])[0]).data


def _session(request, session_id: int, *, check_view: bool = True) -> Session:
    """A session of the organisation (else 404) the caller may see (else 403).

    Booking for someone else skips the view check: the service asks whether the
    caller may book for that learner (their manager may, without seeing it otherwise).
    """
    session = get_object_or_404(
        Session.objects.filter(organisation=request.organisation).select_related(
            "facilitator__user", "trajectory"
        ),
        pk=session_id,
    )
    membership = request.membership
    enrolment = selectors.own_enrolment_for(
        membership=membership, trajectory_id=session.trajectory_id
    )
    seat = (
        SessionSeat.objects.filter(session=session, enrolment=enrolment).first()
        if enrolment
        else None
    )
    if check_view and not can_view_session(
        membership,
        facilitator_id=session.facilitator_id,
        is_participant=seat is not None,
        is_enrolled=enrolment is not None,
    ):
        raise PermissionDenied
    session.own_enrolment = enrolment
    session.own_seat = seat
    return session


class TrajectorySessionsView(APIView):
    required_action = {"GET": Action.LEARN, "POST": Action.SCHEDULE_SESSIONS}

    @extend_schema(
        tags=[SESSIONS_TAG],
        summary="A trajectory's sessions",
        description="L&D: every session. Others: the sessions they may see (they run them, "
        "sit in them, or are enrolled in the trajectory).",
        responses={200: SessionSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request, org_slug: str, trajectory_id: int):
        trajectory = get_object_or_404(
            Trajectory.objects.filter(organisation=request.organisation), pk=trajectory_id
        )
        sessions = selectors.with_counts(
            selectors.visible_sessions(membership=request.membership).filter(trajectory=trajectory)
        ).select_related("facilitator__user")
        sessions = selectors.with_titles(sessions.order_by("starts_at", "pk"))
        return Response(SessionSerializer(sessions, many=True).data)

    @extend_schema(
        tags=[SESSIONS_TAG],
        summary="Plan a session of a session step (L&D)",
        description="A start in the past, or an end before the start, is a field error (400).",
        request=SessionWriteSerializer,
        responses={201: SessionSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "An intervision",
                request_only=True,
                value={
                    "step_key": SESSION_EXAMPLE["step_key"],
                    "starts_at": "2026-03-29T10:00:00+02:00",
                    "ends_at": "2026-03-29T12:00:00+02:00",
                    "place": "Room 2.14",
                    "capacity": 8,
                    "facilitator_id": 5,
                },
            ),
            OpenApiExample(
                "Planned", response_only=True, status_codes=["201"], value=SESSION_EXAMPLE
            ),
        ],
    )
    def post(self, request, org_slug: str, trajectory_id: int):
        trajectory = get_object_or_404(
            Trajectory.objects.filter(organisation=request.organisation), pk=trajectory_id
        )
        payload = SessionWriteSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        session = services.session_schedule(
            by=request.membership, trajectory=trajectory, **payload.validated_data
        )
        return Response(_session_data(session), status=status.HTTP_201_CREATED)


class SessionDetailView(APIView):
    required_action = {
        "GET": Action.LEARN,
        "PATCH": Action.SCHEDULE_SESSIONS,
        "DELETE": Action.SCHEDULE_SESSIONS,
    }

    @extend_schema(
        tags=[SESSIONS_TAG],
        summary="One session",
        responses={200: SessionSerializer, **ROLE_READ_ERRORS},
        examples=[OpenApiExample("A session", response_only=True, value=SESSION_EXAMPLE)],
    )
    def get(self, request, org_slug: str, session_id: int):
        return Response(_session_data(_session(request, session_id)))

    @extend_schema(
        tags=[SESSIONS_TAG],
        summary="Change or move a session (L&D)",
        description="A new time, place or link is mailed to every participant with the "
        "updated invitation; every change a calendar shows raises `sequence`.",
        request=SessionUpdateSerializer,
        responses={200: SessionSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "An hour later",
                request_only=True,
                value={
                    "starts_at": "2026-03-29T11:00:00+02:00",
                    "ends_at": "2026-03-29T13:00:00+02:00",
                },
            )
        ],
    )
    def patch(self, request, org_slug: str, session_id: int):
        session = _session(request, session_id)
        payload = SessionUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        payload.is_valid(raise_exception=True)
        session = services.session_update(
            session=session, by=request.membership, **payload.validated_data
        )
        return Response(_session_data(session))

    @extend_schema(
        tags=[SESSIONS_TAG],
        summary="Cancel a session (L&D)",
        description="Everyone with a seat is told, with a cancellation for their calendar. "
        "The session stays, marked cancelled; cancelling again changes nothing.",
        request=None,
        responses={200: SessionSerializer, **WRITE_ERRORS},
    )
    def delete(self, request, org_slug: str, session_id: int):
        session = services.session_cancel(
            session=_session(request, session_id), by=request.membership
        )
        return Response(_session_data(session))


class SessionSeatsView(APIView):
    @extend_schema(
        tags=[SESSIONS_TAG],
        summary="Participants (facilitator and L&D)",
        description="Booked seats first, then the waiting list in order.",
        responses={200: SeatSerializer(many=True), **ROLE_READ_ERRORS},
    )
    def get(self, request, org_slug: str, session_id: int):
        session = _session(request, session_id)
        if not can_run_session(request.membership, facilitator_id=session.facilitator_id):
            raise PermissionDenied
        seats = selectors.session_participants(session=session)
        return Response(SeatSerializer(seats, many=True).data)

    @extend_schema(
        tags=[SESSIONS_TAG],
        summary="Book a seat",
        description=(
            "For yourself, or (L&D, a manager) for an enrolment in the trajectory. A full "
            "session puts the seat on the waiting list (`status: waiting`). A locked step, "
            "a step done already or a second session for the same step: 400. Booking the "
            "same session again returns the seat (200)."
        ),
        request=BookSerializer,
        responses={201: SeatSerializer, 200: SeatSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample("For myself", request_only=True, value={}),
            OpenApiExample("For a team member", request_only=True, value={"enrolment_id": 12}),
            OpenApiExample("On the waiting list", response_only=True, value=SEAT_EXAMPLE),
        ],
    )
    def post(self, request, org_slug: str, session_id: int):
        payload = BookSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        enrolment = payload.validated_data.get("enrolment")
        session = _session(request, session_id, check_view=enrolment is None)
        enrolment = enrolment or session.own_enrolment
        if enrolment is None:
            raise PermissionDenied
        existed = SessionSeat.objects.filter(session=session, enrolment=enrolment).exists()
        seat = services.seat_book(session=session, enrolment=enrolment, by=request.membership)
        seat = SessionSeat.objects.select_related(
            "enrolment__membership__user", "marked_by__user"
        ).get(pk=seat.pk)
        seat.waiting_rank = selectors.waiting_rank(seat)
        return Response(
            SeatSerializer(seat).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


class SeatDetailView(APIView):
    @extend_schema(
        tags=[SESSIONS_TAG],
        summary="Give up a seat",
        description="Before the session starts; the first on the waiting list moves up and "
        "is told. The learner, L&D or the learner's manager.",
        request=None,
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request, org_slug: str, session_id: int, seat_id: int):
        session = _session(request, session_id)
        seat = get_object_or_404(
            SessionSeat.objects.filter(organisation=request.organisation, session=session),
            pk=seat_id,
        )
        services.seat_cancel(seat=seat, by=request.membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttendanceView(APIView):
    @extend_schema(
        tags=[SESSIONS_TAG],
        summary="Mark attendance (facilitator and L&D)",
        description="Once the session has started. `attended` completes the learner's step; "
        "`excused` and `absent` leave it open for another session.",
        request=AttendanceSerializer,
        responses={200: SeatSerializer(many=True), **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Two people",
                request_only=True,
                value={
                    "marks": [
                        {"seat_id": 31, "attendance": "attended"},
                        {"seat_id": 32, "attendance": "excused"},
                    ]
                },
            )
        ],
    )
    def post(self, request, org_slug: str, session_id: int):
        session = _session(request, session_id)
        payload = AttendanceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        marks = {m["seat_id"]: m["attendance"] for m in payload.validated_data["marks"]}
        services.attendance_mark(session=session, by=request.membership, marks=marks)
        seats = selectors.session_participants(session=session)
        return Response(SeatSerializer(seats, many=True).data)


class CalendarRenderer(renderers.BaseRenderer):
    """Lets a client ask for ``Accept: text/calendar``; errors still come as JSON."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class InviteView(APIView):
    renderer_classes = [renderers.JSONRenderer, CalendarRenderer]

    def handle_exception(self, exc):
        # An error is JSON in the API's one format, whatever the client asked for: an
        # empty calendar body would say nothing.
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = renderers.JSONRenderer.media_type
        return super().handle_exception(exc)

    @extend_schema(
        tags=[SESSIONS_TAG],
        summary="The session as a calendar invitation (ICS)",
        description="`text/calendar` with a stable UID and the current SEQUENCE, times in UTC.",
        responses={
            (200, "text/calendar"): OpenApiResponse(response=OpenApiTypes.STR),
            **ROLE_READ_ERRORS,
        },
    )
    def get(self, request, org_slug: str, session_id: int):
        session = _session(request, session_id)
        body = session_ics(session=session, summary=selectors.session_title(session))
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{ics_filename(session)}"'
        return response
