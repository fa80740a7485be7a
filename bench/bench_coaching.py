"""The manager's coaching view for a team of 50, next to the same figures by hand.

Setup: an organisation ``bench-coaching`` of its own: a manager of a team of
``BENCH_COACHING_TEAM`` (50) members. Each member is enrolled in a trajectory of 5
steps (a third of them with a step overdue, a fifth with evidence waiting for the
manager), has an agreed goal (some due a check-in, some checked in low), three
commitments, and ``BENCH_COACHING_EVENTS`` (400) learning events spread over the
last 12 weeks; the rollup folds them into ``TeamDailyCount``.

Measured (``BENCH_COACHING_REQUESTS``, 200, after a warm-up):
- the coaching view through Django's test client as the signed-in manager, next to
  the minimal member page of ``bench.urls`` (the fixed cost of any request: the
  request's own overhead, reported apart);
- the same figures by hand-written SQL (the members, evidence waiting, overdue steps,
  goals with their latest check-in and plan counts, check-ins due, commitment counts,
  enrolments with steps; last activity, the 70:20:10 mix and the 12-week trend from
  the rollups, MemberState and TeamDailyCount), under the same RLS setting: what the
  view costs beyond its queries;
- the same SQL with last activity, mix and trend aggregated from the raw events
  instead of the rollup: the speed-up is why rollups exist.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from analytics.models import TeamDailyCount
from analytics.selectors.coaching import MIX_LEFT_OUT
from analytics.services import organisation_rollup
from bench import Row, env_int, progress
from bench.bench_catalogue import _get, _measure, _p
from courses.models import Enrolment, EvidenceSubmission, Step, StepProgress
from courses.services import authoring, enrolments
from events.models import LearningEvent
from events.verbs import NOT_LEARNING
from goals.models import CheckIn, Goal, PlanActivity
from microlearning.models import Commitment, Unit, UnitVersion
from organisations.models import Membership, Organisation, Skill, Team, User
from organisations.tenancy import organisation_scope

ORDER = 45
NAME = "coaching"
SLUG = "bench-coaching"
WEEKS = 12
VERBS = ["completed", "viewed", "reflected", "committed", "applied", "approved", "attended"]


def run() -> list[Row]:
    team_size = env_int("BENCH_COACHING_TEAM", 50)
    events_each = env_int("BENCH_COACHING_EVENTS", 400)
    requests = max(env_int("BENCH_COACHING_REQUESTS", 200), 1)
    progress(f"Coaching: a team of {team_size}, {events_each} events each over {WEEKS} weeks")
    organisation, manager, team = _people(team_size)
    with organisation_scope(organisation.pk):
        members = list(Membership.objects.filter(team=team).exclude(pk=manager.pk))
        _trajectory(organisation, manager, team, members)
        _goals_and_commitments(organisation, manager, members)
        _events(organisation, members, events_each)
        while organisation_rollup(organisation=organisation, settle=dt.timedelta(0)):
            pass
        _analyze()
    client = Client()
    client.force_login(manager.user)
    coaching_url = reverse("analytics:coaching", args=[SLUG])
    today = timezone.localdate(timezone=organisation.zone)
    with override_settings(DEBUG=False, ROOT_URLCONF="bench.urls"):
        minimal = reverse("bench_minimal", args=[SLUG])
        progress(f"Measuring the coaching view and its references, {requests} requests each")
        fixed = _measure(requests, lambda i: _get(client, minimal, {}))
        view = _measure(requests, lambda i: _get(client, coaching_url, {}))
        rolled = _measure(
            requests, lambda i: _by_hand(organisation, manager, today, from_events=False)
        )
        raw = _measure(requests, lambda i: _by_hand(organisation, manager, today, from_events=True))
    with organisation_scope(organisation.pk):
        event_count = LearningEvent.objects.filter(organisation=organisation).count()
        rollup_rows = TeamDailyCount.objects.filter(organisation=organisation).count()
    return [
        Row(NAME, f"learning events of the team of {team_size}", event_count),
        Row(NAME, "rollup rows (member, day, verb) of the team", rollup_rows),
        Row(
            NAME,
            f"coaching view p50 ms, team of {team_size} (hand-written SQL on rollups ref)",
            _p(view, 50),
            _p(rolled, 50),
        ),
        Row(
            NAME,
            f"coaching view p95 ms, team of {team_size} (hand-written SQL on rollups ref)",
            _p(view, 95),
            _p(rolled, 95),
        ),
        Row(
            NAME,
            "request overhead p95 ms: minimal member page (coaching view ref)",
            _p(fixed, 95),
            _p(view, 95),
        ),
        Row(
            NAME,
            "same figures from raw events p95 ms (hand-written SQL on rollups ref)",
            _p(raw, 95),
            _p(rolled, 95),
        ),
    ]


def _people(team_size: int):
    Organisation.objects.filter(slug=SLUG).delete()
    organisation = Organisation.objects.create(slug=SLUG, name="Bench coaching")
    password = make_password(None)
    with organisation_scope(organisation.pk):
        users = User.objects.bulk_create(
            User(email=f"coaching-{n}@bench.test", first_name=f"Member {n:03d}", password=password)
            for n in range(team_size + 1)
        )
        back = timezone.now() - dt.timedelta(days=WEEKS * 7 + 30)
        members = Membership.objects.bulk_create(
            Membership(organisation=organisation, user=user, created_at=back) for user in users
        )
        manager = members[0]
        manager.is_author = True
        manager.save(update_fields=["is_author"])
        team = Team.objects.create(organisation=organisation, name="Fifty", manager=manager)
        Membership.objects.filter(pk__in=[m.pk for m in members[1:]]).update(team=team)
    return organisation, manager, team


def _trajectory(organisation, manager, team, members) -> None:
    trajectory = authoring.trajectory_create(by=manager, title="Onboarding")
    for n in range(5):
        authoring.step_add(
            trajectory=trajectory,
            by=manager,
            kind=Step.Kind.ASSIGNMENT,
            title=f"Step {n + 1}",
            evidence_text=True,
            sign_off=Step.SignOff.MANAGER,
            due_offset_days=n * 7,
        )
    authoring.trajectory_publish(trajectory=trajectory, by=manager)
    enrolments.team_enrol(trajectory=trajectory, team=team, by=manager)
    rows = list(
        StepProgress.objects.filter(organisation=organisation).order_by("enrolment_id", "pk")
    )
    today = timezone.localdate(timezone=organisation.zone)
    first_of = {}
    for row in rows:
        first_of.setdefault(row.enrolment_id, row)
    submissions = []
    for n, row in enumerate(first_of.values()):
        if n % 3 == 0:
            row.due_on = today - dt.timedelta(days=5)
            row.save(update_fields=["due_on"])
        elif n % 5 == 1:
            row.status = StepProgress.Status.SUBMITTED
            row.save(update_fields=["status"])
            submissions.append(
                EvidenceSubmission(
                    organisation=organisation,
                    progress=row,
                    number=1,
                    text="I did it.",
                    submitted_by_id=row.enrolment.membership_id,
                    submitted_at=timezone.now() - dt.timedelta(days=2),
                )
            )
    EvidenceSubmission.objects.bulk_create(submissions)


def _goals_and_commitments(organisation, manager, members) -> None:
    skill = Skill.objects.create(organisation=organisation, name="Coaching")
    now = timezone.now()
    goals = Goal.objects.bulk_create(
        Goal(
            organisation=organisation,
            member=member,
            title=f"Goal of {member.pk}",
            skill=skill,
            current_level=2,
            target_level=3,
            target_date=now.date() + dt.timedelta(days=60),
            status=Goal.Status.AGREED,
            agreed_by=manager,
            agreed_at=now - dt.timedelta(days=20),
            check_in_due_at=now + dt.timedelta(days=(n % 4) * 5 - 5),
        )
        for n, member in enumerate(members)
    )
    PlanActivity.objects.bulk_create(
        PlanActivity(organisation=organisation, goal=goal, category="experience", title="Do it")
        for goal in goals
    )
    CheckIn.objects.bulk_create(
        CheckIn(organisation=organisation, goal=goal, progress=1 + n % 5)
        for n, goal in enumerate(goals)
    )
    unit = Unit.objects.create(
        organisation=organisation, title="Handover", status=Unit.Status.PUBLISHED
    )
    version = UnitVersion.objects.create(
        organisation=organisation, unit=unit, number=1, title="Handover"
    )
    statuses = [Commitment.Status.APPLIED, Commitment.Status.NOT_YET, Commitment.Status.OPEN]
    Commitment.objects.bulk_create(
        Commitment(
            organisation=organisation,
            member=member,
            unit=unit,
            version=version,
            text="Use the checklist",
            due_on=now.date(),
            status=statuses[(n + k) % 3],
            reported_at=now,
        )
        for n, member in enumerate(members)
        for k in range(3)
    )


def _events(organisation, members, each: int) -> None:
    rng = random.Random(9)
    now = timezone.now()
    span = WEEKS * 7 * 24 * 3600
    events = [
        LearningEvent(
            organisation=organisation,
            actor=member,
            verb=rng.choice(VERBS),
            object_type="unit",
            object_id=1,
            timestamp=now - dt.timedelta(seconds=rng.randrange(span)),
        )
        for member in members
        for _ in range(each)
    ]
    events.sort(key=lambda event: event.timestamp)
    LearningEvent.objects.bulk_create(events, batch_size=5_000)


def _analyze() -> None:
    models = (
        LearningEvent,
        TeamDailyCount,
        StepProgress,
        Enrolment,
        Goal,
        CheckIn,
        Commitment,
        Membership,
    )
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# --- The reference: the view's figures by hand -------------------------------------------------

_TEAMS = "SELECT id FROM organisations_team WHERE organisation_id = %(org)s AND manager_id = %(me)s"
_FIXED = [
    # The members.
    f"""SELECT m.id, u.first_name, u.last_name, u.email, m.team_id, m.created_at
        FROM organisations_membership m JOIN organisations_user u ON u.id = m.user_id
        WHERE m.organisation_id = %(org)s AND m.is_active AND m.id <> %(me)s
          AND m.team_id IN ({_TEAMS}) ORDER BY u.first_name, u.last_name, u.email""",  # noqa: S608
    # Evidence waiting for the manager: the latest round of each submitted step.
    f"""SELECT DISTINCT ON (p.id) p.id, s.title, e.membership_id, r.id, r.submitted_at
        FROM courses_stepprogress p
        JOIN courses_enrolment e ON e.id = p.enrolment_id
        JOIN courses_step s ON s.id = p.step_id
        JOIN organisations_membership m ON m.id = e.membership_id
        JOIN courses_evidencesubmission r ON r.progress_id = p.id
        WHERE p.organisation_id = %(org)s AND p.status = 'submitted' AND m.is_active
          AND e.status <> 'withdrawn' AND s.sign_off = 'manager' AND m.team_id IN ({_TEAMS})
        ORDER BY p.id, r.number DESC""",  # noqa: S608
    # Overdue steps.
    f"""SELECT p.id, s.title, e.membership_id, p.due_on
        FROM courses_stepprogress p
        JOIN courses_enrolment e ON e.id = p.enrolment_id
        JOIN courses_step s ON s.id = p.step_id
        JOIN organisations_membership m ON m.id = e.membership_id
        WHERE p.organisation_id = %(org)s AND p.status IN ('open', 'changes_requested')
          AND p.due_on < %(today)s AND m.is_active
          AND e.status IN ('not_started', 'in_progress', 'overdue') AND m.team_id IN ({_TEAMS})""",  # noqa: S608
    # Goals with their latest check-in, plan counts, check-ins due.
    f"""SELECT g.id, g.member_id, g.title, g.status, g.target_date, g.check_in_due_at,
               (SELECT c.progress FROM goals_checkin c WHERE c.goal_id = g.id
                ORDER BY c.created_at DESC, c.id DESC LIMIT 1),
               (SELECT count(*) FROM goals_planactivity a WHERE a.goal_id = g.id),
               (SELECT count(*) FROM goals_planactivity a WHERE a.goal_id = g.id
                AND a.status = 'done')
        FROM goals_goal g JOIN organisations_membership m ON m.id = g.member_id
        WHERE g.organisation_id = %(org)s AND g.status IN ('proposed', 'agreed')
          AND m.team_id IN ({_TEAMS})""",  # noqa: S608
    # Commitments per member and status.
    f"""SELECT c.member_id, c.status, count(*)
        FROM microlearning_commitment c JOIN organisations_membership m ON m.id = c.member_id
        WHERE c.organisation_id = %(org)s AND m.team_id IN ({_TEAMS})
        GROUP BY c.member_id, c.status""",  # noqa: S608
    # Enrolments with their steps.
    f"""SELECT e.id, e.membership_id, t.title, e.status, p.id, s.title, p.status, p.due_on
        FROM courses_enrolment e
        JOIN courses_trajectory t ON t.id = e.trajectory_id
        JOIN organisations_membership m ON m.id = e.membership_id
        LEFT JOIN courses_stepprogress p ON p.enrolment_id = e.id
        LEFT JOIN courses_step s ON s.id = p.step_id
        WHERE e.organisation_id = %(org)s AND e.status <> 'withdrawn'
          AND m.team_id IN ({_TEAMS})""",  # noqa: S608
]
_EVENTS = LearningEvent._meta.db_table
_NOT_LEARNING = "(" + ", ".join(f"'{verb.value}'" for verb in NOT_LEARNING) + ")"
_NOT_IN_MIX = "(" + ", ".join(f"'{verb}'" for verb in (*NOT_LEARNING, *MIX_LEFT_OUT)) + ")"
_FROM_ROLLUP = [
    f"""SELECT s.member_id, s.last_activity_at
        FROM analytics_memberstate s JOIN organisations_membership m ON m.id = s.member_id
        WHERE s.organisation_id = %(org)s AND m.team_id IN ({_TEAMS})""",  # noqa: S608
    f"""SELECT d.member_id, d.verb, sum(d.count)
        FROM analytics_teamdailycount d JOIN organisations_membership m ON m.id = d.member_id
        WHERE d.organisation_id = %(org)s AND m.team_id IN ({_TEAMS})
          AND d.day >= %(start)s AND d.verb NOT IN {_NOT_IN_MIX}
        GROUP BY d.member_id, d.verb""",  # noqa: S608
    f"""SELECT date_trunc('week', d.day), count(DISTINCT d.member_id) FILTER
               (WHERE d.verb NOT IN {_NOT_LEARNING}),
               sum(d.count) FILTER (WHERE d.verb = 'completed'),
               sum(d.count) FILTER (WHERE d.verb = 'approved')
        FROM analytics_teamdailycount d
        WHERE d.organisation_id = %(org)s AND d.day >= %(start)s AND d.day <= %(today)s
          AND d.team_id IN ({_TEAMS})
        GROUP BY 1""",  # noqa: S608
]
_FROM_EVENTS = [
    f"""SELECT e.actor_id, e.verb, max((e.timestamp AT TIME ZONE %(zone)s)::date),
               count(*) FILTER (WHERE e.timestamp >= %(since)s)
        FROM {_EVENTS} e JOIN organisations_membership m ON m.id = e.actor_id
        WHERE e.organisation_id = %(org)s AND m.team_id IN ({_TEAMS})
          AND e.verb NOT IN {_NOT_LEARNING}
        GROUP BY e.actor_id, e.verb""",  # noqa: S608
    f"""SELECT date_trunc('week', (e.timestamp AT TIME ZONE %(zone)s)::date),
               count(DISTINCT e.actor_id) FILTER (WHERE e.verb NOT IN {_NOT_LEARNING}),
               count(*) FILTER (WHERE e.verb = 'completed'),
               count(*) FILTER (WHERE e.verb = 'approved')
        FROM {_EVENTS} e JOIN organisations_membership m ON m.id = e.actor_id
        WHERE e.organisation_id = %(org)s AND e.timestamp >= %(since)s
          AND m.team_id IN ({_TEAMS})
        GROUP BY 1""",  # noqa: S608
]


def _by_hand(organisation, manager, today: dt.date, *, from_events: bool) -> None:
    start = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=WEEKS - 1)
    values = {
        "org": organisation.pk,
        "me": manager.pk,
        "today": today,
        "start": start,
        "since": dt.datetime.combine(start, dt.time.min, tzinfo=organisation.zone),
        "zone": str(organisation.zone),
    }
    statements = _FIXED + (_FROM_EVENTS if from_events else _FROM_ROLLUP)
    with organisation_scope(organisation.pk), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, values)
            cursor.fetchall()
