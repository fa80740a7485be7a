"""The shared builders: the demo and the synthetic seed make teams, members and units alike."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from demo.build import people_build, units_build
from demo.demo import demo_seed
from demo.plans import MemberPlan, TeamPlan, UnitPlan
from demo.synthetic import SyntheticSpec, synthetic_seed
from microlearning.models import Unit
from organisations.models import Membership, Organisation
from organisations.tenancy import organisation_scope

pytestmark = pytest.mark.django_db

SMALL = SyntheticSpec(members=30, events=300, organisations=1, units=10)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def quiet(message: str) -> None:
    pass


def unit_shape(unit: Unit) -> dict:
    """What a seeded unit is made of, without its content."""
    version = unit.live_version or unit.draft_version
    live = unit.live_version is not None
    return {
        "status": unit.status,
        "live": live,
        "draft": unit.draft_version is not None,
        "version": version.number,
        "in the organisation's language": version.language == unit.organisation.language,
        "by an author": unit.author.is_author and version.created_by_id == unit.author_id,
        "published with its version": version.published_at == unit.published_at,
        # The text block first; some demo units add quiz questions after it.
        "blocks": sorted({block.kind for block in version.blocks.all()} - {"question"}),
        "text first": version.blocks.order_by("position").first().kind == "text",
        "tagged": version.skills.exists() or version.work_processes.exists(),
    }


def member_shape(membership: Membership) -> dict:
    user = membership.user
    address = EmailAddress.objects.get(user=user)
    return {
        "verified primary address": (address.email, address.verified, address.primary)
        == (user.email, True, True),
        "password": user.has_usable_password(),
        "joined as a member": user.date_joined == membership.created_at,
        "language": user.language,
        "team": membership.team_id is not None,
    }


def shapes(slug: str) -> tuple[list[dict], list[dict]]:
    """The distinct unit and member shapes of one organisation."""
    organisation = Organisation.objects.get(slug=slug)
    with organisation_scope(organisation.pk):
        units = Unit.objects.select_related(
            "organisation", "author", "live_version", "draft_version"
        )
        members = Membership.objects.select_related("user")
        unit_shapes = {repr(unit_shape(u)): unit_shape(u) for u in units}
        member_shapes = {repr(member_shape(m)): member_shape(m) for m in members}
    by_status = sorted(unit_shapes.values(), key=lambda shape: shape["status"])
    return by_status, list(member_shapes.values())


def test_demo_and_synthetic_units_and_members_have_the_same_shape():
    # given both seeds, built through the same builders
    demo_seed(log=quiet)
    synthetic_seed(spec=SMALL, log=quiet)

    # then published units and drafts look alike in all three organisations
    horizon_units, horizon_members = shapes("horizon")
    northwind_units, northwind_members = shapes("northwind")
    synthetic_units, synthetic_members = shapes("synth-1")
    horizon_draft, published = horizon_units
    assert northwind_units == [published]  # Northwind has no draft
    assert synthetic_units == [horizon_draft, published]
    assert published == {
        "status": Unit.Status.PUBLISHED,
        "live": True,
        "draft": False,
        "version": 1,
        "in the organisation's language": True,
        "by an author": True,
        "published with its version": True,
        "blocks": ["text"],
        "text first": True,
        "tagged": True,
    }
    assert horizon_draft == published | {
        "status": Unit.Status.DRAFT,
        "live": False,
        "draft": True,
    }
    # and so do members: a verified account with a password, joined when they became a member
    assert horizon_members == northwind_members == synthetic_members
    assert synthetic_members == [
        {
            "verified primary address": True,
            "password": True,
            "joined as a member": True,
            "language": "",
            "team": True,
        }
    ]


def test_people_build_makes_a_team_tree_with_managers_and_accounts(organisation):
    joined = timezone.now() - dt.timedelta(days=3)
    with organisation_scope(organisation.pk):
        # given a child listed before its parent, and a manager who is one of the new members
        people = people_build(
            organisation=organisation,
            teams=[TeamPlan("Noord", parent="Zorg"), TeamPlan("Zorg", manager="a@example.test")],
            members=[MemberPlan("a@example.test", "Ann", "Aa", team="Zorg", is_admin=True)],
            joined_at=joined,
            password_hash="!",
            validate=True,
        )

        noord, zorg = people.teams["Noord"], people.teams["Zorg"]
        noord.refresh_from_db()
        zorg.refresh_from_db()
    assert noord.parent == zorg
    assert zorg.manager == people.members["a@example.test"]
    assert people.members["a@example.test"].is_admin
    assert EmailAddress.objects.get(email="a@example.test").verified


def test_people_build_refuses_a_team_whose_parent_is_not_planned(organisation):
    with organisation_scope(organisation.pk), pytest.raises(ValueError, match="Nowhere"):
        people_build(
            organisation=organisation,
            teams=[TeamPlan("Lost", parent="Nowhere")],
            members=[],
            joined_at=timezone.now(),
            password_hash="!",
        )


def test_units_build_refuses_a_tag_the_organisation_does_not_have(organisation):
    plan = UnitPlan(
        "Tillen", "Zo til je.", published=True, written_at=timezone.now(), skills=("X",)
    )

    with organisation_scope(organisation.pk), pytest.raises(ValueError, match="X"):
        units_build(organisation=organisation, plans=[plan], author=None)
