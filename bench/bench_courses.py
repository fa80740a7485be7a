"""Trajectories: enrolling a team in bulk, and the learner's pages, next to references.

Setup: an organisation ``bench-courses`` of its own with a team of
``BENCH_COURSES_TEAM`` (1,000) members and a published trajectory of 10 steps; a
learner with ``BENCH_COURSES_ENROLMENTS`` (10) enrolments of 20 steps each.

Measured:
- enrolling the team through ``team_enrol`` (permissions, the members' query, due
  dates on one work calendar, ``bulk_create`` of enrolments and step rows, the
  ``enrolled`` events), next to the same enrolment and step rows written for a second
  trajectory by hand as one INSERT each in raw SQL, under the same RLS setting;
- "My learning" (the home), "My trajectories" and the trajectory page for the learner
  (``BENCH_COURSES_REQUESTS``, 250, after a warm-up) through Django's test client as
  the signed-in learner, next to the minimal member page of ``bench.urls`` (the fixed
  cost of any request);
- the manager's sign-off queue and team goals for a manager of 50, each member with a
  round of evidence waiting and a goal proposed, next to the same minimal page.
"""

from __future__ import annotations

import datetime as dt
import time

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from bench import Row, env_int, progress
from bench.bench_catalogue import _get, _measure, _p
from courses.models import Enrolment, Step, StepProgress, Trajectory
from courses.services import authoring, enrolments
from courses.services.evidence import evidence_submit
from goals.services import goal_create, goal_propose
from organisations.models import Membership, Organisation, Skill, Team, User
from organisations.tenancy import organisation_scope
from organisations.workdays import work_calendar

ORDER = 30
NAME = "courses"
SLUG = "bench-courses"


def run() -> list[Row]:
    team_size = env_int("BENCH_COURSES_TEAM", 1_000)
    enrolment_count = env_int("BENCH_COURSES_ENROLMENTS", 10)
    requests = max(env_int("BENCH_COURSES_REQUESTS", 250), 1)
    organisation, author, team, learner = _people(team_size)
    with organisation_scope(organisation.pk):
        trajectory = _trajectory(author, steps=10, title="Team trajectory")
        reference = _trajectory(author, steps=10, title="Reference trajectory")
        # A warm process: the holiday calendars are imported once per process, not per call;
        # and fresh tables get their statistics, as autovacuum gives them in production.
        work_calendar(organisation=organisation, start=timezone.localdate())
        _analyze()
        progress(f"Enrolling a team of {team_size} in a 10-step trajectory")
        started = time.perf_counter()
        with transaction.atomic():
            batch = enrolments.team_enrol(trajectory=trajectory, team=team, by=author)
        enrol_seconds = time.perf_counter() - started
        rows = len(batch.created) * 11
        started = time.perf_counter()
        with transaction.atomic():
            _raw_enrol(organisation.pk, reference, team, author)
        raw_seconds = time.perf_counter() - started
        progress(f"A learner with {enrolment_count} enrolments of 20 steps")
        learner_trajectories = [
            _trajectory(author, steps=20, title=f"Learner trajectory {n}", chained=True)
            for n in range(enrolment_count)
        ]
        for t in learner_trajectories:
            enrolments.enrolments_create(trajectory=t, by=author, memberships=[learner])
        progress(f"A manager of {MANAGED}: evidence waiting for them, goals to agree")
        manager = _managed_team(organisation, author, team)
        _analyze()
    client = Client()
    client.force_login(learner.user)
    # "My learning" is the home: units, the trajectories' steps due first, goals.
    my_learning = reverse("microlearning:home", args=[SLUG])
    my_trajectories = reverse("courses:my_learning", args=[SLUG])
    page = reverse("courses:trajectory", args=[SLUG, learner_trajectories[0].pk])
    with override_settings(DEBUG=False, ROOT_URLCONF="bench.urls"):
        minimal = reverse("bench_minimal", args=[SLUG])
        progress(f"Measuring the learner's pages, {requests} requests each")
        fixed = _measure(requests, lambda i: _get(client, minimal, {}))
        mine = _measure(requests, lambda i: _get(client, my_learning, {}))
        all_mine = _measure(requests, lambda i: _get(client, my_trajectories, {}))
        detail = _measure(requests, lambda i: _get(client, page, {}))
        client.force_login(manager.user)
        queue_url = reverse("courses_evidence:queue", args=[SLUG])
        goals_url = reverse("goals:team_goals", args=[SLUG])
        queue = _measure(requests, lambda i: _get(client, queue_url, {}))
        team_goals = _measure(requests, lambda i: _get(client, goals_url, {}))
    return [
        Row(
            NAME,
            f"seconds enrolling {team_size} x 10 steps (raw SQL INSERT ref)",
            enrol_seconds,
            raw_seconds,
        ),
        Row(NAME, "rows written by the enrolment (enrolments + step rows)", rows),
        Row(
            NAME,
            "My learning p50 ms, 10 x 20 steps (minimal page ref)",
            _p(mine, 50),
            _p(fixed, 50),
        ),
        Row(
            NAME,
            "My learning p95 ms, 10 x 20 steps (minimal page ref)",
            _p(mine, 95),
            _p(fixed, 95),
        ),
        Row(
            NAME,
            "My trajectories p95 ms, 10 x 20 steps (minimal page ref)",
            _p(all_mine, 95),
            _p(fixed, 95),
        ),
        Row(
            NAME,
            "trajectory page p50 ms, 20 steps (minimal page ref)",
            _p(detail, 50),
            _p(fixed, 50),
        ),
        Row(
            NAME,
            "trajectory page p95 ms, 20 steps (minimal page ref)",
            _p(detail, 95),
            _p(fixed, 95),
        ),
        Row(
            NAME,
            f"sign-off queue p95 ms, manager of {MANAGED} (minimal page ref)",
            _p(queue, 95),
            _p(fixed, 95),
        ),
        Row(
            NAME,
            f"team goals p95 ms, manager of {MANAGED} (minimal page ref)",
            _p(team_goals, 95),
            _p(fixed, 95),
        ),
    ]


