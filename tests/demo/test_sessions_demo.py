"""The demo's sessions: a past one with attendance, an upcoming one with a waiting list."""

import pytest
from django_scopes import scope

from courses.models import SessionSeat, StepProgress
from demo.sessions import sessions_seed
from tests.conftest import make_member
from tests.courses.session_factories import enrol, session_trajectory

pytestmark = pytest.mark.django_db


def test_a_past_session_with_attendance_and_an_upcoming_one_with_one_waiting(organisation):
    with scope(organisation=organisation):
        trajectory = session_trajectory(organisation)
        enrolments = [enrol(trajectory) for _ in range(5)]
        facilitator = make_member(organisation, is_author=True)

        past, upcoming = sessions_seed(trajectory=trajectory, facilitator=facilitator)

        assert list(past.seats.order_by("pk").values_list("attendance", flat=True)) == [
            "attended",
            "excused",
        ]
        assert StepProgress.objects.get(enrolment=enrolments[0]).status == "done"
        statuses = list(upcoming.seats.order_by("pk").values_list("status", flat=True))
        assert statuses == ["booked", "booked", "booked", "waiting"]
        assert upcoming.starts_at > past.ends_at
        assert SessionSeat.objects.filter(enrolment=enrolments[0], session=upcoming).count() == 0
