"""The demo's trajectories: one per organisation with a step of every kind, and learners
at every stage (not started, in progress, overdue, completed) with a buddy.

Built through the courses services with moments in the past (``at=``), so the
history reads as weeks of work; found again by title, so a second run creates
nothing. Dutch for Horizon, English for Northwind.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from courses.models import Step, StepProgress, Trajectory
from courses.services import authoring, enrolments
from courses.services.progress import step_progress_done
from organisations.models import Membership, Organisation

from .evidence import evidence_seed
from .sessions import sessions_seed


@dataclass(frozen=True)
class StepText:
    kind: str
    title: str
    instructions: str
    due_offset_days: int | None
    session_kind: str = ""
    url: str = ""
    evidence_text: bool = False
    sign_off: str = Step.SignOff.NOBODY
    waits_for_previous: bool = False


@dataclass(frozen=True)
class TrajectoryText:
    title: str
    description: str
    audience: str
    unit_title: str
    steps: tuple[StepText, ...]
    # Learners by e-mail: the employee persona first, then teammates at other stages.
    in_progress: str
    not_started: str
    overdue: str
    completed: str
    buddy: str


HORIZON = TrajectoryText(
    title="Inwerken in de wijkverpleging",
    description=(
        "Je eerste zes weken in de wijk: veilig werken, meelopen met een ervaren collega, "
        "een eigen zorgmoment voorbereiden en terugkijken met je team."
    ),
    audience="Nieuwe verzorgenden en verpleegkundigen in de wijkteams",
    unit_title="Veilig tillen en verplaatsen",
    steps=(
        StepText(
            Step.Kind.UNIT,
            "Veilig tillen en verplaatsen",
            "Doe de leereenheid voordat je je eerste transfer bij een cliënt doet.",
            2,
        ),
        StepText(
            Step.Kind.EXTERNAL,
            "E-learning infectiepreventie",
            "Volg de landelijke e-learning over handhygiëne en persoonlijke "
            "beschermingsmiddelen. Het duurt ongeveer 45 minuten.",
            5,
            url="https://www.infectiepreventie.example.org/e-learning",
        ),
        StepText(
            Step.Kind.SHADOWING,
            "Meelopen met een ervaren collega",
            "Loop een ochtendronde mee. Let op hoe je collega het gesprek met de cliënt "
            "begint en hoe ze de overdracht in het dossier zet.",
            8,
            evidence_text=True,
            sign_off=Step.SignOff.MANAGER,
        ),
        StepText(
            Step.Kind.ASSIGNMENT,
            "Zelf een ochtendzorgmoment voorbereiden",
            "Bereid met het zorgplan een ochtendzorgmoment voor bij een vaste cliënt en "
            "bespreek vooraf met je buddy wat je gaat doen.",
            15,
            evidence_text=True,
            sign_off=Step.SignOff.BUDDY,
            waits_for_previous=True,
        ),
        StepText(
            Step.Kind.BUDDY,
            "Gesprek met je buddy",
            "Bespreek wat goed ging en wat je lastig vond. Spreek één ding af dat je de "
            "komende week anders doet.",
            18,
        ),
        StepText(
            Step.Kind.REFLECTION,
            "Terugkijken op je eerste weken",
            "Wat heb je geleerd over je cliënten, je team en jezelf? Wat wil je nog leren?",
            22,
        ),
        StepText(
            Step.Kind.SESSION,
            "Intervisie met nieuwe collega's",
            "Breng één situatie in die je bezighield. We bespreken haar volgens de "
            "incidentmethode.",
            28,
            session_kind=Step.SessionKind.INTERVISION,
        ),
    ),
    in_progress="medewerker@horizon.demo",
    not_started="fatima.elamrani@horizon.demo",
    overdue="daan.smit@horizon.demo",
    completed="emma.mulder@horizon.demo",
    buddy="youssef.bouzid@horizon.demo",
)

NORTHWIND = TrajectoryText(
    title="Starting on the warehouse floor",
    description=(
        "Your first month in the warehouse: lifting and moving safely, the reach truck "
        "course, picking with an experienced colleague, and a team retrospective."
    ),
    audience="New warehouse operatives",
    unit_title="Lifting safely in the warehouse",
    steps=(
        StepText(
            Step.Kind.UNIT,
            "Lifting safely in the warehouse",
            "Do this unit before your first shift on the floor.",
            1,
        ),
        StepText(
            Step.Kind.EXTERNAL,
            "Reach truck theory (online)",
            "Complete the online theory module before the practical reach truck course.",
            5,
            url="https://training.example.org/reach-truck-theory",
        ),
        StepText(
            Step.Kind.SHADOWING,
            "Shadow a pick-and-pack shift",
            "Work alongside an experienced picker for one shift. Note how they plan the "
            "route and check the order before it is packed.",
            8,
            evidence_text=True,
            sign_off=Step.SignOff.MANAGER,
        ),
        StepText(
            Step.Kind.ASSIGNMENT,
            "Run the goods-in check on your own",
            "Receive one delivery from start to finish: check the paperwork, count the "
            "pallets, report any damage and book it in.",
            14,
            evidence_text=True,
            sign_off=Step.SignOff.BUDDY,
            waits_for_previous=True,
        ),
        StepText(
            Step.Kind.BUDDY,
            "Talk it through with your buddy",
            "Go over the goods-in check: what went well, what you would do differently.",
            16,
        ),
        StepText(
            Step.Kind.REFLECTION,
            "Looking back on your first weeks",
            "What surprised you? What would help the next new colleague?",
            20,
        ),
        StepText(
            Step.Kind.SESSION,
            "Team retrospective",
            "Bring one thing that slowed you down and one thing that helped.",
            25,
            session_kind=Step.SessionKind.RETROSPECTIVE,
        ),
    ),
    in_progress="employee@northwind.demo",
    not_started="liam.walker@northwind.demo",
    overdue="aisha.khan@northwind.demo",
    completed="tom.hughes@northwind.demo",
    buddy="olivia.bennett@northwind.demo",
)

TRAJECTORIES = {"horizon": HORIZON, "northwind": NORTHWIND}


def courses_seed(
    *,
    organisation: Organisation,
    author: Membership,
    members: dict[str, Membership],
    units: dict,
    now: dt.datetime,
    created: Counter,
) -> None:
    """The organisation's demo trajectory and its enrolments; nothing when it exists."""
    text = TRAJECTORIES.get(organisation.slug)
    if (
        text is None
        or Trajectory.objects.filter(organisation=organisation, title=text.title).exists()
    ):
        return
    trajectory = authoring.trajectory_create(
        by=author, title=text.title, description=text.description, audience=text.audience
    )
    previous = None
    for step in text.steps:
        previous = authoring.step_add(
            trajectory=trajectory,
            by=author,
            kind=step.kind,
            title=step.title,
            instructions=step.instructions,
            due_offset_days=step.due_offset_days,
            unit=units.get(text.unit_title) if step.kind == Step.Kind.UNIT else None,
            url=step.url,
            session_kind=step.session_kind,
            evidence_text=step.evidence_text,
            sign_off=step.sign_off,
            requires=[previous] if step.waits_for_previous and previous else [],
        )
    authoring.trajectory_publish(trajectory=trajectory, by=author)
    created["courses.Trajectory"] += 1
    buddy = members[text.buddy]
    stages = (
        (text.in_progress, 12, 2),  # enrolled 12 days ago, two steps done
        (text.not_started, 0, 0),
        (text.overdue, 45, 1),
        (text.completed, 35, len(text.steps)),
    )
    for email, days_ago, done in stages:
        learner = members[email]
        at = now - dt.timedelta(days=days_ago)
        batch = enrolments.enrolments_create(
            trajectory=trajectory, by=author, memberships=[learner], buddy=buddy, at=at
        )
        created["courses.Enrolment"] += len(batch.created)
        rows = StepProgress.objects.filter(enrolment_id__in=batch.created).order_by(
            "step__position"
        )
        for index, progress in enumerate(list(rows)[:done]):
            step_progress_done(
                progress=progress, by=learner, at=at + dt.timedelta(days=2 + 2 * index, hours=3)
            )
    enrolments.enrolments_mark_overdue(organisation=organisation, now=now)
    created["courses.StepProgress"] += StepProgress.objects.filter(
        enrolment__trajectory=trajectory
    ).count()
    # Evidence at every stage of sign-off and sessions past and to come, on these enrolments.
    created.update(
        evidence_seed(
            organisation=organisation,
            progress=StepProgress.objects.filter(enrolment__trajectory=trajectory),
        )
    )
    created["courses.Session"] += len(
        sessions_seed(trajectory=trajectory, facilitator=buddy, now=now)
    )