MANAGED = 50


def _managed_team(organisation, author, everyone: Team) -> Membership:
    """A manager of 50: each member has a round of evidence waiting and a goal proposed."""
    members = list(Membership.objects.filter(team=everyone).order_by("pk")[: MANAGED + 1])
    manager, members = members[0], members[1:]
    team = Team.objects.create(organisation=organisation, name="Fifty", manager=manager)
    Membership.objects.filter(pk__in=[m.pk for m in members]).update(team=team)
    manager.team = None
    manager.save(update_fields=["team"])
    trajectory = authoring.trajectory_create(by=author, title="Signed-off trajectory")
    authoring.step_add(
        trajectory=trajectory,
        by=author,
        kind=Step.Kind.ASSIGNMENT,
        title="Lead the stand-up",
        evidence_text=True,
        sign_off=Step.SignOff.MANAGER,
    )
    authoring.trajectory_publish(trajectory=trajectory, by=author)
    enrolments.team_enrol(trajectory=trajectory, team=team, by=author)
    skill = Skill.objects.create(organisation=organisation, name="Running a stand-up")
    target = timezone.localdate() + dt.timedelta(days=60)
    for member in Membership.objects.filter(team=team).select_related("team"):
        row = StepProgress.objects.get(
            enrolment__membership=member, enrolment__trajectory=trajectory
        )
        evidence_submit(progress=row, membership=member, text="I led it twice.")
        goal = goal_create(
            membership=member,
            title="Lead the stand-up",
            skill=skill,
            current_level=2,
            target_level=3,
            target_date=target,
        )
        goal_propose(goal=goal, membership=member)
    return manager


def _analyze() -> None:
    tables = [m._meta.db_table for m in (Enrolment, StepProgress, Step, Membership, Trajectory)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _people(team_size: int):
    Organisation.objects.filter(slug=SLUG).delete()
    organisation = Organisation.objects.create(slug=SLUG, name="Bench trajectories")
    password = make_password(None)
    with organisation_scope(organisation.pk):
        team = Team.objects.create(organisation=organisation, name="Everyone")
        users = User.objects.bulk_create(
            User(email=f"courses-{n}@bench.test", password=password) for n in range(team_size + 2)
        )
        members = Membership.objects.bulk_create(
            Membership(organisation=organisation, user=user, team=team if n >= 2 else None)
            for n, user in enumerate(users)
        )
        author, learner = members[0], members[1]
        author.is_author = True
        author.save(update_fields=["is_author"])
    return organisation, author, team, learner


def _trajectory(author, *, steps: int, title: str, chained: bool = False) -> Trajectory:
    trajectory = authoring.trajectory_create(by=author, title=title)
    previous = None
    for n in range(steps):
        previous = authoring.step_add(
            trajectory=trajectory,
            by=author,
            kind=Step.Kind.EXTERNAL,
            title=f"Step {n + 1}",
            url="https://learn.example.org/module",
            due_offset_days=n * 2,
            requires=[previous] if chained and previous and n % 4 else [],
        )
    authoring.trajectory_publish(trajectory=trajectory, by=author)
    return trajectory


def _raw_enrol(organisation_id: int, trajectory: Trajectory, team: Team, author) -> None:
    """The same rows by hand: one INSERT for the enrolments, one for their step rows."""
    now = timezone.now()
    enrolment_table = Enrolment._meta.db_table
    progress_table = StepProgress._meta.db_table
    step_table = Step._meta.db_table
    member_table = Membership._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {enrolment_table} (organisation_id, trajectory_id, version_id,
                    membership_id, enrolled_by_id, status, enrolled_at, due_on)
                SELECT %(org)s, %(trajectory)s, %(version)s, m.id, %(by)s, 'not_started',
                       %(now)s, %(today)s
                FROM {member_table} AS m
                WHERE m.organisation_id = %(org)s AND m.team_id = %(team)s AND m.is_active""",  # noqa: S608
            {
                "org": organisation_id,
                "trajectory": trajectory.pk,
                "version": trajectory.live_version_id,
                "by": author.pk,
                "now": now,
                "today": now.date(),
                "team": team.pk,
            },
        )
        cursor.execute(
            f"""INSERT INTO {progress_table} (organisation_id, enrolment_id, step_id, status,
                    due_on, updated_at)
                SELECT %(org)s, e.id, s.id, 'open', %(today)s, %(now)s
                FROM {enrolment_table} AS e JOIN {step_table} AS s ON s.version_id = e.version_id
                WHERE e.organisation_id = %(org)s AND e.trajectory_id = %(trajectory)s""",  # noqa: S608
            {"org": organisation_id, "trajectory": trajectory.pk, "now": now, "today": now.date()},
        )
