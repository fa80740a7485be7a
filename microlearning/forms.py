"""Forms for authoring and assigning units: they check input; services make the change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Team

from .models import Unit


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "body": _("Keep it short: what to do, and why. Separate paragraphs with a blank line."),
        }


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
