"""Forms for authoring and assigning units: they check input; services make the change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import LANGUAGE_CHOICES, Skill, Team, WorkProcess

from .models import Block, Category, Unit


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


# --- The unit editor ------------------------------------------------------------------


class UnitDetailsForm(forms.Form):
    """A version's details: what learners see before they start, and how it is found."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences: what the learner can do afterwards."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    estimated_minutes = forms.IntegerField(
        label=_("Estimated minutes"),
        min_value=2,
        max_value=15,
        help_text=_("Between 2 and 15 minutes: small enough to fit in a working day."),
    )
    category = forms.ChoiceField(
        label=_("70:20:10 category"),
        choices=Category.choices,
        help_text=_("Performance support used while doing the work counts as experience."),
    )
    pass_mark = forms.IntegerField(
        label=_("Pass mark (%)"),
        min_value=0,
        max_value=100,
        help_text=_("The share of quiz questions a learner must answer right. 0: no pass mark."),
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    work_processes = forms.ModelMultipleChoiceField(
        label=_("Work processes"),
        queryset=WorkProcess.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cover_image = forms.FileField(
        label=_("Cover image"),
        required=False,
        help_text=_("PNG, JPEG, WebP or GIF, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
        ),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    cover_alt = forms.CharField(
        label=_("Cover image description"),
        required=False,
        max_length=300,
        help_text=_("Required with a cover image: what matters in it, in a sentence."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this organisation's tags can be chosen; another's id is "not a valid choice".
        self.fields["skills"].queryset = Skill.objects.filter(organisation=organisation)
        self.fields["work_processes"].queryset = WorkProcess.objects.filter(
            organisation=organisation
        )

    @classmethod
    def initial_for(cls, version) -> dict:
        return {
            "title": version.title,
            "summary": version.summary,
            "language": version.language,
            "estimated_minutes": version.estimated_minutes,
            "category": version.category,
            "pass_mark": version.pass_mark,
            "cover_alt": version.cover_alt,
            "skills": list(version.skills.all()),
            "work_processes": list(version.work_processes.all()),
        }


class BlockForm(forms.Form):
    """The fields every block has; one subclass per kind turns its fields into ``data``."""

    kind: str = ""
    multipart = False

    required = forms.BooleanField(
        label=_("Required"),
        required=False,
        initial=True,
        help_text=_("Learners must do this block to complete the unit."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The content first, whether it is required after it.
        self.order_fields([name for name in self.fields if name != "required"])

    def data_fields(self) -> dict:
        """The block's ``data`` from the cleaned fields (checked again by the service)."""
        return {name: self.cleaned_data.get(name, "") for name in self.data_names}

    data_names: tuple[str, ...] = ()

    @classmethod
    def initial_for(cls, block) -> dict:
        initial = {name: block.data.get(name, "") for name in cls.data_names}
        initial["required"] = block.required
        return initial


class TextBlockForm(BlockForm):
    kind = "text"
    data_names = ("markdown",)
    markdown = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown works: **bold**, lists with -, links as [text](https://…)."),
    )


class VideoBlockForm(BlockForm):
    kind = "video"
    multipart = True
    data_names = ("embed_url", "caption")
    embed_url = forms.CharField(
        label=_("YouTube or Vimeo link"),
        required=False,
        max_length=500,
        help_text=_("Shown without tracking cookies. Or upload a file below."),
    )
    file = forms.FileField(
        label=_("Video file"),
        required=False,
        help_text=_("MP4 or WebM."),
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm"}),
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=300)


class ImageBlockForm(BlockForm):
    kind = "image"
    multipart = True
    data_names = ("alt", "caption")
    file = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("PNG, JPEG, WebP or GIF, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
        ),
    )
    alt = forms.CharField(
        label=_("Image description"),
        required=False,
        max_length=300,
        help_text=_("For people who cannot see the image: what matters in it, in a sentence."),
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=300)


class ChecklistBlockForm(BlockForm):
    kind = "checklist"
    items = forms.CharField(
        label=_("Steps"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One step per line, in the order of the work. At most 30."),
    )

    def data_fields(self) -> dict:
        lines = self.cleaned_data.get("items", "").splitlines()
        return {"items": [line.strip() for line in lines if line.strip()]}

    @classmethod
    def initial_for(cls, block) -> dict:
        return {"items": "\n".join(block.data.get("items", [])), "required": block.required}


class QuestionBlockForm(BlockForm):
    """A quiz question with up to eight options; empty option rows are left out."""

    kind = "question"
    OPTION_ROWS = 8
    prompt = forms.CharField(
        label=_("Question"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    multiple = forms.BooleanField(label=_("Learners may choose several answers"), required=False)
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown after answering, right or wrong: why the answer is what it is."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, self.OPTION_ROWS + 1):
            self.fields[f"option_{number}_text"] = forms.CharField(
                label=_("Option %(number)s") % {"number": number}, required=False, max_length=500
            )
            self.fields[f"option_{number}_correct"] = forms.BooleanField(
                label=_("Correct"), required=False
            )
            self.fields[f"option_{number}_feedback"] = forms.CharField(
                label=_("Feedback for option %(number)s") % {"number": number},
                required=False,
                max_length=1000,
            )

    def option_rows(self) -> list[tuple]:
        return [
            (
                number,
                self[f"option_{number}_text"],
                self[f"option_{number}_correct"],
                self[f"option_{number}_feedback"],
            )
            for number in range(1, self.OPTION_ROWS + 1)
        ]

    def data_fields(self) -> dict:
        data = self.cleaned_data
        options = [
            {
                "text": data.get(f"option_{n}_text", ""),
                "correct": data.get(f"option_{n}_correct", False),
                "feedback": data.get(f"option_{n}_feedback", ""),
            }
            for n in range(1, self.OPTION_ROWS + 1)
            if (data.get(f"option_{n}_text") or "").strip()
        ]
        return {
            "prompt": data.get("prompt", ""),
            "multiple": data.get("multiple", False),
            "explanation": data.get("explanation", ""),
            "options": options,
        }

    @classmethod
    def initial_for(cls, block) -> dict:
        initial = {
            "prompt": block.data.get("prompt", ""),
            "multiple": block.data.get("multiple", False),
            "explanation": block.data.get("explanation", ""),
            "required": block.required,
        }
        for number, option in enumerate(block.data.get("options", []), start=1):
            initial[f"option_{number}_text"] = option.get("text", "")
            initial[f"option_{number}_correct"] = option.get("correct", False)
            initial[f"option_{number}_feedback"] = option.get("feedback", "")
        return initial


class PromptBlockForm(BlockForm):
    data_names = ("prompt",)
    prompt = forms.CharField(
        label=_("Prompt"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReflectionBlockForm(PromptBlockForm):
    kind = "reflection"


class ApplyBlockForm(PromptBlockForm):
    kind = "apply"


BLOCK_FORMS: dict[str, type[BlockForm]] = {
    form.kind: form
    for form in (
        TextBlockForm,
        VideoBlockForm,
        ImageBlockForm,
        ChecklistBlockForm,
        QuestionBlockForm,
        ReflectionBlockForm,
        ApplyBlockForm,
    )
}


class AddBlockForm(forms.Form):
    # A package block comes from importing a package (``packages``), not from this form.
    kind = forms.ChoiceField(
        label=_("Kind of block"),
        choices=[c for c in Block.Kind.choices if c[0] != Block.Kind.PACKAGE],
    )


class MoveBlockForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
