"""Forms for authoring and assigning units: they check input; services make the change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Team

from .models import Unit


class UnitForm(forms.Form):
    """A new unit: its title and, to start with, one text block."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Keep it short: what to do, and why. Markdown works; a blank line starts a paragraph."
        ),
    )


class UnitTitleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)


class AssignToTeamForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        empty_label=_("Choose a team"),
        help_text=_("Everyone in the team and in the teams below it gets the unit."),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class UnitStatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(Unit.Status.choices),
    )
