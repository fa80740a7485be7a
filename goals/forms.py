"""Forms for goals: shapes of input only; the rules (dates, levels, who may) are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from events.verbs import Category
from organisations.models import Organisation
from organisations.selectors import organisation_skills

from .models import HIGHEST_LEVEL, LOWEST_LEVEL, Goal, GoalTemplate, PlanActivity

LEVEL_CHOICES = [(n, str(n)) for n in range(LOWEST_LEVEL, HIGHEST_LEVEL + 1)]
RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class DateInput(forms.DateInput):
    input_type = "date"


def _level_choices(levels: dict[int, tuple[str, str]] | None):
    if not levels:
        return LEVEL_CHOICES
    return [(n, f"{n}. {levels[n][0]}") for n in sorted(levels)]


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=200)
    why = forms.CharField(
        label=_("Why it matters"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    skill = forms.ModelChoiceField(label=_("Skill"), queryset=None)
    # Integer fields, not choices: an out-of-range level is the service's field error.
    current_level = forms.IntegerField(label=_("Where I am now"), widget=forms.Select)
    target_level = forms.IntegerField(label=_("Where I want to be"), widget=forms.Select)
    target_date = forms.DateField(label=_("Target date"), widget=DateInput)
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"),
        min_value=0,
        max_value=40,
        decimal_places=1,
        max_digits=3,
        help_text=_("The working time your manager agrees to make for this goal."),
    )

    def __init__(self, *args, organisation: Organisation, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = organisation_skills(organisation=organisation)
        # Plain integers behind the select: an out-of-range level reaches the service,
        # whose field error is the one shown.
        for name in ("current_level", "target_level"):
            self.fields[name].widget.choices = _level_choices(levels)

    @classmethod
    def initial_from(cls, goal: Goal | None = None, template: GoalTemplate | None = None) -> dict:
        if goal is not None:
            return {
                "title": goal.title,
                "why": goal.why,
                "skill": goal.skill_id,
                "current_level": goal.current_level,
                "target_level": goal.target_level,
                "target_date": goal.target_date,
                "hours_per_week": goal.hours_per_week,
            }
        if template is not None:
            return {
                "title": template.title,
                "why": template.why,
                "skill": template.skill_id,
                "current_level": max(LOWEST_LEVEL, template.target_level - 1),
                "target_level": template.target_level,
                "hours_per_week": template.hours_per_week,
            }
        return {"current_level": 1, "target_level": 3, "hours_per_week": 1}


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class AgreeForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours per week I make for it"),
        min_value=0,
        max_value=40,
        decimal_places=1,
        max_digits=3,
        required=False,
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it end?"), choices=Goal.Outcome.choices, widget=forms.RadioSelect
    )
    rating = forms.TypedChoiceField(
        label=_("Proficiency now (1-5)"),
        coerce=int,
        choices=[("", "—"), *LEVEL_CHOICES],
        required=False,
        empty_value=None,
    )


def step_choices(steps) -> list:
    """The learner's steps grouped by trajectory, for a select's ``optgroup``s."""
    groups: dict[tuple[int, str], list] = {}
    for step in steps:
        version = step.version
        groups.setdefault((version.trajectory_id, version.title), []).append((step.pk, step.title))
    return [("", "—"), *((title, choices) for (_id, title), choices in groups.items())]


class ActivityForm(forms.Form):
    category = forms.ChoiceField(label=_("Kind of learning"), choices=Category.choices)
    title = forms.CharField(
        label=_("Activity"),
        max_length=300,
        required=False,
        help_text=_("For example “Lead the Monday stand-up for four weeks”."),
    )
    unit = forms.ModelChoiceField(
        label=_("Or link a unit"), queryset=None, required=False, empty_label="—"
    )
    # An id behind the select, not a choice: whether the step is the learner's own is
    # the service's rule, whose field error is the one shown (web and API alike).
    step = forms.IntegerField(
        label=_("Or link a step of your trajectories"),
        required=False,
        widget=forms.Select,
        help_text=_("Done by itself when the step is done or signed off."),
    )

    def __init__(self, *args, units, steps=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if not steps and not self.is_bound:
            # Nothing to offer; a posted step still reaches the service, which decides.
            del self.fields["step"]
        else:
            self.fields["step"].widget.choices = step_choices(steps or [])


class ActivityStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanActivity.Status.choices)


class CheckInForm(forms.Form):
    progress = forms.TypedChoiceField(
        label=_("How is it going? (1-5)"),
        coerce=int,
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    level = forms.TypedChoiceField(
        label=_("My proficiency now (optional)"),
        coerce=int,
        choices=[("", "—"), *LEVEL_CHOICES],
        required=False,
        empty_value=None,
    )


class CheckInAnswerForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating of the progress (1-5)"),
        coerce=int,
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    level = forms.TypedChoiceField(
        label=_("Proficiency now, as you see it (optional)"),
        coerce=int,
        choices=[("", "—"), *LEVEL_CHOICES],
        required=False,
        empty_value=None,
    )


class ShareForm(forms.Form):
    message = forms.CharField(
        label=_("A word for your team (optional)"), max_length=2000, required=False
    )


class GoalTemplateForm(forms.Form):
    skill = forms.ModelChoiceField(label=_("Skill"), queryset=None)
    title = forms.CharField(label=_("Goal"), max_length=200)
    why = forms.CharField(
        label=_("Why it matters"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    target_level = forms.TypedChoiceField(
        label=_("Target proficiency"), coerce=int, choices=LEVEL_CHOICES
    )
    hours_per_week = forms.DecimalField(
        label=_("Suggested hours per week"),
        min_value=0,
        max_value=40,
        decimal_places=1,
        max_digits=3,
    )
    suggested_plan = forms.CharField(
        label=_("Suggested activities"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=4000,
        help_text=GoalTemplate._meta.get_field("suggested_plan").help_text,
    )
    is_active = forms.BooleanField(label=_("Offered to learners"), required=False, initial=True)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = organisation_skills(organisation=organisation)


class ProficiencyLevelsForm(forms.Form):
    """Names and descriptions of levels 1-5, one pair of fields per level."""

    def __init__(self, *args, levels: dict[int, tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for level in sorted(levels):
            name, description = levels[level]
            self.fields[f"name_{level}"] = forms.CharField(
                label=_("Level %(level)s: name") % {"level": level},
                max_length=100,
                initial=name,
            )
            self.fields[f"description_{level}"] = forms.CharField(
                label=_("Level %(level)s: description") % {"level": level},
                max_length=1000,
                required=False,
                initial=description,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def levels(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            int(name.split("_")[1]): (data[name], data[f"description_{name.split('_')[1]}"])
            for name in data
            if name.startswith("name_")
        }
