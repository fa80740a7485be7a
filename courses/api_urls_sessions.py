"""Session API, inside an organisation (mounted at ``api/v1/o/<org_slug>/``)."""

from django.urls import path

from .api import sessions

app_name = "course_sessions_api"

urlpatterns = [
    path(
        "trajectories/<int:trajectory_id>/sessions/",
        sessions.TrajectorySessionsView.as_view(),
        name="trajectory_sessions",
    ),
    path("sessions/<int:session_id>/", sessions.SessionDetailView.as_view(), name="session"),
    path("sessions/<int:session_id>/seats/", sessions.SessionSeatsView.as_view(), name="seats"),
    path(
        "sessions/<int:session_id>/seats/<int:seat_id>/",
        sessions.SeatDetailView.as_view(),
        name="seat",
    ),
    path(
        "sessions/<int:session_id>/attendance/",
        sessions.AttendanceView.as_view(),
        name="attendance",
    ),
    path("sessions/<int:session_id>/invite.ics", sessions.InviteView.as_view(), name="invite"),
]
