"""The enrolment overview (L&D: everyone; managers: their teams and sub-teams) and enrolling."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import member_required
from organisations.forms import add_service_errors, service_errors_text
from organisations.models import Membership
from organisations.permissions import Action
from organisations.workdays import local_date

from ..access import managed_enrolment
from ..forms import BuddyForm, EnrolForm, EnrolmentFilterForm, member_choices, team_choices
from ..models import Enrolment
from ..selectors import enrolments as selectors
from ..selectors import learning as learning_selectors
from ..services import enrolments as services

PAGE_SIZE = 50


def _buddies(request):
    return (
        Membership.objects.filter(organisation=request.organisation, is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__email")
    )


@member_required(Action.ENROL_OTHERS)
def enrolment_list(request):
    form = EnrolmentFilterForm(
        request.GET or None,
        trajectories=learning_selectors.published_trajectories(organisation=request.organisation),
        teams=team_choices(membership=request.membership, organisation=request.organisation),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    enrolments = selectors.enrolment_overview(
        membership=request.membership,
        today=local_date(organisation=request.organisation, moment=timezone.now()),
        team_id=filters["team"].pk if filters.get("team") else None,
        status=filters.get("status") or None,
        overdue=bool(filters.get("overdue")),
        trajectory_id=filters["trajectory"].pk if filters.get("trajectory") else None,
    )
    page = Paginator(enrolments, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/enrolment_list.html",
        {
            "page": page,
            "filter_form": form,
            "query": query.urlencode(),
            "today": local_date(organisation=request.organisation, moment=timezone.now()),
        },
    )


@member_required(Action.ENROL_OTHERS)
def enrolment_create(request):
    form = EnrolForm(
        request.POST or None,
        # A link may name the trajectory and the member (the team digest's "enrol" link).
        initial={
            "trajectory": request.GET.get("trajectory"),
            "membership": request.GET.get("member"),
        },
        trajectories=learning_selectors.published_trajectories(organisation=request.organisation),
        members=member_choices(membership=request.membership, organisation=request.organisation),
        teams=team_choices(membership=request.membership, organisation=request.organisation),
        buddies=_buddies(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("team"):
                batch = services.team_enrol(
                    trajectory=data["trajectory"],
                    team=data["team"],
                    by=request.membership,
                    buddy=data.get("buddy"),
                )
                count, already = len(batch.created) + len(batch.reopened), len(batch.existing)
            else:
                before = (
                    data["membership"]
                    .enrolments.filter(trajectory=data["trajectory"])
                    .exclude(status="withdrawn")
                    .exists()
                )
                services.enrolment_create(
                    trajectory=data["trajectory"],
                    membership=data["membership"],
                    by=request.membership,
                    buddy=data.get("buddy"),
                )
                count, already = (0, 1) if before else (1, 0)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Enrolled: %(count)s. Already enrolled: %(already)s.")
                % {"count": count, "already": already},
            )
            return redirect("courses:enrolment_list", request.organisation.slug)
    return render(request, "courses/enrol_form.html", {"form": form})


@require_POST
@member_required(Action.ENROL_OTHERS)
def enrolment_withdraw(request, enrolment_id: int):
    enrolment = managed_enrolment(request, enrolment_id)
    try:
        services.enrolment_withdraw(enrolment=enrolment, by=request.membership)
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        messages.success(request, _("Withdrawn. What they did stays."))
    return redirect("courses:enrolment_list", request.organisation.slug)


@member_required(Action.ENROL_OTHERS)
def enrolment_buddy(request, enrolment_id: int):
    """The small "Buddy for <learner>" page: L&D for everyone, a manager for their teams."""
    enrolment = managed_enrolment(request, enrolment_id)
    posted = request.method == "POST"
    form = BuddyForm(
        request.POST if posted else None,
        initial={"buddy": enrolment.buddy_id},
        members=Membership.objects.filter(organisation=request.organisation).select_related("user"),
        candidates=selectors.buddy_candidates(membership=request.membership, enrolment=enrolment),
    )
    back = _back_url(request)
    if posted and form.is_valid():
        try:
            services.enrolment_buddy_set(
                enrolment=enrolment, by=request.membership, buddy=form.cleaned_data["buddy"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Buddy saved."))
            return redirect(back)
    return render(
        request,
        "courses/enrolment_buddy.html",
        {
            "enrolment": enrolment,
            "form": form,
            "is_open": enrolment.status in Enrolment.OPEN,
            "back": back,
            "back_to_step": back != _overview_url(request),
        },
        status=400 if posted else 200,
    )


def _back_url(request) -> str:
    """Where the buddy page came from (the step page), else the enrolment overview."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return _overview_url(request)


def _overview_url(request) -> str:
    return reverse("courses:enrolment_list", args=[request.organisation.slug])
