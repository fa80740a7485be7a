"""The organisation's settings page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import services
from ..access import member_required
from ..forms import OrganisationSettingsForm, TargetMixForm, add_service_errors
from .common import ADMIN, manage_redirect, posted


@member_required(ADMIN)
def organisation_settings(request):
    organisation = request.organisation
    initial = {
        "name": organisation.name,
        "language": organisation.language,
        "time_zone": organisation.time_zone,
        "nudge_after_days": organisation.nudge_after_days,
    }
    form = OrganisationSettingsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation, by=request.membership, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return manage_redirect(request, "organisation_settings")
    return render(
        request,
        "organisations/manage/settings.html",
        {"section": "settings", "form": form, "mix_form": _mix_form(organisation)},
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


@member_required(ADMIN)
def organisation_target_mix(request):
    """The target 70:20:10 mix, a form of its own on the settings page."""
    organisation = request.organisation
    mix_form = _mix_form(organisation, posted(request))
    if request.method == "POST" and mix_form.is_valid():
        try:
            services.organisation_target_mix_set(
                organisation=organisation, by=request.membership, **mix_form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(mix_form, exc)
        else:
            messages.success(request, _("Target mix saved."))
            return manage_redirect(request, "organisation_settings")
    initial = {
        "name": organisation.name,
        "language": organisation.language,
        "time_zone": organisation.time_zone,
        "nudge_after_days": organisation.nudge_after_days,
    }
    return render(
        request,
        "organisations/manage/settings.html",
        {
            "section": "settings",
            "form": OrganisationSettingsForm(initial=initial),
            "mix_form": mix_form,
        },
    )
