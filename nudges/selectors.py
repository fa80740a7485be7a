"""Reads for nudges: who is due a reminder, and the reminders a member sees in the app."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from microlearning.selectors.reach import (
    assignment_targets,
    assignments_reaching,
    completed_unit_ids,
    units_completed,
    units_reaching,
)
from organisations.models import Membership, Organisation
from organisations.selectors import team_subtree_ids

from .models import Nudge, NudgeRule, NudgeRuleTeam


def rule_audience(*, rule: NudgeRule) -> QuerySet[Membership]:
    """The active members a rule is for: everyone, or the chosen teams and their sub-teams."""
    members = Membership.objects.filter(organisation_id=rule.organisation_id, is_active=True)
    if rule.audience == NudgeRule.Audience.ORGANISATION:
        return members
    roots = list(
        NudgeRuleTeam.objects.filter(organisation_id=rule.organisation_id, rule=rule).values_list(
            "team_id", flat=True
        )
    )
    teams = team_subtree_ids(organisation=rule.organisation, root_ids=roots)
    return members.filter(team_id__in=teams)


def finish_nudges_due(
    *,
    organisation: Organisation,
    cutoff: dt.datetime,
    memberships: QuerySet[Membership] | None = None,
) -> set[tuple[int, int]]:
    """(member id, unit id) for every active member (of ``memberships``) who should finish a unit.

    A unit counts when it reached the member before ``cutoff`` (published, and
    assigned to them or to a team above them before then, which they joined
    before then: see ``microlearning.selectors.reach.units_reaching``). Members who
    completed it are left out. A fixed number of queries, however many units and
    teams there are.

    It starts from what can be due: the assignments made before the cutoff (an
    index), and reads only the members those reach. With nothing assigned long
    enough ago it reads no member at all: one query.
    """
    teams, direct = assignment_targets(organisation=organisation, assigned_by=cutoff)
    if not teams and not direct:
        return set()
    if memberships is None:
        memberships = Membership.objects.filter(organisation=organisation, is_active=True)
    reachable = Q(pk__in=direct) if direct else Q(pk__in=[])
    if teams:
        reachable |= Q(
            team_id__in=team_subtree_ids(organisation=organisation, root_ids=list(teams))
        )
    reached = units_reaching(
        organisation=organisation,
        memberships=memberships.filter(reachable),
        reached_by=cutoff,
    )
    wanted = {(member_id, unit_id) for member_id, units in reached.items() for unit_id in units}
    if not wanted:
        return wanted
    completed = units_completed(
        organisation=organisation, unit_ids={unit_id for _, unit_id in wanted}
    )
    return {
        (member_id, unit_id)
        for member_id, unit_id in wanted
        if unit_id not in completed.get(member_id, ())
    }


def unit_still_assigned(*, membership: Membership, unit_id: int) -> bool:
    """Whether the published unit still reaches the member, directly or through their team."""
    return assignments_reaching(membership=membership).filter(unit_id=unit_id).exists()


def _inapp_nudges(*, membership: Membership) -> QuerySet[Nudge]:
    return Nudge.objects.filter(
        organisation_id=membership.organisation_id,
        member=membership,
        channel=Nudge.Channel.IN_APP,
        status=Nudge.Status.SENT,
    ).select_related("unit")


def inapp_unread_count(*, membership: Membership) -> int:
    """How many delivered in-app nudges the member has not read: the header's one query.

    The partial index ``nudge_inapp_unread`` holds exactly these rows, so the count
    reads a handful of index entries however many nudges the organisation has.
    """
    return (
        _inapp_nudges(membership=membership)
        .filter(read_at__isnull=True)
        .select_related(None)
        .count()
    )


def inapp_nudges_for_member(*, membership: Membership) -> QuerySet[Nudge]:
    """All in-app nudges the member received, newest first, marked ``unit_completed``."""
    completed = completed_unit_ids(membership=membership).filter(unit_id=OuterRef("unit_id"))
    return (
        _inapp_nudges(membership=membership)
        .annotate(unit_completed=Exists(completed))
        .order_by("-sent_at", "-id")
    )


def rules_for_authoring(*, organisation: Organisation) -> list[NudgeRule]:
    """Every rule of the organisation, with how many nudges each planned and sent, in one query."""
    return list(
        NudgeRule.objects.filter(organisation=organisation)
        .exclude(kind=NudgeRule.Kind.DIGEST)
        .annotate(
            planned_count=Count("nudges", filter=Q(nudges__status=Nudge.Status.PLANNED)),
            sent_count=Count("nudges", filter=Q(nudges__status=Nudge.Status.SENT)),
            failed_count=Count("nudges", filter=Q(nudges__status=Nudge.Status.FAILED)),
        )
        .order_by("kind", "pk")
    )


def rule_for_authoring(*, organisation: Organisation, rule_id: int) -> NudgeRule | None:
    return (
        NudgeRule.objects.filter(organisation=organisation, pk=rule_id)
        .exclude(kind=NudgeRule.Kind.DIGEST)
        .first()
    )


def rule_preview_nudge(*, rule: NudgeRule) -> Nudge | None:
    """The rule's latest nudge: a real member's data to preview the words with."""
    if rule.pk is None:
        return None
    return (
        Nudge.objects.filter(organisation_id=rule.organisation_id, rule=rule)
        .select_related("member__user", "member__organisation", "unit", "rule")
        .order_by("-created_at", "-pk")
        .first()
    )


def member_for_link(*, organisation_id: int, member_id: int) -> Membership | None:
    """The member a signed link names, or None when they are no longer in the organisation."""
    return (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation_id=organisation_id, pk=member_id)
        .first()
    )


def rules_of(*, organisation: Organisation) -> list[NudgeRule]:
    """The organisation's rules in a stable order (kind, then age), for reports."""
    return list(NudgeRule.objects.filter(organisation=organisation).order_by("kind", "pk"))


def people_nudged(
    *, organisation: Organisation, since: dt.datetime, rules: list[NudgeRule]
) -> tuple[dict[int, int], int]:
    """How many members were sent a nudge since ``since``: per rule of ``rules``, and at all."""
    sent = Nudge.objects.filter(
        organisation=organisation, status=Nudge.Status.SENT, sent_at__gte=since
    )
    per_rule = dict(
        sent.filter(rule__in=rules)
        .values("rule_id")
        .annotate(people=Count("member_id", distinct=True))
        .values_list("rule_id", "people")
        .order_by()
    )
    return per_rule, sent.values("member_id").distinct().count()
