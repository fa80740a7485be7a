"""The manager's coaching view and a member's page in it."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.access import member_required
from organisations.permissions import Action

from ..selectors import coaching as selectors
from ..selectors.dashboard import DayCount, organisation_today
from .dashboard import _bar_chart

ERROR_TEAM = gettext_lazy("That team is not one of the teams you coach. Choose one of your teams.")
ERROR_TRAJECTORY = gettext_lazy("That trajectory was not found. Choose one from the list.")
ERROR_PERIOD = gettext_lazy("Choose a period of 4, 12 or 26 weeks.")


def _id(request, name: str) -> tuple[int | None, bool]:
    """An optional id from the query string: (the id or None, whether the value was usable)."""
    value = request.GET.get(name, "").strip()
    if not value:
        return None, True
    if not value.isdigit() or len(value) > 18:
        return None, False
    return int(value), True


def _weeks(request) -> int | None:
    value = request.GET.get("weeks", "").strip()
    if not value:
        return selectors.DEFAULT_COACHING_WEEKS
    if value.isdigit() and int(value) in selectors.COACHING_PERIODS:
        return int(value)
    return None


def _charts(trend: list[selectors.Week]) -> list[dict]:
    """One chart per trend figure: its title, a sentence for who cannot see it, the bars."""
    figures = [
        ("active", _("Members active"), lambda week: week.active_members),
        ("completions", _("Units completed"), lambda week: week.completions),
        ("signed_off", _("Steps signed off"), lambda week: week.signed_off),
    ]
    charts = []
    for key, title, value in figures:
        counts = [DayCount(day=week.monday, count=value(week)) for week in trend]
        chart = _bar_chart(counts)
        chart.update(key=key, title=title, total=sum(c.count for c in counts))
        charts.append(chart)
    return charts


@member_required(Action.VIEW_TEAM_DASHBOARD)
def coaching(request):
    """Who needs a conversation now and why, then each member, then the team's trend."""
    errors = []
    team_id, team_ok = _id(request, "team")
    trajectory_id, trajectory_ok = _id(request, "trajectory")
    weeks = _weeks(request)
    if not team_ok:
        errors.append(ERROR_TEAM)
    if not trajectory_ok:
        errors.append(ERROR_TRAJECTORY)
    if weeks is None:
        errors.append(ERROR_PERIOD)
    view = None
    if not errors:
        try:
            view = selectors.coaching_view(
                membership=request.membership,
                now=timezone.now(),
                today=organisation_today(organisation=request.organisation),
                weeks=weeks,
                team_id=team_id,
                trajectory_id=trajectory_id,
            )
        except selectors.CoachingFilterError as exc:
            errors.append(ERROR_TEAM if str(exc) == "team" else ERROR_TRAJECTORY)
    context = {
        "view": view,
        "errors": errors,
        "periods": selectors.COACHING_PERIODS,
        "weeks": weeks or selectors.DEFAULT_COACHING_WEEKS,
        "team_id": team_id,
        "trajectory_id": trajectory_id,
    }
    if view is None:
        # The filters again, with what was wrong; no figures for a selection that is not valid.
        context["teams"] = selectors.coaching_teams(membership=request.membership)
        return render(request, "analytics/coaching.html", context, status=400)
    context.update(teams=view.teams, charts=_charts(view.trend))
    return render(request, "analytics/coaching.html", context)


@member_required(Action.VIEW_TEAM_DASHBOARD)
def coaching_member(request, member_id: int):
    """One member of the manager's teams; anybody else is not found."""
    weeks = _weeks(request) or selectors.DEFAULT_COACHING_WEEKS
    page = selectors.coaching_member(
        membership=request.membership,
        member_id=member_id,
        now=timezone.now(),
        today=organisation_today(organisation=request.organisation),
        weeks=weeks,
    )
    if page is None:
        raise Http404
    return render(
        request,
        "analytics/coaching_member.html",
        {"page": page, "row": page.row, "charts": _charts(page.trend)[1:], "weeks": weeks},
    )
