"""Forms for organisation administration, invitations and API tokens.

Forms check the shape of the input; the business rules (last admin, team cycles,
who is already invited) live in services, whose errors the views put back on
the form's fields.
"""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import available_timezones

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import EVENT_RETENTION_MIN_MONTHS, LANGUAGE_CHOICES, Membership, Organisation, User
from .selectors import active_members, organisation_teams

ERROR_PASSWORDS_DIFFER = _("The two passwords differ. Type the same password twice.")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: on its field where the form has one.

    Every app's views use this one; keys the form lacks (``__all__`` too) go on top.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def service_errors_text(error: ValidationError) -> str:
    """A service's ``ValidationError`` as one sentence, for a message where no form is shown."""
    return " ".join(str(message) for message in error.messages)


@lru_cache(maxsize=1)
def time_zone_choices() -> list[tuple[str, str]]:
    # Read once per process: the list comes from the system's (or tzdata's) files.
    return [(name, name) for name in sorted(available_timezones())]


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        name = obj.user.get_full_name()
        return f"{name} ({obj.user.email})" if name else obj.user.email


class RolesAndTeamForm(forms.Form):
    is_author = forms.BooleanField(
        label=_("L&D author"),
        required=False,
        help_text=_("Writes microlearning units and trajectories and assigns them."),
    )
    is_hr = forms.BooleanField(
        label=_("HR analyst"),
        required=False,
        help_text=_("Sees organisation-wide reports and exports them."),
    )
    is_admin = forms.BooleanField(
        label=_("Organisation admin"),
        required=False,
        help_text=_("Manages members, teams, invitations and settings."),
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("No team")
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = organisation_teams(organisation=organisation)


class MemberForm(RolesAndTeamForm):
    """Roles and team of one member; being a manager follows from leading a team."""


class InvitationForm(RolesAndTeamForm):
    field_order = ["email", "is_author", "is_hr", "is_admin", "team"]

    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class BulkInvitationForm(RolesAndTeamForm):
    field_order = ["addresses", "is_author", "is_hr", "is_admin", "team"]

    addresses = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "Paste the addresses, separated by commas, semicolons, spaces or new lines. "
            "Everyone gets the roles and team chosen below."
        ),
    )


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=200)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = forms.ModelChoiceField(
        label=_("Part of team"),
        queryset=None,
        required=False,
        empty_label=_("None (a top-level team)"),
    )
    manager = MemberChoiceField(
        label=_("Manager"),
        queryset=None,
        required=False,
        empty_label=_("No manager yet"),
        help_text=_("The manager sees this team and every team below it."),
    )

    def __init__(self, *args, organisation: Organisation, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = organisation_teams(organisation=organisation)
        if team is not None:
            teams = teams.exclude(pk=team.pk)
        self.fields["parent"].queryset = teams
        self.fields["manager"].queryset = active_members(organisation=organisation)


class NamedItemForm(forms.Form):
    """A skill or a work process: a name people recognise and an optional description."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class OrganisationSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    language = forms.ChoiceField(
        label=_("Default language"),
        choices=LANGUAGE_CHOICES,
        help_text=_("For members who have not chosen a language, and for invitations."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=())
    nudge_after_days = forms.IntegerField(
        label=_("Assigned units due within (days)"),
        min_value=1,
        max_value=365,
        help_text=_(
            "An assigned unit is due this many days after it is assigned. When its reminder "
            "goes out is set on the nudge rule “Finish an assigned unit”."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()


class WorkDaysForm(forms.Form):
    holiday_country = forms.ChoiceField(
        label=_("Public holidays of"),
        required=False,
        help_text=_("These days are no work days: due dates and reminders skip them."),
    )

    def __init__(self, *args, **kwargs):
        from .workdays import country_choices

        super().__init__(*args, **kwargs)
        self.fields["holiday_country"].choices = [("", _("No public holidays")), *country_choices()]


class DayOffForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("For example: company day, or the day between Ascension and the weekend."),
    )


class TargetMixForm(forms.Form):
    """Where the organisation wants learning to happen (70:20:10), in whole percentages."""

    experience = forms.IntegerField(
        label=_("Experience, on the job (%)"), min_value=0, max_value=100
    )
    social = forms.IntegerField(label=_("Social, with colleagues (%)"), min_value=0, max_value=100)
    formal = forms.IntegerField(label=_("Formal, courses (%)"), min_value=0, max_value=100)


class EventRetentionForm(forms.Form):
    months = forms.IntegerField(
        label=_("Keep learning events (months)"),
        required=False,
        min_value=EVENT_RETENTION_MIN_MONTHS,
        max_value=600,
        help_text=_(
            "Raw learning events older than this many months (at least 13) are deleted once "
            "they are counted in the reports; every figure on every page stays the same. "
            "Leave empty to keep them forever."
        ),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Say where you use it, e.g. “HR dashboard script”."),
    )


class InvitationAccountForm(forms.Form):
    """A new account from an invitation: the e-mail address comes from the invitation."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2:
            if password1 != password2:
                self.add_error("password2", ERROR_PASSWORDS_DIFFER)
            else:
                candidate = User(
                    email=self.email,
                    first_name=cleaned.get("first_name", ""),
                    last_name=cleaned.get("last_name", ""),
                )
                try:
                    password_validation.validate_password(password1, user=candidate)
                except ValidationError as exc:
                    self.add_error("password1", exc)
        return cleaned
