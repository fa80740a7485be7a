"""When and how members get nudges: their preferences, the organisation's defaults, and the
signed links in nudge e-mails (unsubscribe, tracked clicks), which work without signing in."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from organisations.access import member_required
from organisations.forms import add_service_errors
from organisations.permissions import Action
from organisations.tenancy import organisation_scope
from organisations.views.common import posted

from .forms import DeliveryTimesForm
from .models import Nudge, NudgeDefaults
from .selectors import member_for_link
from .services import links, preferences


@member_required()
def preferences_edit(request):
    """The member's own choices; until they save, the organisation's defaults apply."""
    member, organisation = request.membership, request.organisation
    own = preferences.member_preferences(member=member)
    window = preferences.member_windows(organisation=organisation, member_ids=[member.pk])[
        member.pk
    ]
    initial = DeliveryTimesForm.initial_from(window)
    initial["time_zone"] = own.time_zone if own else ""
    form = DeliveryTimesForm(
        posted(request),
        initial=initial,
        with_time_zone=True,
        organisation_zone=organisation.time_zone,
    )
    if request.method == "POST" and form.is_valid():
        try:
            preferences.nudge_preferences_save(member=member, **form.times_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your reminder preferences are saved."))
            return redirect("nudges:preferences", org_slug=organisation.slug)
    return render(
        request,
        "nudges/preferences.html",
        {"form": form, "own": own, "window": window},
    )


@member_required(Action.ADMINISTER_ORGANISATION)
def defaults_edit(request):
    """The organisation's defaults: every member who has not chosen their own gets these."""
    organisation = request.organisation
    defaults = preferences.organisation_defaults(organisation=organisation)
    if defaults is None:
        # Not chosen yet (nudges go out at any time): suggest the model's working week.
        defaults_or_suggested = NudgeDefaults(organisation=organisation)
    else:
        defaults_or_suggested = defaults
    initial = DeliveryTimesForm.initial_from(
        preferences.window_from(defaults_or_suggested, organisation_zone=organisation.time_zone)
    )
    form = DeliveryTimesForm(posted(request), initial=initial, with_time_zone=False)
    if request.method == "POST" and form.is_valid():
        try:
            preferences.nudge_defaults_save(
                organisation=organisation, by=request.membership, **form.times_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Reminder defaults saved."))
            return redirect("nudges:defaults", org_slug=organisation.slug)
    return render(
        request,
        "nudges/defaults.html",
        {"section": "nudge_defaults", "form": form, "defaults": defaults},
    )


# --- the links in a nudge e-mail, outside any organisation ----------------------------------


def _link_problem(request, problem: str, *, status: int):
    return render(request, "nudges/link_problem.html", {"problem": problem}, status=status)


@csrf_exempt  # RFC 8058: the mail provider posts it, without a session or a CSRF token
def unsubscribe(request, token: str):
    """GET asks to confirm; POST (the page's button, or a one-click mail client) unsubscribes."""
    try:
        organisation_id, member_id, category = links.unsubscribe_token_read(token)
    except links.BadLink:
        return _link_problem(request, "unsubscribe_broken", status=400)
    with organisation_scope(organisation_id):
        member = member_for_link(organisation_id=organisation_id, member_id=member_id)
        if member is None:
            return _link_problem(request, "member_gone", status=200)
        label = (
            _("all reminders")
            if category == preferences.EVERY_CATEGORY
            else str(Nudge.Kind(category).label)
        )
        with translation.override(member.language):
            if request.method == "POST":
                preferences.nudge_category_unsubscribe(member=member, category=category)
                return render(
                    request,
                    "nudges/unsubscribe.html",
                    {"member": member, "category_label": label, "done": True},
                )
            return render(
                request,
                "nudges/unsubscribe.html",
                {"member": member, "category_label": label, "done": False},
            )


def nudge_click(request, token: str):
    """Record the first click on a nudge's link, then follow it (a path on this site only)."""
    try:
        organisation_id, nudge_id, path = links.click_token_read(token)
    except links.BadLink:
        return _link_problem(request, "click_broken", status=400)
    if request.method == "GET":  # a HEAD from a link checker is not a click
        with organisation_scope(organisation_id):
            links.nudge_click_record(organisation_id=organisation_id, nudge_id=nudge_id)
    return redirect(path)
