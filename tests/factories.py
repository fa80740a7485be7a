"""Test data. Rows are made directly, as platform staff would; see conftest.py."""

import factory
from django.utils import timezone

from events.models import LearningEvent
from microlearning.models import Assignment, Block, Completion, Unit, UnitVersion
from nudges.models import Nudge, NudgeRule
from nudges.rules import FINISH_UNIT_DEFAULT
from organisations.models import (
    Invitation,
    Membership,
    Organisation,
    Skill,
    Team,
    User,
    WorkProcess,
)

PASSWORD = "werkwijs-test-pass"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    language = "en"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):  # noqa: N805
        """allauth requires a verified address to sign in; test users have one."""
        if create:
            obj.save()
            from allauth.account.models import EmailAddress

            EmailAddress.objects.update_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")


class WorkProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkProcess

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Work process {n}")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit with one version holding one text block (``body``): live if published."""

    class Meta:
        model = Unit
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Unit {n}")
    status = Unit.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def body(obj, create, extracted, **kwargs):  # noqa: N805
        if not create:
            return
        published = obj.status != Unit.Status.DRAFT
        version = UnitVersion.objects.create(
            organisation=obj.organisation,
            unit=obj,
            number=1,
            title=obj.title,
            language=obj.organisation.language,
            published_at=obj.published_at if published else None,
        )
        Block.objects.create(
            organisation=obj.organisation,
            version=version,
            position=1,
            kind=Block.Kind.TEXT,
            data={"markdown": "Short text for a unit." if extracted is None else extracted},
        )
        if published:
            obj.live_version = version
        else:
            obj.draft_version = version
        obj.save(update_fields=["live_version", "draft_version"])


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    organisation = factory.SelfAttribute("unit.organisation")
    unit = factory.SubFactory(UnitFactory)


class CompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Completion

    organisation = factory.SelfAttribute("unit.organisation")
    unit = factory.SubFactory(UnitFactory)
    version = factory.LazyAttribute(lambda completion: completion.unit.live_version)


class LearningEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningEvent

    organisation = factory.SelfAttribute("actor.organisation")
    verb = LearningEvent.Verb.COMPLETED
    object_type = "unit"
    object_id = 1


class NudgeRuleFactory(factory.django.DjangoModelFactory):
    """An active finish-a-unit rule with Werkwijs's own words, nobody held out."""

    class Meta:
        model = NudgeRule

    organisation = factory.SubFactory(OrganisationFactory)
    kind = NudgeRule.Kind.FINISH_UNIT
    delay_days = 3
    holdout_percent = 0
    subject_nl = FINISH_UNIT_DEFAULT["subject_nl"]
    subject_en = FINISH_UNIT_DEFAULT["subject_en"]
    text_nl = FINISH_UNIT_DEFAULT["text_nl"]
    text_en = FINISH_UNIT_DEFAULT["text_en"]


class NudgeFactory(factory.django.DjangoModelFactory):
    """A delivered in-app "finish it" nudge unless told otherwise."""

    class Meta:
        model = Nudge

    member = factory.SubFactory(MembershipFactory)
    organisation = factory.SelfAttribute("member.organisation")
    rule = factory.SubFactory(
        NudgeRuleFactory, organisation=factory.SelfAttribute("..organisation")
    )
    unit = factory.SubFactory(UnitFactory, organisation=factory.SelfAttribute("..organisation"))
    kind = Nudge.Kind.FINISH
    channel = Nudge.Channel.IN_APP
    key = factory.LazyAttribute(lambda o: f"finish:unit:{o.unit.pk}")
    status = Nudge.Status.SENT
    sent_at = factory.LazyFunction(timezone.now)


def catalogue_unit(
    organisation,
    *,
    title: str,
    summary: str = "",
    language: str = "nl",
    minutes: int = 5,
    category: str = "formal",
    skills=(),
    work_processes=(),
    blocks=(("text", {"markdown": "Korte tekst."}),),
    status: str = Unit.Status.PUBLISHED,
) -> Unit:
    """A unit with one version as the catalogue shows it, search vector included.

    Needs a scope (``organisation_scope``) or the RLS setup bypass, like the other factories.
    """
    from microlearning.models import UnitVersionSkill, UnitVersionWorkProcess
    from microlearning.services.search import search_index_refresh

    published = status != Unit.Status.DRAFT
    now = timezone.now()
    unit = Unit.objects.create(
        organisation=organisation,
        title=title,
        status=status,
        published_at=now if published else None,
    )
    version = UnitVersion.objects.create(
        organisation=organisation,
        unit=unit,
        number=1,
        title=title,
        summary=summary,
        language=language,
        estimated_minutes=minutes,
        category=category,
        published_at=now if published else None,
    )
    for position, (kind, data) in enumerate(blocks, start=1):
        Block.objects.create(
            organisation=organisation, version=version, position=position, kind=kind, data=data
        )
    for skill in skills:
        UnitVersionSkill.objects.create(organisation=organisation, version=version, skill=skill)
    for process in work_processes:
        UnitVersionWorkProcess.objects.create(
            organisation=organisation, version=version, work_process=process
        )
    if published:
        unit.live_version = version
        search_index_refresh(version_ids=[version.pk])
    else:
        unit.draft_version = version
    unit.save(update_fields=["live_version", "draft_version"])
    return unit


def memberships_on_both_sides_of_the_holdout(rule, count: int = 8, **fields) -> list:
    """At least ``count`` members, and more until the rule's holdout keeps some out and not all.

    Who is held out is a hash of the member's id, and ids differ from run to run: eight
    members all on one side happen once in 128 runs at 50 %.
    """
    from nudges.rules import held_out

    def side(member) -> bool:
        return held_out(rule_id=rule.pk, member_id=member.pk, percent=rule.holdout_percent)

    members = [MembershipFactory(**fields) for _ in range(count)]
    while len({side(member) for member in members}) < 2:
        members.append(MembershipFactory(**fields))
    return members
