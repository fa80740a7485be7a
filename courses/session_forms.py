"""Forms of the session pages: plan or change a session, mark attendance.

Times are entered as a date and two clock times in the organisation's time
zone; ``starts_at``/``ends_at`` are the aware moments the services take.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.forms import MemberChoiceField
from organisations.models import Membership, Organisation

from .models import Session, SessionSeat, Step


class SessionForm(forms.Form):
    step_key = forms.TypedChoiceField(label=_("Step"), coerce=str)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the step's title."),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("Online link"), max_length=1000, required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000, initial=12)
    facilitator = MemberChoiceField(
        label=_("Facilitator"), queryset=Membership.objects.none(), required=False
    )

    def __init__(
        self,
        *args,
        organisation: Organisation,
        steps: list[Step] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if steps is None:
            del self.fields["step_key"]
        else:
            self.fields["step_key"].choices = [(str(step.key), step.title) for step in steps]
            if len(steps) == 1:
                self.fields["step_key"].initial = str(steps[0].key)
        self.fields["facilitator"].queryset = (
            Membership.objects.filter(organisation=organisation, is_active=True)
            .select_related("user")
            .order_by("user__first_name", "user__email")
        )

    @staticmethod
    def initial_for(session: Session) -> dict:
        zone = session.organisation.zone
        start = timezone.localtime(session.starts_at, zone)
        end = timezone.localtime(session.ends_at, zone)
        return {
            "title": session.title,
            "date": start.date(),
            "starts_at": start.time().replace(second=0, microsecond=0),
            "ends_at": end.time().replace(second=0, microsecond=0),
            "place": session.place,
            "online_url": session.online_url,
            "capacity": session.capacity,
            "facilitator": session.facilitator,
        }

    def schedule_values(self) -> dict:
        """What the services take: aware moments in the organisation's zone, the other fields."""
        data = dict(self.cleaned_data)
        zone = self.organisation.zone
        day = data.pop("date")
        data["starts_at"] = dt.datetime.combine(day, data["starts_at"], tzinfo=zone)
        # An end at or before the start on the same day is caught by the service, as an error.
        data["ends_at"] = dt.datetime.combine(day, data["ends_at"], tzinfo=zone)
        return data


class AttendanceForm(forms.Form):
    """One choice per booked seat, all in one form: ``seat-<id>``."""

    CHOICES = [
        (SessionSeat.Attendance.ATTENDED, SessionSeat.Attendance.ATTENDED.label),
        (SessionSeat.Attendance.EXCUSED, SessionSeat.Attendance.EXCUSED.label),
        (SessionSeat.Attendance.ABSENT, SessionSeat.Attendance.ABSENT.label),
    ]

    def __init__(self, *args, seats: list[SessionSeat], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for seat in seats:
            if seat.status != SessionSeat.Status.BOOKED:
                continue
            name = f"seat-{seat.pk}"
            self.fields[name] = forms.ChoiceField(
                label=seat.enrolment.membership.display_name,
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=seat.attendance or None,
            )
            self.rows.append((seat, self[name]))

    def marks(self) -> dict[int, str]:
        return {
            int(name.removeprefix("seat-")): value
            for name, value in self.cleaned_data.items()
            if value
        }


class BookForForm(forms.Form):
    """L&D or a manager books a seat for someone: who, from those they may book for."""

    # An id behind the select, not a choice: whether the actor may book for that person
    # is the service's rule (``can_book_for``), which refuses with 403.
    enrolment = forms.IntegerField(label=_("Who gets the place"), widget=forms.Select)

    def __init__(self, *args, enrolments: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].widget.choices = [
            ("", "—"),
            *((e.pk, _person_label(e.membership)) for e in enrolments),
        ]


def _person_label(membership: Membership) -> str:
    if membership.team_id is None:
        return membership.display_name
    return f"{membership.display_name} ({membership.team.name})"
