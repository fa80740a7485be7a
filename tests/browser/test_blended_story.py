"""Issue 7's whole story in one browser run, on one trajectory.

L&D builds a seven-step blended trajectory, plans a session for its intervision step
and enrols a team; the learner completes the unit step and hands in evidence with a
file on the assignment step; the manager asks for a change, then approves; the
facilitator marks the learner attended; a goal with a plan and two check-ins ends
achieved and is shared with the team, where a teammate gives kudos.

Only the people, the team, a skill and one published unit are made up front; every
other row comes from a user's click.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from courses.models import EvidenceSubmission, Session, StepProgress, Trajectory
from goals.models import Goal, Kudos
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    SkillFactory,
    TeamFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

TRAJECTORY = "Starting at the service desk"
ASSIGNMENT = "Handle a real complaint at the desk"
INTERVISION = "Intervision with the team"
GOAL = "Handle complaints on my own"
STEPS = [
    ("unit", "Handling a complaint", {"Unit": "Handling a complaint"}),
    (
        "external",
        "Customer service basics (online)",
        {"Link to the module": "https://learn.example.org/basics"},
    ),
    (
        "assignment",
        ASSIGNMENT,
        {
            "Asks for a written account": True,
            "Asks for files": True,
            "Signed off by": "The learner's manager",
        },
    ),
    ("shadowing", "Shadow a senior colleague", {}),
    ("buddy", "Talk it through with your buddy", {}),
    ("reflection", "What did you learn?", {}),
    ("session", INTERVISION, {"Kind of session": "Intervision"}),
]


def choose(option):
    # The 1-5 scales are visually hidden radios styled as buttons; a dispatched click
    # is what a keyboard or pointer user's activation amounts to.
    option.dispatch_event("click")
    expect(option).to_be_checked()


def fill_step(page, fields: dict) -> None:
    for label, value in fields.items():
        field = page.get_by_label(label)
        if value is True:
            field.check()
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)


def test_blended_trajectory_from_building_to_a_shared_goal(
    browser, live_server, login, shoot, tmp_path
):
    organisation = OrganisationFactory(
        slug="acme", name="Acme", language="en", time_zone="Europe/Amsterdam"
    )
    manager = MembershipFactory(
        organisation=organisation,
        user__email="manager@acme.test",
        user__first_name="Maud",
        user__last_name="Manager",
    )
    team = TeamFactory(organisation=organisation, name="Service desk", manager=manager)
    MembershipFactory(organisation=organisation, user__email="author@acme.test", is_author=True)
    facilitator = MembershipFactory(
        organisation=organisation,
        user__email="fenna@acme.test",
        user__first_name="Fenna",
        user__last_name="Facilitator",
    )
    learner = MembershipFactory(
        organisation=organisation,
        team=team,
        user__email="learner@acme.test",
        user__first_name="Robin",
        user__last_name="Vos",
    )
    teammate = MembershipFactory(
        organisation=organisation,
        team=team,
        user__email="teammate@acme.test",
        user__first_name="Sam",
        user__last_name="Jansen",
    )
    SkillFactory(organisation=organisation, name="Complaint handling")
    UnitFactory(organisation=organisation, title="Handling a complaint")
    site = live_server.url
    slug = {"org_slug": "acme"}
    evidence_file = tmp_path / "complaint-notes.pdf"
    evidence_file.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")

    # L&D builds the seven steps, publishes, plans the intervision and enrols the team.
    author = browser.new_page()
    login(author, "author@acme.test", PASSWORD)
    author.get_by_role("link", name="Authoring").click()
    author.get_by_role("navigation", name="Authoring").get_by_role(
        "link", name="Trajectories"
    ).click()
    author.get_by_role("link", name="New trajectory").click()
    author.get_by_label("Title").fill(TRAJECTORY)
    author.get_by_label("Audience").fill("New service desk staff")
    author.get_by_role("button", name="Save draft").click()
    for number, (kind, title, fields) in enumerate(STEPS, start=1):
        author.get_by_label("Kind of step").select_option(kind)
        author.get_by_role("button", name="Add a step").click()
        author.get_by_label("Title").fill(title)
        author.get_by_label("Due after (work days)").fill(str(2 * number))
        fill_step(author, fields)
        author.get_by_label("Instructions").fill(f"**{title}**: do it at work this week.")
        author.get_by_role("button", name="Add step").click()
        expect(author.locator("body")).to_contain_text("Step added")
    expect(author.locator(".editor-block")).to_have_count(7)
    shoot(author, "story-trajectory-editor")
    author.get_by_role("button", name="Publish").click()
    expect(author.locator("body")).to_contain_text("Published")
    with scopes_disabled():
        trajectory = Trajectory.objects.get(title=TRAJECTORY)

    day = timezone.localdate() + dt.timedelta(days=10)
    author.goto(
        site + reverse("course_sessions:schedule", kwargs={**slug, "trajectory_id": trajectory.pk})
    )
    expect(author.get_by_role("heading", name=INTERVISION)).to_be_visible()
    author.get_by_role("link", name="Plan a session").click()
    author.get_by_label("Date").fill(day.isoformat())
    author.get_by_label("From").fill("09:30")
    author.get_by_label("Until").fill("11:30")
    author.get_by_label("Place:", exact=True).fill("Room 2.14, head office")
    author.get_by_label("Places:", exact=True).fill("8")
    author.get_by_label("Facilitator").select_option(str(facilitator.pk))
    author.get_by_role("button", name="Plan session").click()
    expect(author.locator("body")).to_contain_text("Session planned.")

    author.goto(site + reverse("courses:enrolment_create", kwargs=slug))
    author.get_by_label("Trajectory").select_option(label=TRAJECTORY)
    author.get_by_label("Or a whole team").select_option(label="Service desk")
    author.get_by_role("button", name="Enrol").click()
    expect(author.locator("body")).to_contain_text("Enrolled: 2")
    enrolments_url = site + reverse("courses:enrolment_list", kwargs=slug)
    robin_row = author.get_by_role("row", name="Robin Vos")

    def steps_done(expected: str) -> None:
        author.goto(enrolments_url)
        expect(robin_row.locator("td.num")).to_have_text(expected)

    steps_done("0/7")
    shoot(author, "story-enrolments")

    # The learner completes the unit step from My learning.
    page = browser.new_page()
    login(page, "learner@acme.test", PASSWORD)
    expect(page.get_by_role("heading", name="Due first in your trajectories")).to_be_visible()
    page.get_by_role("link", name="All my trajectories").click()
    page.get_by_role("link", name=TRAJECTORY).click()
    expect(page.locator("body")).to_contain_text("0% done")
    page.get_by_role("link", name="Handling a complaint").click()
    page.get_by_role("link", name="Open “Handling a complaint”").click()
    page.get_by_role("button", name="Mark as complete").click()
    page.goto(site + reverse("courses:my_learning", kwargs=slug))
    expect(page.locator("body")).to_contain_text("1 of 7 steps done")
    steps_done("1/7")

    # ... and hands in evidence with a file on the assignment step.
    page.get_by_role("link", name=TRAJECTORY).first.click()
    page.get_by_role("link", name=ASSIGNMENT).click()
    assignment_url = page.url
    page.get_by_label("What did you do, and what did you learn?").fill(
        "I handled a complaint about a late delivery."
    )
    page.locator("input[name=files]").set_input_files(str(evidence_file))
    page.get_by_role("button", name="Hand in").click()
    expect(page.locator("body")).to_contain_text("it now waits for sign-off")
    expect(page.get_by_role("link", name="complaint-notes.pdf")).to_be_visible()
    shoot(page, "story-evidence-handed-in")

    # The manager asks for a change from the sign-off queue.
    boss = browser.new_page()
    login(boss, "manager@acme.test", PASSWORD)
    boss.get_by_role("link", name="Sign-off", exact=True).click()
    expect(boss.get_by_role("heading", name="Sign-off queue")).to_be_visible()
    item = boss.locator(".queue li").filter(has_text=ASSIGNMENT)
    expect(item).to_contain_text("Robin Vos")
    item.get_by_label("Feedback").fill("Good: add what you would do differently next time.")
    item.get_by_role("button", name="Ask for changes").click()
    expect(boss.locator("body")).to_contain_text("Changes asked")

    # The learner reads the feedback and hands in again.
    page.goto(assignment_url)
    expect(page.locator("body")).to_contain_text("add what you would do differently")
    page.get_by_label("What did you do, and what did you learn?").fill(
        "Next time I would call the customer back the same day."
    )
    page.locator("input[name=files]").set_input_files(str(evidence_file))
    page.get_by_role("button", name="Hand in").click()
    expect(page.locator("body")).to_contain_text("Round 2")

    # The manager approves round 2.
    boss.goto(site + reverse("courses_evidence:queue", kwargs=slug))
    item = boss.locator(".queue li").filter(has_text=ASSIGNMENT)
    expect(item).to_contain_text("round 2")
    item.get_by_role("link", name=ASSIGNMENT).click()
    expect(boss.locator("body")).to_contain_text("Round 1")
    boss.get_by_role("button", name="Approve").click()
    expect(boss.locator("body")).to_contain_text("Approved by")
    page.goto(assignment_url)
    expect(page.locator("body")).to_contain_text("Approved by Maud Manager")
    steps_done("2/7")
    with scopes_disabled():
        assert EvidenceSubmission.objects.count() == 2

    # The learner books the intervision session from the step.
    page.get_by_role("link", name=TRAJECTORY).first.click()
    page.get_by_role("link", name=INTERVISION).click()
    intervision_url = page.url
    with scopes_disabled():
        session = Session.objects.get()
    page.goto(
        site + reverse("course_sessions:session_detail", kwargs={**slug, "session_id": session.pk})
    )
    page.get_by_role("button", name="Book a place").click()
    expect(page.locator("body")).to_contain_text("Booked. Add the invitation to your calendar.")

    # The day comes: the session has started, and the facilitator marks attendance.
    start = timezone.now() - dt.timedelta(minutes=30)
    with scopes_disabled():
        Session.objects.filter(pk=session.pk).update(
            starts_at=start, ends_at=start + dt.timedelta(hours=2)
        )
    runner = browser.new_page()
    login(runner, "fenna@acme.test", PASSWORD)
    runner.goto(site + reverse("course_sessions:my_sessions", kwargs=slug))
    runner.get_by_role("link", name=INTERVISION).first.click()
    runner.get_by_role("group", name="Robin Vos").get_by_label("Attended").check()
    shoot(runner, "story-attendance")
    runner.get_by_role("button", name="Save attendance").click()
    expect(runner.locator("body")).to_contain_text("Attendance saved.")
    runner.close()

    page.goto(
        site + reverse("course_sessions:session_detail", kwargs={**slug, "session_id": session.pk})
    )
    expect(page.get_by_text(f"Your step “{INTERVISION}”:")).to_be_visible()
    expect(page.locator("#your-place + p .badge")).to_have_text("Done")
    page.goto(intervision_url)
    shoot(page, "story-intervision-step-done")
    steps_done("3/7")
    page.goto(site + reverse("courses:my_learning", kwargs=slug))
    expect(page.locator("body")).to_contain_text("3 of 7 steps done")
    with scopes_disabled():
        done = StepProgress.objects.filter(
            enrolment__membership=learner, status=StepProgress.Status.DONE
        )
        assert done.count() == 3

    # The goal: drafted with a plan, proposed, agreed by the manager.
    page.get_by_role("link", name="My goals").first.click()
    page.get_by_role("link", name="New goal").click()
    page.get_by_label("Goal", exact=True).fill(GOAL)
    page.get_by_label("Why it matters").fill("Customers should not wait for a senior.")
    page.get_by_label("Skill").select_option(label="Complaint handling")
    page.get_by_label("Where I am now").select_option("2")
    page.get_by_label("Where I want to be").select_option("4")
    page.get_by_label("Target date").fill(
        (timezone.localdate() + dt.timedelta(days=45)).isoformat()
    )
    page.get_by_label("Hours per week").fill("2")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(GOAL)
    with scopes_disabled():
        goal = Goal.objects.get()
    goal_url = site + reverse("goals:goal_detail", kwargs={**slug, "goal_id": goal.pk})
    plan = page.locator("#plan")
    plan.get_by_label("Kind of learning").select_option("experience")
    plan.get_by_label("Activity").fill("Take the complaints desk one morning a week")
    plan.get_by_role("button", name="Add to plan").click()
    plan.get_by_label("Kind of learning").select_option("formal")
    plan.get_by_label("Or link a unit").select_option(label="Handling a complaint")
    plan.get_by_role("button", name="Add to plan").click()
    expect(plan).to_contain_text("Take the complaints desk one morning a week")
    expect(plan).to_contain_text("Handling a complaint")
    page.get_by_role("button", name="Propose to my manager").click()
    expect(page.locator(".badge.proposed").first).to_be_visible()

    boss.get_by_role("link", name="My team").click()
    boss.get_by_role("navigation", name="My team").get_by_role("link", name="Team goals").click()
    expect(boss.get_by_role("heading", name="1 goal to agree")).to_be_visible()
    boss.get_by_role("button", name=f"Agree “{GOAL}”").click()
    expect(boss.get_by_role("heading", name="0 goals to agree")).to_be_visible()

    # Two check-ins, then closed as achieved and shared with the team.
    for progress, note in (("2", "Took the desk once; asked for help twice."), ("4", "Alone now.")):
        page.goto(goal_url)
        form = page.locator("#check-ins form")
        choose(form.get_by_label(progress, exact=True))
        form.get_by_label("What happened").fill(note)
        form.get_by_role("button", name="Save check-in").click()
        expect(page.locator("#check-ins")).to_contain_text(note)
    close = page.locator("#close form")
    choose(close.get_by_label("Achieved", exact=True))
    close.get_by_label("Your proficiency now (1-5)").select_option("4")
    close.get_by_role("button", name="Close goal").click()
    expect(page.get_by_text("Achieved").first).to_be_visible()
    page.get_by_label("A word for your team (optional)").fill("Thanks for covering for me!")
    page.get_by_role("button", name="Share with my team").click()
    expect(page.locator("#share")).to_contain_text("Shared with the team")
    shoot(page, "story-goal-achieved")
    with scopes_disabled():
        goal.refresh_from_db()
        assert (goal.status, goal.outcome) == (Goal.Status.CLOSED, Goal.Outcome.ACHIEVED)
        assert goal.check_ins.count() == 2

    # A teammate sees it on their home and gives kudos.
    mate = browser.new_page()
    login(mate, teammate.user.email, PASSWORD)
    shared = mate.locator("section", has=mate.get_by_role("heading", name="Shared by your team"))
    expect(shared).to_contain_text(GOAL)
    shared.get_by_role("button", name="Give Robin kudos").click()
    expect(shared).to_contain_text("You gave kudos")
    shoot(mate, "story-teammate-kudos")
    with scopes_disabled():
        assert Kudos.objects.count() == 1
