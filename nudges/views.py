"""Web pages for nudges: the member's reminders in the app, and the L&D author's rules."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organisations.access import member_required
from organisations.forms import add_service_errors
from organisations.permissions import Action

from . import services
from .digest import team_digest_for
from .effectiveness import ACT_WITHIN, MIN_GROUP_PEOPLE, rule_effectiveness
from .forms import NudgeRuleForm
from .models import NudgeRule
from .preview import nudge_rule_preview
from .rules import AUTHORED_KINDS, KINDS
from .selectors import inapp_nudges_for_member, rule_for_authoring, rules_for_authoring
from .services import nudge_mark_read, nudges_mark_all_read

INBOX_PAGE_SIZE = 25


@member_required()
def inbox(request):
    """The notification centre: the member's in-app nudges, newest first, a page at a time."""
    nudges = inapp_nudges_for_member(membership=request.membership)
    page = Paginator(nudges, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "nudges/inbox.html",
        {"page": page, "unread": any(nudge.read_at is None for nudge in page.object_list)},
    )


def _my_nudge(request, nudge_id: int):
    # Only the member's own delivered in-app nudges exist here; anything else is 404,
    # whatever the method, so the answer says nothing about other people's nudges.
    nudge = get_object_or_404(
        inapp_nudges_for_member(membership=request.membership).filter(
            organisation=request.organisation
        ),
        pk=nudge_id,
    )
    return nudge


def _back_to_centre(request):
    """Back to the page of the centre the member was on (a number, nothing else)."""
    url = reverse("nudges:inbox", kwargs={"org_slug": request.organisation.slug})
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@member_required()
def nudge_open(request, nudge_id: int):
    nudge = _my_nudge(request, nudge_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    nudge_mark_read(nudge=nudge)
    # The path was stored by the sender from reverse(); checked again, as any redirect target.
    if nudge.action_url and url_has_allowed_host_and_scheme(nudge.action_url, allowed_hosts=None):
        return redirect(nudge.action_url)
    if nudge.unit_id is not None:  # sent before nudges kept their link
        return redirect(
            "microlearning:unit_detail", org_slug=request.organisation.slug, unit_id=nudge.unit_id
        )
    return _back_to_centre(request)


@member_required()
def nudge_read(request, nudge_id: int):
    nudge = _my_nudge(request, nudge_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    nudge_mark_read(nudge=nudge)
    return _back_to_centre(request)


@require_POST
@member_required()
def nudges_read_all(request):
    count = nudges_mark_all_read(membership=request.membership)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked read.", "%(count)d notifications marked read.", count
            )
            % {"count": count},
        )
    return _back_to_centre(request)


# --- the L&D author's rules ---------------------------------------------------------------


@member_required(Action.AUTHOR_NUDGE_RULES)
def rule_list(request):
    rules = rules_for_authoring(organisation=request.organisation)
    kinds = [(kind.value, kind.label) for kind in AUTHORED_KINDS]
    return render(request, "nudges/rule_list.html", {"rules": rules, "kinds": kinds})


def _rule_page(request, *, rule: NudgeRule | None, kind: str):
    """Create or edit: "preview" renders the words unsaved in both languages, "save" saves."""
    # The form fills an instance of its own, so the service still sees what changed.
    editing = (
        rule_for_authoring(organisation=request.organisation, rule_id=rule.pk) if rule else None
    )
    form = NudgeRuleForm(
        request.POST or None,
        instance=editing,
        organisation=request.organisation,
        kind=kind,
        weekly=KINDS[kind].weekly,
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = nudge_rule_preview(rule=form.instance, viewer=request.membership)
        else:
            teams = list(form.cleaned_data["teams"])
            try:
                if rule is None:
                    services.nudge_rule_create(
                        organisation=request.organisation,
                        by=request.membership,
                        kind=kind,
                        teams=teams,
                        **form.rule_fields(),
                    )
                else:
                    services.nudge_rule_update(
                        rule=rule, by=request.membership, teams=teams, **form.rule_fields()
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Nudge rule saved."))
                return redirect("nudges:rule_list", org_slug=request.organisation.slug)
    elif rule is not None and request.method != "POST":
        preview = nudge_rule_preview(rule=rule, viewer=request.membership)
    return render(
        request,
        "nudges/rule_form.html",
        {
            "form": form,
            "rule": rule,
            "kind": kind,
            "kind_label": NudgeRule.Kind(kind).label,
            "placeholders": KINDS[kind].allowed,
            "preview": preview,
        },
    )


@member_required(Action.AUTHOR_NUDGE_RULES)
def rule_create(request):
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind not in AUTHORED_KINDS:
        raise Http404
    return _rule_page(request, rule=None, kind=kind)


@member_required(Action.AUTHOR_NUDGE_RULES)
def rule_effect(request, rule_id: int):
    """Is it working? The rule's figures, its weekly trend and the uplift over its holdout."""
    rule = rule_for_authoring(organisation=request.organisation, rule_id=rule_id)
    if rule is None:
        raise Http404
    return render(
        request,
        "nudges/rule_effect.html",
        {
            "rule": rule,
            "effect": rule_effectiveness(rule=rule),
            "act_hours": int(ACT_WITHIN.total_seconds() // 3600),
            "min_people": MIN_GROUP_PEOPLE,
        },
    )


@member_required(Action.AUTHOR_NUDGE_RULES)
def rule_edit(request, rule_id: int):
    rule = rule_for_authoring(organisation=request.organisation, rule_id=rule_id)
    if rule is None:
        raise Http404
    return _rule_page(request, rule=rule, kind=rule.kind)


# --- the manager's weekly team digest -----------------------------------------------------


@member_required(Action.VIEW_TEAM_DASHBOARD)
def team_digest(request):
    """Who in the manager's teams is stuck, overdue or inactive now, one link each to act."""
    digest = team_digest_for(manager=request.membership, now=timezone.now())
    return render(request, "nudges/team_digest.html", {"digest": digest})
