import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from analytics.models import TeamDailyCount
from demo.demo import demo_seed
from demo.demo_content import DEMO_PASSWORD
from demo.synthetic import SyntheticSpec, synthetic_seed
from events.models import LearningEvent
from microlearning.models import Assignment, Completion, QuestionAnswer, Unit
from microlearning.selectors.repetition import due_card_count
from nudges.models import Nudge
from organisations.models import Membership, Organisation, Team, User
from organisations.permissions import Action, can
from organisations.selectors import teams_managed_by
from organisations.tenancy import organisation_scope

pytestmark = pytest.mark.django_db

PERSONAS = [
    "medewerker@horizon.demo",
    "manager@horizon.demo",
    "auteur@horizon.demo",
    "hr@horizon.demo",
    "admin@horizon.demo",
    "employee@northwind.demo",
]
SMALL = SyntheticSpec(members=60, events=5_000, organisations=2, units=12)
ANCHOR = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)


def quiet(message: str) -> None:
    pass


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def row_counts() -> dict[str, int]:
    with scopes_disabled():
        return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def membership(email: str, slug: str = "horizon") -> Membership:
    with scopes_disabled():
        return Membership.objects.select_related("team", "organisation").get(
            user__email=email, organisation__slug=slug
        )


def test_seeding_the_demo_twice_changes_nothing():
    demo_seed(log=quiet)
    counts = row_counts()
    passwords = dict(User.objects.values_list("email", "password"))

    demo_seed(log=quiet)

    assert row_counts() == counts
    assert dict(User.objects.values_list("email", "password")) == passwords
    assert counts["organisations.Organisation"] == 2
    assert counts["events.LearningEvent"] > 0


def test_demo_personas_hold_their_roles():
    demo_seed(log=quiet)
    employee = membership("medewerker@horizon.demo")
    manager = membership("manager@horizon.demo")

    assert employee.team.name == "Wijkteam Noord"
    assert not can(employee, Action.AUTHOR_UNITS)
    assert can(membership("auteur@horizon.demo"), Action.AUTHOR_UNITS)
    assert can(membership("hr@horizon.demo"), Action.VIEW_ORGANISATION_REPORTS)
    assert can(membership("admin@horizon.demo"), Action.ADMINISTER_ORGANISATION)
    assert can(membership("admin@horizon.demo", "northwind"), Action.ADMINISTER_ORGANISATION)
    assert membership("employee@northwind.demo", "northwind").organisation.language == "en"
    with organisation_scope(manager.organisation_id):
        managed = {team.name for team in teams_managed_by(membership=manager)}
    assert managed == {"Zorg", "Wijkteam Noord", "Wijkteam Zuid"}
    assert set(User.objects.filter(email__in=PERSONAS).values_list("language", flat=True)) == {""}


