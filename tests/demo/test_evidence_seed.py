"""The demo's evidence rounds, on a small fixture of its own (the trajectories' demo is
another branch's)."""

from __future__ import annotations

import pytest
from django_scopes import scope

from courses.models import EvidenceSubmission, SignOffDecision, StepProgress
from demo.evidence import evidence_seed
from tests.courses.evidence_factories import evidence_world

pytestmark = pytest.mark.django_db


def test_the_demo_puts_steps_at_every_stage_of_sign_off_and_runs_twice(organisation):
    with scope(organisation=organisation):
        worlds = [
            evidence_world(organisation, title=f"Step {i}", checklist=["Done it"]) for i in range(4)
        ]
        progress = [w.progress for w in worlds]

        made = evidence_seed(organisation=organisation, progress=progress)
        again = evidence_seed(organisation=organisation, progress=progress)

        statuses = [
            StepProgress.objects.get(pk=p.pk).status for p in sorted(progress, key=lambda p: p.pk)
        ]
        assert statuses == ["submitted", "submitted", "done", "open"]
        assert made == {"rounds": 4, "approved": 1, "peer_feedback": 1}
        assert not again
        assert EvidenceSubmission.objects.count() == 4
        assert SignOffDecision.objects.count() == 2
