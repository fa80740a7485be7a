"""The organisation's settings page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import services
from ..access import member_required
from ..forms import OrganisationSettingsForm, add_service_errors
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
        request, "organisations/manage/settings.html", {"section": "settings", "form": form}
    )
