"""The L&D author's form for a nudge rule; the rules of its words live in the model's clean."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, Team

from .models import NudgeRule


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
