"""Session pages, inside an organisation (mounted at ``o/<org_slug>/``)."""

from django.urls import path

from .views import sessions

app_name = "course_sessions"

urlpatterns = [
    path(
        "trajectories/<int:trajectory_id>/sessions/",
        sessions.schedule,
        name="schedule",
    ),
    path(
        "trajectories/<int:trajectory_id>/sessions/new/",
        sessions.session_create,
        name="session_create",
    ),
    path("sessions/", sessions.my_sessions, name="my_sessions"),
    path("sessions/<int:session_id>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/cancel/", sessions.session_cancel, name="session_cancel"),
    path("sessions/<int:session_id>/attendance/", sessions.attendance, name="attendance"),
    path("sessions/<int:session_id>/book/", sessions.seat_book, name="seat_book"),
    path("sessions/<int:session_id>/unbook/", sessions.seat_cancel, name="seat_cancel"),
    path("sessions/<int:session_id>/invite.ics", sessions.invite_ics, name="invite_ics"),
]
