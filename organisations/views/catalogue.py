"""Skills and work processes: one set of list, form and delete pages serves both."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from ..access import member_required
from ..forms import NamedItemForm, add_service_errors, service_errors_text
from ..models import Skill, WorkProcess
from .common import ADMIN, posted


@dataclass(frozen=True)
class _Catalogue:
    """What differs between the skills pages and the work-process pages."""

    section: str
    model: type[Skill] | type[WorkProcess]
    kwarg: str
    title: str
    add_label: str
    empty_text: str
    create: Callable
    update: Callable
    delete: Callable
    list_url: str
    create_url: str
    edit_url: str
    delete_url: str

    def objects(self, request):
        return self.model.objects.filter(organisation=request.organisation).order_by("name")

    def get(self, request, object_id: int):
        return get_object_or_404(self.objects(request), pk=object_id)


SKILLS = _Catalogue(
    section="skills",
    model=Skill,
    kwarg="skill",
    title=gettext_lazy("Skills"),
    add_label=gettext_lazy("Add a skill"),
    empty_text=gettext_lazy(
        "No skills yet. Skills let people find units by what they want to get better at."
    ),
    create=services.skill_create,
    update=services.skill_update,
    delete=services.skill_delete,
    list_url="organisations:skill_list",
    create_url="organisations:skill_create",
    edit_url="organisations:skill_edit",
    delete_url="organisations:skill_delete",
)
WORK_PROCESSES = _Catalogue(
    section="work_processes",
    model=WorkProcess,
    kwarg="work_process",
    title=gettext_lazy("Work processes"),
    add_label=gettext_lazy("Add a work process"),
    empty_text=gettext_lazy(
        "No work processes yet. Attach units to the work people do, so they find help "
        "at the moment they need it."
    ),
    create=services.work_process_create,
    update=services.work_process_update,
    delete=services.work_process_delete,
    list_url="organisations:work_process_list",
    create_url="organisations:work_process_create",
    edit_url="organisations:work_process_edit",
    delete_url="organisations:work_process_delete",
)


def _catalogue_list(request, catalogue: _Catalogue):
    return render(
        request,
        "organisations/manage/catalogue_list.html",
        {"section": catalogue.section, "catalogue": catalogue, "items": catalogue.objects(request)},
    )


def _catalogue_form(request, catalogue: _Catalogue, object_id: int | None = None):
    item = catalogue.get(request, object_id) if object_id is not None else None
    initial = {"name": item.name, "description": item.description} if item else None
    form = NamedItemForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = catalogue.create(by=request.membership, **form.cleaned_data)
            else:
                catalogue.update(
                    **{catalogue.kwarg: item}, by=request.membership, **form.cleaned_data
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": item.name})
            return redirect(catalogue.list_url, org_slug=request.organisation.slug)
    return render(
        request,
        "organisations/manage/catalogue_form.html",
        {"section": catalogue.section, "catalogue": catalogue, "form": form, "item": item},
    )


def _catalogue_delete(request, catalogue: _Catalogue, object_id: int):
    item = catalogue.get(request, object_id)
    if request.method == "POST":
        try:
            catalogue.delete(**{catalogue.kwarg: item}, by=request.membership)
        except ValidationError as exc:
            messages.error(request, service_errors_text(exc))
        else:
            messages.success(request, _("%(name)s deleted.") % {"name": item.name})
        return redirect(catalogue.list_url, org_slug=request.organisation.slug)
    return render(
        request,
        "organisations/manage/confirm_delete.html",
        {
            "section": catalogue.section,
            "object": item,
            "cancel_url": reverse(catalogue.edit_url, args=[request.organisation.slug, item.pk]),
        },
    )


@member_required(ADMIN)
def skill_list(request):
    return _catalogue_list(request, SKILLS)


@member_required(ADMIN)
def skill_create(request):
    return _catalogue_form(request, SKILLS)


@member_required(ADMIN)
def skill_edit(request, skill_id: int):
    return _catalogue_form(request, SKILLS, skill_id)


@member_required(ADMIN)
def skill_delete(request, skill_id: int):
    return _catalogue_delete(request, SKILLS, skill_id)


@member_required(ADMIN)
def work_process_list(request):
    return _catalogue_list(request, WORK_PROCESSES)


@member_required(ADMIN)
def work_process_create(request):
    return _catalogue_form(request, WORK_PROCESSES)


@member_required(ADMIN)
def work_process_edit(request, work_process_id: int):
    return _catalogue_form(request, WORK_PROCESSES, work_process_id)


@member_required(ADMIN)
def work_process_delete(request, work_process_id: int):
    return _catalogue_delete(request, WORK_PROCESSES, work_process_id)
