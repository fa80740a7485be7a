"""Writes for nudge rules: create, change, and the rule every organisation starts with."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation, Team
from organisations.services import audit_log_record

from ..models import NudgeRule, NudgeRuleTeam
from ..rules import DEFAULT_RULES, KINDS

NEEDS_TEAMS = _("Choose at least one team, or send to the whole organisation.")
FOREIGN_TEAM = _("Choose teams of this organisation.")

RULE_FIELDS = (
    "kind",
    "delay_days",
    "weekday",
    "hour",
    "audience",
    "send_email",
    "send_in_app",
    "is_active",
    "holdout_percent",
    "subject_nl",
    "subject_en",
    "text_nl",
    "text_en",
)


def _validate_teams(rule: NudgeRule, teams: list[Team]) -> None:
    if rule.audience == NudgeRule.Audience.TEAMS and not teams:
        raise ValidationError({"teams": [NEEDS_TEAMS]})
    if any(team.organisation_id != rule.organisation_id for team in teams):
        raise ValidationError({"teams": [FOREIGN_TEAM]})


def _save(rule: NudgeRule, *, teams: list[Team] | None) -> NudgeRule:
    # full_clean runs NudgeRule.clean: placeholders, both languages, timing, channels.
    rule.full_clean()
    chosen = list(teams or []) if rule.audience == NudgeRule.Audience.TEAMS else []
    _validate_teams(rule, chosen)
    rule.save()
    if teams is not None:
        NudgeRuleTeam.objects.filter(organisation_id=rule.organisation_id, rule=rule).exclude(
            team__in=chosen
        ).delete()
        NudgeRuleTeam.objects.bulk_create(
            [
                NudgeRuleTeam(organisation_id=rule.organisation_id, rule=rule, team=t)
                for t in chosen
            ],
            ignore_conflicts=True,
        )
    return rule


@transaction.atomic
def nudge_rule_create(
    *, organisation: Organisation, by: Membership | None, teams: list[Team] | None = None, **fields
) -> NudgeRule:
    """A new rule, validated (``ValidationError`` keyed by field), with an audit row."""
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"not rule fields: {sorted(unknown)}")
    rule = _save(NudgeRule(organisation=organisation, **fields), teams=teams)
    audit_log_record(
        actor=by,
        action="nudge_rule.created",
        obj=rule,
        data={"kind": rule.kind},
        organisation_id=organisation.pk,
    )
    return rule


@transaction.atomic
def nudge_rule_update(
    *, rule: NudgeRule, by: Membership | None, teams: list[Team] | None = None, **fields
) -> NudgeRule:
    """Change a rule; planned nudges keep their words, later ones get the new ones."""
    unknown = set(fields) - set(RULE_FIELDS) | ({"kind"} & set(fields))
    if unknown:
        raise TypeError(f"not changeable rule fields: {sorted(unknown)}")
    before = {field: getattr(rule, field) for field in fields}
    for field, value in fields.items():
        setattr(rule, field, value)
    rule.updated_at = timezone.now()
    _save(rule, teams=teams)
    changed = sorted(field for field in fields if before[field] != fields[field])
    audit_log_record(
        actor=by,
        action="nudge_rule.updated",
        obj=rule,
        data={"changed": changed},
        organisation_id=rule.organisation_id,
    )
    return rule


def nudge_rule_default_ensure(*, organisation: Organisation) -> list[NudgeRule]:
    """Give the organisation the default rule of every kind it never had; return the new ones.

    The finish-a-unit default reproduces the reminder from before rules were data:
    after the organisation's ``nudge_after_days``, both channels, nobody held out.
    The other kinds' defaults start switched off, for L&D to tune and switch on.
    Rules are switched off, not deleted, so a kind the organisation has is never
    created again. The organisation row is locked so two planners cannot both
    create one. One query when nothing is missing.
    """
    from .kinds import handled_kinds

    wanted = [kind for kind in handled_kinds() if kind in DEFAULT_RULES]

    def missing() -> list[str]:
        have = set(
            NudgeRule.objects.filter(organisation=organisation, kind__in=wanted).values_list(
                "kind", flat=True
            )
        )
        return [kind for kind in wanted if kind not in have]

    if not missing():
        return []
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    created = []
    for kind in missing():
        fields = {"delay_days": organisation.nudge_after_days, **DEFAULT_RULES[kind]}
        if KINDS[kind].weekly:
            fields.pop("delay_days")
        rule = NudgeRule(organisation=organisation, kind=kind, **fields)
        rule.full_clean()
        rule.save()
        audit_log_record(
            actor=None,
            action="nudge_rule.created",
            obj=rule,
            data={"kind": rule.kind, "default": True},
            organisation_id=organisation.pk,
        )
        created.append(rule)
    return created
