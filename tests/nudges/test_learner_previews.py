"""L&D previews the learner nudge kinds' default words in both languages, with or without data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from microlearning.models import Commitment
from nudges.models import NudgeRule
from nudges.preview import nudge_rule_preview
from nudges.rules import DEFAULT_RULES
from organisations.tenancy import organisation_scope
from tests import factories

from .learner_support import agreed_goal, enrolled_step

pytestmark = pytest.mark.django_db

LEARNER_KINDS = (
    NudgeRule.Kind.APPLY,
    NudgeRule.Kind.FINISH_STEP,
    NudgeRule.Kind.REFLECT,
    NudgeRule.Kind.CHECK_IN,
)


def unsaved_rule(organisation, kind) -> NudgeRule:
    words = {k: v for k, v in DEFAULT_RULES[kind].items() if k != "is_active"}
    rule = NudgeRule(organisation=organisation, kind=kind, **words)
    rule.full_clean()  # the default words use only the kind's placeholders
    return rule


@pytest.mark.parametrize("kind", LEARNER_KINDS)
def test_an_organisation_without_data_previews_with_examples(organisation, kind):
    author = factories.MembershipFactory(organisation=organisation, is_author=True)

    with organisation_scope(organisation.pk):
        previews = nudge_rule_preview(rule=unsaved_rule(organisation, kind), viewer=author)

    assert [p.language for p in previews] == ["nl", "en"]
    for preview in previews:
        assert preview.subject and preview.text
        assert "[" not in preview.subject + preview.text
        assert "{" not in preview.subject + preview.text


def test_the_previews_use_the_organisations_data(organisation):
    author = factories.MembershipFactory(organisation=organisation, is_author=True)
    learner = factories.MembershipFactory(organisation=organisation)
    unit = factories.UnitFactory(organisation=organisation, title="Giving feedback")
    with scopes_disabled():
        Commitment.objects.create(
            organisation=organisation,
            member=learner,
            unit=unit,
            version=unit.live_version,
            text="Ask an open question",
            due_on=timezone.localdate(),
        )
        enrolled_step(learner, due_on=dt.date(2030, 5, 6))
        agreed_goal(learner, agreed_at=timezone.now())

    with organisation_scope(organisation.pk):
        subjects = {
            kind: [
                p.subject
                for p in nudge_rule_preview(rule=unsaved_rule(organisation, kind), viewer=author)
            ]
            for kind in LEARNER_KINDS
        }

    assert subjects[NudgeRule.Kind.APPLY] == [
        "Is het gelukt: “Ask an open question”?",
        "Did you manage: “Ask an open question”?",
    ]
    assert subjects[NudgeRule.Kind.FINISH_STEP] == [
        "“Lift safely at work” moet af op 6 mei 2030",
        "“Lift safely at work” is due on 6 May 2030",
    ]
    assert subjects[NudgeRule.Kind.REFLECT] == [
        "Wat heb je deze week geleerd?",
        "What did you learn this week?",
    ]
    assert subjects[NudgeRule.Kind.CHECK_IN] == [
        "Tijd voor een check-in: “Run the weekly planning”",
        "Time to check in: “Run the weekly planning”",
    ]
