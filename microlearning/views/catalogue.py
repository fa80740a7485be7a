"""Finding units: the catalogue with search and filters, and a page per work process.

Plain GET forms: filters live in the query string, so every result page can be
bookmarked and shared, and the page works without JavaScript.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from organisations.access import member_required
from organisations.models import LANGUAGE_CHOICES, WorkProcess
from organisations.selectors import TagChoices, tag_choices

from ..models import Category
from ..selectors import catalogue as selectors
from ..services.search import MAX_QUERY_LENGTH

PAGE_SIZE = 20


class CatalogueFilterForm(forms.Form):
    """The catalogue's query string; a value that does not validate is simply not applied."""

    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_LENGTH)
    # Choices from the organisation's cached lists (``tag_choices``): an id not among them
    # does not validate, as a ModelChoiceField would say, without a query per request.
    skill = forms.TypedChoiceField(label=_("Skill"), required=False, coerce=int, empty_value=None)
    work_process = forms.TypedChoiceField(
        label=_("Work process"), required=False, coerce=int, empty_value=None
    )
    duration = forms.ChoiceField(
        label=_("Duration"),
        required=False,
        choices=[("", _("Any duration"))] + [(d.value, d.label) for d in selectors.DURATIONS],
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *LANGUAGE_CHOICES]
    )
    category = forms.ChoiceField(
        label=_("70:20:10 category"),
        required=False,
        choices=[("", _("Any category")), *Category.choices],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=selectors.SORTS)

    def __init__(self, *args, choices: TagChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [("", _("Any skill"))] + [
            (str(c.pk), c.name) for c in choices.skills
        ]
        self.fields["work_process"].choices = [("", _("Any work process"))] + [
            (str(c.pk), c.name) for c in choices.work_processes
        ]

    def filters(self) -> selectors.CatalogueFilters:
        self.is_valid()
        data = self.cleaned_data
        return selectors.CatalogueFilters(
            q=(data.get("q") or "").strip(),
            skill_id=data.get("skill"),
            work_process_id=data.get("work_process"),
            duration=data.get("duration") or "",
            language=data.get("language") or "",
            category=data.get("category") or "",
            sort=data.get("sort") or "",
        )


@member_required()
def catalogue(request):
    choices = tag_choices(organisation_id=request.organisation.pk)
    form = CatalogueFilterForm(request.GET or None, choices=choices)
    filters = form.filters() if form.is_bound else selectors.CatalogueFilters()
    units = selectors.catalogue_units(membership=request.membership, filters=filters)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "microlearning/catalogue.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "skills": choices.skills,
            "work_processes": choices.work_processes,
        },
    )


@member_required()
def work_process_detail(request, work_process_id: int):
    work_process = get_object_or_404(
        WorkProcess.objects.filter(organisation=request.organisation), pk=work_process_id
    )
    return render(
        request,
        "microlearning/work_process.html",
        {
            "help": selectors.work_process_help(
                membership=request.membership, work_process=work_process
            )
        },
    )
