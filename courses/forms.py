"""Forms for trajectories: they read input; the services check and make the change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from events.verbs import Category
from microlearning.selectors.units import published_units
from organisations.forms import MemberChoiceField
from organisations.models import Membership, Skill, Team

from .models import Enrolment, Step, Trajectory
from .services.enrolments import ERROR_BUDDY_INACTIVE


class TrajectoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the learner can do afterwards, and why it matters at work."),
    )
    audience = forms.CharField(
        label=_("Audience"),
        required=False,
        max_length=300,
        help_text=_("Who the trajectory is for, e.g. 'new team leaders in care'."),
    )
    self_enrolment = forms.BooleanField(label=_("Learners may enrol themselves"), required=False)


class TrajectoryDetailsForm(TrajectoryForm):
    cover_image = forms.FileField(
        label=_("Cover image"),
        required=False,
        help_text=_("PNG, JPEG, WebP or GIF, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
        ),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    cover_alt = forms.CharField(label=_("Cover image description"), required=False, max_length=300)

    @staticmethod
    def initial_for(version) -> dict:
        return {
            "title": version.title,
            "description": version.description,
            "audience": version.audience,
            "self_enrolment": version.self_enrolment,
            "cover_alt": version.cover_alt,
        }


class TrajectoryStatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(Trajectory.Status.choices),
    )


class AddStepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of step"), choices=Step.Kind.choices)


class StepForm(forms.Form):
    """One form for every kind; the template shows the fields a kind uses."""

    title = forms.CharField(label=_("Title"), max_length=200)
    instructions = forms.CharField(
        label=_("Instructions"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What to do, and how the learner knows it went well. Markdown works."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, required=False, empty_label=_("Choose a unit")
    )
    url = forms.CharField(
        label=_("Link to the module"),
        required=False,
        max_length=1000,
        help_text=_("An https:// link to the online module."),
    )
    session_kind = forms.ChoiceField(
        label=_("Kind of session"),
        required=False,
        choices=[("", _("Choose a kind"))] + list(Step.SessionKind.choices),
    )
    due_offset_days = forms.IntegerField(
        label=_("Due after (work days)"),
        required=False,
        min_value=0,
        help_text=_("Work days after enrolment; empty for no due date."),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    category_override = forms.ChoiceField(
        label=_("70:20:10 category"),
        required=False,
        choices=[("", _("The kind's usual category"))] + list(Category.choices),
    )
    evidence_text = forms.BooleanField(label=_("Asks for a written account"), required=False)
    evidence_files = forms.BooleanField(label=_("Asks for files"), required=False)
    evidence_checklist = forms.CharField(
        label=_("Checklist"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line; the learner ticks them."),
    )
    sign_off = forms.ChoiceField(label=_("Signed off by"), choices=Step.SignOff.choices)
    sign_off_role = forms.ChoiceField(
        label=_("Signing role"),
        required=False,
        choices=[("", _("Choose a role"))] + list(Step.SignOffRole.choices),
    )
    requires = forms.ModelMultipleChoiceField(
        label=_("Waits for"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The step opens when these earlier steps are done."),
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    KIND_FIELDS = {
        Step.Kind.UNIT: ["unit"],
        Step.Kind.EXTERNAL: ["url"],
        Step.Kind.SESSION: ["session_kind"],
        Step.Kind.ASSIGNMENT: ["evidence_text", "evidence_files", "evidence_checklist"],
        Step.Kind.SHADOWING: ["evidence_text", "evidence_files", "evidence_checklist"],
    }

    def __init__(self, *args, kind: str, organisation, earlier_steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = Step.Kind(kind)
        self.fields["unit"].queryset = published_units(organisation=organisation)
        self.fields["requires"].queryset = earlier_steps
        self.fields["skills"].queryset = Skill.objects.filter(organisation=organisation)

    @property
    def kind_fields(self) -> list:
        return [self[name] for name in self.KIND_FIELDS.get(self.kind, [])]

    def clean_evidence_checklist(self) -> list[str]:
        text = self.cleaned_data.get("evidence_checklist") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["kind"] = self.kind
        data["requires"] = list(data.get("requires") or [])
        data["skills"] = list(data.get("skills") or [])
        data["url"] = data.get("url") or ""
        return data

    @staticmethod
    def initial_for(step: Step, *, requires, skills) -> dict:
        return {
            "title": step.title,
            "instructions": step.instructions,
            "unit": step.unit_id,
            "url": step.url,
            "session_kind": step.session_kind,
            "due_offset_days": step.due_offset_days,
            "required": step.required,
            "category_override": step.category_override,
            "evidence_text": step.evidence_text,
            "evidence_files": step.evidence_files,
            "evidence_checklist": "\n".join(step.evidence_checklist or []),
            "sign_off": step.sign_off,
            "sign_off_role": step.sign_off_role,
            "requires": [s.pk for s in requires],
            "skills": [s.pk for s in skills],
        }


class MoveStepForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class EnrolForm(forms.Form):
    """Enrol one member or a whole team (sub-teams included) in a published trajectory."""

    trajectory = forms.ModelChoiceField(
        label=_("Trajectory"), queryset=None, empty_label=_("Choose a trajectory")
    )
    membership = MemberChoiceField(
        label=_("Member"), queryset=None, required=False, empty_label=_("Nobody on their own")
    )
    team = forms.ModelChoiceField(
        label=_("Or a whole team"),
        queryset=None,
        required=False,
        empty_label=_("No team"),
        help_text=_("Everyone in the team and in the teams below it."),
    )
    buddy = MemberChoiceField(
        label=_("Buddy"),
        queryset=None,
        required=False,
        empty_label=_("No buddy (yet)"),
        help_text=_("A colleague the learner can turn to; needed for buddy conversations."),
    )

    ERROR_ONE = _("Choose a member or a team: one of the two.")

    def __init__(self, *args, trajectories, members, teams, buddies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trajectory"].queryset = trajectories
        self.fields["membership"].queryset = members
        self.fields["team"].queryset = teams
        self.fields["buddy"].queryset = buddies

    def clean(self):
        data = super().clean()
        if bool(data.get("membership")) == bool(data.get("team")):
            raise forms.ValidationError(self.ERROR_ONE)
        return data


class BuddyForm(forms.Form):
    """Name, change or remove an enrolment's buddy, picked from ``candidates``.

    The choice is looked up among all of the organisation's ``members``, so the
    service can say why someone cannot be the buddy (the learner, someone who
    left) instead of a bare "not a valid choice"; another organisation's id is
    simply not found.
    """

    buddy = MemberChoiceField(
        label=_("Buddy"),
        queryset=None,
        required=False,
        empty_label=_("No buddy (yet)"),
        help_text=_("A colleague the learner can turn to; needed for buddy conversations."),
        error_messages={"invalid_choice": ERROR_BUDDY_INACTIVE},
    )

    def __init__(self, *args, members, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["buddy"]
        field.queryset = members
        field.widget.choices = [
            ("", field.empty_label),
            *((member.pk, field.label_from_instance(member)) for member in candidates),
        ]


class EnrolmentFilterForm(forms.Form):
    trajectory = forms.ModelChoiceField(
        label=_("Trajectory"), queryset=None, required=False, empty_label=_("All")
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(Enrolment.Status.choices)
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, trajectories, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trajectory"].queryset = trajectories
        self.fields["team"].queryset = teams


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    shared_with_manager = forms.BooleanField(
        label=_("Share my answer with my manager"),
        required=False,
        help_text=_("Without this, only you can read it."),
    )


def team_choices(*, membership: Membership, organisation):
    from organisations.permissions import Action, can, managed_team_ids

    teams = Team.objects.filter(organisation=organisation).order_by("name")
    if can(membership, Action.AUTHOR_TRAJECTORIES):
        return teams
    return teams.filter(id__in=managed_team_ids(membership))


def member_choices(*, membership: Membership, organisation):
    from organisations.permissions import Action, can, managed_team_ids

    members = (
        Membership.objects.filter(organisation=organisation, is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__email")
    )
    if can(membership, Action.AUTHOR_TRAJECTORIES):
        return members
    return members.filter(team_id__in=managed_team_ids(membership))
