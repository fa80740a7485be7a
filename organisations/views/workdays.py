"""Work days: whose public holidays count and the organisation's own days off."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import services
from ..access import member_required
from ..forms import DayOffForm, WorkDaysForm, add_service_errors
from ..models import OrganisationHoliday
from ..workdays import local_date, public_holidays_ahead
from .common import ADMIN, manage_redirect, post_only, posted


@member_required(ADMIN)
def work_days(request):
    organisation = request.organisation
    action = request.POST.get("action") if request.method == "POST" else None
    country_form = WorkDaysForm(
        posted(request) if action == "country" else None,
        initial={"holiday_country": organisation.holiday_country},
    )
    day_off_form = DayOffForm(posted(request) if action == "day_off" else None)
    form = {"country": country_form, "day_off": day_off_form}.get(action)
    if form is not None and form.is_valid():
        try:
            if action == "country":
                services.work_days_update(
                    organisation=organisation, by=request.membership, **form.cleaned_data
                )
            else:
                services.day_off_add(
                    organisation=organisation, by=request.membership, **form.cleaned_data
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Work days saved."))
            return manage_redirect(request, "work_days")
    today = local_date(organisation=organisation, moment=timezone.now())
    return render(
        request,
        "organisations/manage/work_days.html",
        {
            "section": "work_days",
            "country_form": country_form,
            "day_off_form": day_off_form,
            "public_holidays": public_holidays_ahead(
                organisation=organisation, start=today, language=get_language() or "en"
            ),
            "days_off": OrganisationHoliday.objects.filter(
                organisation=organisation, date__gte=today
            ),
        },
    )


@member_required(ADMIN)
def day_off_delete(request, day_off_id: int):
    day_off = get_object_or_404(
        OrganisationHoliday.objects.filter(organisation=request.organisation), pk=day_off_id
    )
    if refused := post_only(request):
        return refused
    services.day_off_remove(day_off=day_off, by=request.membership)
    messages.success(request, _("Day off removed."))
    return manage_redirect(request, "work_days")
