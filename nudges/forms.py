"""The L&D author's form for a nudge rule; the rules of its words live in the model's clean."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, Team

from .models import UNKNOWN_TIME_ZONE, Nudge, NudgeRule

DEFAULT_DAILY_MAXIMUM = 5


class NudgeRuleForm(forms.ModelForm):
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when the audience is chosen teams; their sub-teams are included."),
    )

    # The teams right after the audience they belong to.
    field_order = ["is_active", "delay_days", "weekday", "hour", "audience", "teams"]

    class Meta:
        model = NudgeRule
        fields = [
            "is_active",
            "delay_days",
            "weekday",
            "hour",
            "audience",
            "send_email",
            "send_in_app",
            "holdout_percent",
            "subject_nl",
            "text_nl",
            "subject_en",
            "text_en",
        ]
        widgets = {
            "text_nl": forms.Textarea(attrs={"rows": 4}),
            "text_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organisation: Organisation, kind: str, weekly: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.instance.kind = kind
        self.fields["teams"].queryset = Team.objects.filter(organisation=organisation).order_by(
            "name"
        )
        if self.instance.pk:
            self.fields["teams"].initial = list(
                Team.objects.filter(
                    organisation=organisation, pk__in=self._rule_team_ids()
                ).values_list("pk", flat=True)
            )
        # A weekly kind comes on a day and hour; the others some days after their event.
        for name in ("weekday", "hour") if not weekly else ("delay_days",):
            del self.fields[name]

    def _rule_team_ids(self) -> list[int]:
        from .models import NudgeRuleTeam

        return list(
            NudgeRuleTeam.objects.filter(
                organisation_id=self.instance.organisation_id, rule=self.instance
            ).values_list("team_id", flat=True)
        )

    def rule_fields(self) -> dict:
        """What the service takes: the model fields shown, without the teams."""
        return {name: value for name, value in self.cleaned_data.items() if name != "teams"}


class WorkReflectionForm(forms.Form):
    """The member's answer to a reflect nudge."""

    text = forms.CharField(
        label=_("What you learnt"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write what you learnt.")},
    )
    shared_with_manager = forms.BooleanField(label=_("Share with my manager"), required=False)


# --- when and how members get nudges --------------------------------------------------------

WEEKDAYS = [(str(day.value), day.label) for day in NudgeRule.Weekday]


class DeliveryTimesForm(forms.Form):
    """Channels per category, work days, quiet hours, daily maximum (and a member's time zone).

    The form reads the input; the rules (no whole-day quiet hours, a work day at
    least) live in the model's clean, so the service enforces them for every caller.
    """

    work_days = forms.MultipleChoiceField(
        label=_("Work days"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Reminders come on these days only."),
    )
    quiet_from = forms.TimeField(
        label=_("Quiet from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_until = forms.TimeField(
        label=_("Quiet until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("No reminders in between; 18:00 to 08:00 runs through the night."),
    )
    daily_maximum = forms.IntegerField(
        label=_("Reminders a day at most"),
        min_value=0,  # 0 reaches the model's clean, which says why it is refused
        max_value=50,
        help_text=_("Reminders above this number on one day come together in one digest."),
    )

    def __init__(self, *args, with_time_zone: bool, organisation_zone: str = "", **kwargs):
        from .services.preferences import CATEGORIES

        super().__init__(*args, **kwargs)
        self.categories = []
        for category in CATEGORIES:
            row = []
            for channel in Nudge.Channel:
                name = f"channel_{category.value}_{channel.value}"
                self.fields[name] = forms.BooleanField(
                    label=f"{category.label}: {channel.label}", required=False
                )
                row.append((channel, name))
            self.categories.append((category, row))
        if with_time_zone:
            from organisations.forms import time_zone_choices

            self.fields["time_zone"] = forms.ChoiceField(
                label=_("Time zone"),
                required=False,
                choices=[("", _("The organisation's: %(zone)s") % {"zone": organisation_zone})]
                + time_zone_choices(),
                error_messages={"invalid_choice": UNKNOWN_TIME_ZONE},
            )

    @staticmethod
    def initial_from(window) -> dict:
        initial = {
            "work_days": [str(day) for day in sorted(window.work_days)],
            "quiet_from": window.quiet_from,
            "quiet_until": window.quiet_until,
            "daily_maximum": window.daily_maximum or DEFAULT_DAILY_MAXIMUM,
        }
        from .services.preferences import CATEGORIES

        for category in CATEGORIES:
            for channel in Nudge.Channel:
                initial[f"channel_{category.value}_{channel.value}"] = window.wants(
                    category=category, channel=channel
                )
        return initial

    def channel_rows(self):
        """(category, [(channel, bound field)]) for the table of channels."""
        return [
            (category, [(channel, self[name]) for channel, name in row])
            for category, row in self.categories
        ]

    def times_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "work_days": sorted(int(day) for day in data["work_days"]),
            "quiet_from": data["quiet_from"],
            "quiet_until": data["quiet_until"],
            "daily_maximum": data["daily_maximum"],
            "switched_off": sorted(
                f"{category.value}:{channel.value}"
                for category, row in self.categories
                for channel, name in row
                if not data[name]
            ),
        }
        if "time_zone" in self.fields:
            fields["time_zone"] = data["time_zone"]
        return fields
