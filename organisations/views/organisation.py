"""The organisation's settings page: its settings, the target mix and event retention.

Each has a form of its own, posting to its own URL; a form with errors is shown again
beside the others as they are saved.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import services
from ..access import member_required
from ..forms import (
    EventRetentionForm,
    OrganisationSettingsForm,
    TargetMixForm,
    add_service_errors,
)
from .common import ADMIN, manage_redirect, posted


def _settings_form(organisation, data=None) -> OrganisationSettingsForm:
    return OrganisationSettingsForm(
        data,
        initial={
            "name": organisation.name,
            "language": organisation.language,
            "time_zone": organisation.time_zone,
            "nudge_after_days": organisation.nudge_after_days,
        },
    )


def _mix_form(organisation, data=None) -> TargetMixForm:
    return TargetMixForm(
        data,
        initial={
            "experience": organisation.target_experience,
            "social": organisation.target_social,
            "formal": organisation.target_formal,
        },
        prefix="mix",
    )


def _retention_form(organisation, data=None) -> EventRetentionForm:
    return EventRetentionForm(
        data, initial={"months": organisation.event_retention_months}, prefix="retention"
    )


def _save(request, form, save, success: str):
    """Save a valid posted form through ``save``; None when saved, else the form again."""
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return None
    return form


def _page(request, **forms):
    organisation = request.organisation
    context = {
        "section": "settings",
        "form": forms.get("form") or _settings_form(organisation),
        "mix_form": forms.get("mix_form") or _mix_form(organisation),
        "retention_form": forms.get("retention_form") or _retention_form(organisation),
    }
    return render(request, "organisations/manage/settings.html", context)


@member_required(ADMIN)
def organisation_settings(request):
    organisation = request.organisation
    form = _save(
        request,
        _settings_form(organisation, posted(request)),
        lambda **data: services.organisation_update(
            organisation=organisation, by=request.membership, **data
        ),
        _("Settings saved."),
    )
    if form is None:
        return manage_redirect(request, "organisation_settings")
    return _page(request, form=form)


@member_required(ADMIN)
def organisation_target_mix(request):
    """The target 70:20:10 mix."""
    organisation = request.organisation
    mix_form = _save(
        request,
        _mix_form(organisation, posted(request)),
        lambda **data: services.organisation_target_mix_set(
            organisation=organisation, by=request.membership, **data
        ),
        _("Target mix saved."),
    )
    if mix_form is None:
        return manage_redirect(request, "organisation_settings")
    return _page(request, mix_form=mix_form)


@member_required(ADMIN)
def organisation_event_retention(request):
    """How long raw learning events are kept."""
    organisation = request.organisation
    retention_form = _save(
        request,
        _retention_form(organisation, posted(request)),
        lambda months: services.organisation_event_retention_set(
            organisation=organisation, by=request.membership, months=months
        ),
        _("Event retention saved."),
    )
    if retention_form is None:
        return manage_redirect(request, "organisation_settings")
    return _page(request, retention_form=retention_form)