def test_demo_personas_can_sign_in(client):
    demo_seed(log=quiet)

    for email in PERSONAS:
        assert client.login(email=email, password=DEMO_PASSWORD), email
        client.logout()
    # Through allauth too: the address is verified, so no verification stop.
    response = client.post(
        reverse("account_login"), {"login": PERSONAS[0], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "confirm-email" not in response.url


def test_demo_employee_has_exactly_one_overdue_assignment():
    demo_seed(log=quiet)
    employee = membership("medewerker@horizon.demo")
    cutoff = timezone.now() - dt.timedelta(days=employee.organisation.nudge_after_days)

    with organisation_scope(employee.organisation_id):
        team_ids = {employee.team_id, employee.team.parent_id}
        assigned = Assignment.objects.filter(team_id__in=team_ids, assigned_at__lte=cutoff)
        done = Completion.objects.filter(member=employee).values_list("unit_id", flat=True)
        overdue = assigned.exclude(unit_id__in=done).values_list("unit__title", flat=True)
        completed = done.count()

    assert list(overdue) == ["Een incident melden"]
    assert completed >= 3


def test_demo_employee_has_questions_due_in_the_refresher_and_a_repeat_nudge():
    demo_seed(log=quiet)
    employee = membership("medewerker@horizon.demo")

    with organisation_scope(employee.organisation_id):
        due = due_card_count(membership=employee, now=timezone.now())
        answered = QuestionAnswer.objects.filter(member=employee, correct=True).count()
        repeat = set(
            Nudge.objects.filter(member=employee, kind=Nudge.Kind.REPEAT).values_list(
                "channel", "status"
            )
        )

    # the questions of the units they completed, answered then, are due now
    assert due == answered == 3
    assert repeat == {
        (Nudge.Channel.EMAIL, Nudge.Status.SENT),
        (Nudge.Channel.IN_APP, Nudge.Status.SENT),
    }


def test_demo_has_published_units_a_draft_and_a_rollup():
    demo_seed(log=quiet)
    horizon = Organisation.objects.get(slug="horizon")

    with organisation_scope(horizon.pk):
        statuses = list(Unit.objects.values_list("status", flat=True))
        events = LearningEvent.objects.count()
        rolled_up = sum(TeamDailyCount.objects.values_list("count", flat=True))

    assert 6 <= statuses.count(Unit.Status.PUBLISHED) <= 10
    assert statuses.count(Unit.Status.DRAFT) == 1
    assert rolled_up == events > 0


def test_command_prints_the_logins(settings):
    settings.DEBUG = True  # the test runner turns it off
    out = StringIO()

    call_command("seed_demo", stdout=out)

    for email in PERSONAS:
        assert email in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()


def test_command_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", "--force", stdout=StringIO())

    assert Organisation.objects.filter(slug="horizon").exists()


def fingerprint(spec: SyntheticSpec) -> str:
    """Everything that was generated, named by natural keys rather than database ids."""
    digest = hashlib.sha256()
    for slug in spec.slugs:
        organisation = Organisation.objects.get(slug=slug)
        with organisation_scope(organisation.pk):
            rows = [
                *Membership.objects.values_list(
                    "user__email", "team__name", "is_admin", "is_author", "is_hr"
                ),
                *Team.objects.values_list("name", "parent__name", "manager__user__email"),
                *Assignment.objects.values_list("unit__title", "team__name", "assigned_at"),
                *Unit.objects.values_list(
                    "title",
                    "status",
                    "author__user__email",
                    "live_version__skills__name",
                    "live_version__work_processes__name",
                ),
                *Completion.objects.values_list(
                    "member__user__email", "unit__title", "completed_at"
                ),
                *TeamDailyCount.objects.values_list("member__user__email", "day", "verb", "count"),
            ]
            titles = dict(Unit.objects.values_list("id", "title"))
            rows += [
                (email, verb, titles[object_id], timestamp)
                for email, verb, object_id, timestamp in LearningEvent.objects.values_list(
                    "actor__user__email", "verb", "object_id", "timestamp"
                )
            ]
        digest.update(repr(sorted(rows, key=repr)).encode())
    return digest.hexdigest()


def test_synthetic_seed_is_deterministic():
    first = synthetic_seed(spec=SMALL, anchor=ANCHOR, log=quiet)
    before = fingerprint(SMALL)

    second = synthetic_seed(spec=SMALL, anchor=ANCHOR, replace=True, log=quiet)

    assert second.replaced == ["synth-1", "synth-2"]
    assert fingerprint(SMALL) == before
    assert (first.members, first.events) == (second.members, second.events) == (60, 5_000)


def test_synthetic_rollup_totals_equal_the_events():
    synthetic_seed(spec=SMALL, anchor=ANCHOR, log=quiet)

    for slug in SMALL.slugs:
        organisation = Organisation.objects.get(slug=slug)
        with organisation_scope(organisation.pk):
            events = LearningEvent.objects.count()
            completed = LearningEvent.objects.filter(verb=LearningEvent.Verb.COMPLETED).count()
            rolled_up = sum(TeamDailyCount.objects.values_list("count", flat=True))
            completions = Completion.objects.count()
            oldest = LearningEvent.objects.order_by("timestamp").first().timestamp
        assert rolled_up == events == 2_500
        assert completed == completions > 0
        assert oldest >= ANCHOR - dt.timedelta(days=180)


def test_synthetic_seed_with_the_same_sizes_keeps_what_exists():
    synthetic_seed(spec=SMALL, anchor=ANCHOR, log=quiet)
    counts = row_counts()

    report = synthetic_seed(spec=SMALL, log=quiet)

    assert report.skipped
    assert row_counts() == counts


def test_synthetic_seed_with_other_sizes_replaces_the_synthetic_organisations():
    synthetic_seed(spec=SMALL, anchor=ANCHOR, log=quiet)
    smaller = SyntheticSpec(members=20, events=500, organisations=1)

    report = synthetic_seed(spec=smaller, anchor=ANCHOR, log=quiet)

    assert report.replaced == ["synth-1", "synth-2"]
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["synth-1"]
    assert not User.objects.filter(email__endswith="@synth-2.test").exists()
    assert (report.members, report.events) == (20, 500)
