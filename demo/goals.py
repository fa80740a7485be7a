"""Learning goals for the demo organisations: every state, with plans, check-ins,
a conversation and a shared achievement with kudos, so every persona finds some.

Written through goals' services, so the rows, events and proficiency ratings are the
ones real use makes. Deterministic (fixed people, skills and texts) and written once:
an organisation that has goals already is left alone on a rerun.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from goals import services
from goals.models import Goal, GoalTemplate
from microlearning.models import Unit
from organisations.models import Membership, Organisation, Skill, Team
from organisations.selectors import team_ancestors, team_parents

TEXT = {
    "nl": {
        "template": (
            "Overdracht die klopt",
            "Een overdracht waar de volgende dienst op kan bouwen.",
        ),
        "template_plan": (
            "experience: Doe vier weken lang de overdracht aan het eind van je dienst\n"
            "social: Loop een dienst mee met een ervaren collega en vraag om feedback\n"
            "formal: Rond de leereenheid over overdragen af"
        ),
        "agreed": (
            "Zelfstandig de overdracht doen",
            "Collega's moeten op mijn overdracht kunnen bouwen.",
        ),
        "lead": "Leid vier weken de overdracht van de avonddienst",
        "shadow": "Loop een dienst mee met Fatima en bespreek wat je zag",
        "check_in": "Twee keer de overdracht gedaan; de tweede keer zonder spiekbriefje.",
        "feedback": "Mooi. Let nog op het benoemen van de risico's per cliënt.",
        "draft": ("Rustig blijven in lastige gesprekken", "Ik wil familie beter kunnen opvangen."),
        "changes": "Goed plan! Maak het kleiner: kies eerst één soort gesprek, met een datum.",
        "achieved": (
            "Veilig werken met de tillift",
            "Na de nieuwe tillift wilde ik zeker zijn van elke transfer.",
        ),
        "share": "Dank aan iedereen die me liet oefenen!",
        "proposed": (
            "Feedback geven na elke dienst",
            "Zodat we elkaar echt helpen beter te worden.",
        ),
        "proposal": "Kunnen we hier een uur per week voor vrijmaken?",
        "partly": ("Medicatie dubbel controleren", ""),
        "dropped": ("Roosterplanning leren", "Past niet meer bij mijn rol."),
    },
    "en": {
        "template": (
            "Lift without strain",
            "Every lift and carry done the safe way, also when it is busy.",
        ),
        "template_plan": (
            "experience: Plan the heaviest picks of the week with the right aids\n"
            "social: Ask a colleague to watch you lift and give feedback\n"
            "formal: Complete the manual handling unit"
        ),
        "agreed": ("Handle heavy loads safely on every shift", "My back and my team depend on it."),
        "lead": "Lead the Monday safety huddle for four weeks",
        "shadow": "Shadow Olivia on a busy shift and discuss what you saw",
        "check_in": "Led two huddles; the second one went much better.",
        "feedback": "Good progress. Next time ask the team for one near miss each.",
        "draft": ("Give feedback that lands", "I want to help new colleagues faster."),
        "changes": "Nice idea. Make it concrete: who, how often, and by when?",
        "achieved": (
            "Report every near miss the same day",
            "We had three near misses nobody reported.",
        ),
        "share": "Thanks for reminding me every time!",
        "proposed": ("Drive defensively in the city", "Fewer scratches, calmer deliveries."),
        "proposal": "Could we plan one ride-along a month for this?",
        "partly": ("Learn the new scanner workflow", ""),
        "dropped": ("Forklift licence", "Not needed in my new role."),
    },
}


def _manager_of(membership: Membership, parents: dict, managers: dict) -> Membership | None:
    for team_id in team_ancestors(parents, membership.team_id):
        manager = managers.get(team_id)
        if manager is not None and manager.pk != membership.pk:
            return manager
    return None


def goals_seed(
    *,
    organisation: Organisation,
    members: dict[str, Membership],
    author: Membership,
    employee_email: str,
    created: Counter[str],
) -> None:
    """Goals in every state for the employee persona and their teammates."""
    if Goal.objects.filter(organisation=organisation).exists():
        return
    text = TEXT.get(organisation.language, TEXT["en"])
    skills = list(Skill.objects.filter(organisation=organisation).order_by("pk"))
    if len(skills) < 3:
        return
    units = list(
        Unit.objects.filter(organisation=organisation, status=Unit.Status.PUBLISHED).order_by(
            "title"
        )[:2]
    )
    parents = team_parents(organisation=organisation)
    managers = {
        team.pk: team.manager
        for team in Team.objects.filter(organisation=organisation).select_related("manager")
    }
    employee = members[employee_email]
    manager = _manager_of(employee, parents, managers)
    if manager is None:
        return
    teammates = [
        members[email]
        for email in sorted(members)
        if members[email].team_id == employee.team_id and email != employee_email
    ]
    today = timezone.localdate(timezone=organisation.zone)

    def goal(membership, key, skill, current, target, days, hours=1, template=None):
        title, why = text[key]
        made = services.goal_create(
            membership=membership,
            title=title,
            why=why,
            skill=skill,
            current_level=current,
            target_level=target,
            target_date=today + dt.timedelta(days=days),
            hours_per_week=hours,
            template=template,
        )
        created[Goal._meta.label] += 1
        return made

    template_title, template_why = text["template"]
    template = services.goal_template_create(
        by=author,
        skill=skills[1],
        title=template_title,
        why=template_why,
        target_level=4,
        hours_per_week=1,
        suggested_plan=text["template_plan"],
    )
    created[GoalTemplate._meta.label] += 1

    # The employee: an agreed goal under way, a draft sent back, an achieved one shared.
    agreed = goal(employee, "agreed", skills[1], 2, 4, 70, hours=2, template=template)
    for activity in list(agreed.activities.all()):
        if activity.category == "formal":
            activity.delete()
    services.activity_add(
        goal=agreed, membership=employee, category="experience", title=text["lead"]
    )
    if units:
        services.activity_add(goal=agreed, membership=employee, category="formal", unit=units[0])
    services.goal_propose(goal=agreed, membership=employee)
    services.goal_agree(goal=agreed, membership=manager, hours_per_week=2)
    first = agreed.activities.order_by("position").first()
    services.activity_set_status(activity=first, membership=employee, status="done")
    check_in = services.check_in_create(
        goal=agreed, membership=employee, progress=3, note=text["check_in"], level=3
    )
    services.check_in_answer(
        check_in=check_in, membership=manager, rating=4, feedback=text["feedback"], level=3
    )
    second = agreed.activities.filter(category="social").first()
    if second is not None:
        services.activity_set_status(activity=second, membership=employee, status="doing")

    draft = goal(employee, "draft", skills[2], 2, 3, 90)
    services.activity_add(goal=draft, membership=employee, category="social", title=text["shadow"])
    services.goal_propose(goal=draft, membership=employee)
    services.goal_ask_changes(goal=draft, membership=manager, comment=text["changes"])

    achieved = goal(employee, "achieved", skills[0], 2, 3, 14)
    done = services.activity_add(
        goal=achieved, membership=employee, category="experience", title=text["lead"]
    )
    services.goal_propose(goal=achieved, membership=employee)
    services.goal_agree(goal=achieved, membership=manager)
    services.activity_set_status(activity=done, membership=employee, status="done")
    services.goal_close(goal=achieved, membership=employee, outcome="achieved", self_rating=3)
    services.goal_rate_final(goal=achieved, membership=manager, rating=3)
    recognition = services.goal_share(goal=achieved, membership=employee, message=text["share"])
    for teammate in teammates[:2]:
        services.kudos_give(recognition=recognition, membership=teammate)

    # Teammates: a proposal waiting for the manager, one partly achieved, one dropped.
    if teammates:
        proposed = goal(teammates[0], "proposed", skills[-1], 1, 3, 60)
        services.activity_add(
            goal=proposed, membership=teammates[0], category="social", title=text["shadow"]
        )
        services.goal_propose(goal=proposed, membership=teammates[0], comment=text["proposal"])
    if len(teammates) > 1:
        partly = goal(teammates[1], "partly", skills[0], 2, 4, 30)
        services.goal_propose(goal=partly, membership=teammates[1])
        services.goal_agree(goal=partly, membership=manager)
        services.goal_close(goal=partly, membership=teammates[1], outcome="partly", self_rating=3)
    if len(teammates) > 2:
        dropped = goal(teammates[2], "dropped", skills[2], 1, 2, 45)
        services.goal_close(goal=dropped, membership=teammates[2], outcome="dropped")
