"""The catalogue, the work process page and "For you", as a learner sees them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from events.models import LearningEvent
from microlearning.models import BlockProgress, Unit
from microlearning.selectors.catalogue import CatalogueFilters, catalogue_units, units_for_you
from organisations.tenancy import organisation_scope
from tests.factories import (
    AssignmentFactory,
    CompletionFactory,
    LearningEventFactory,
    MembershipFactory,
    OrganisationFactory,
    SkillFactory,
    TeamFactory,
    WorkProcessFactory,
    catalogue_unit,
)

pytestmark = pytest.mark.django_db


def _url(organisation, name, *args):
    return reverse(f"microlearning:{name}", args=[organisation.slug, *args])


def _titles(membership, **filters) -> list[str]:
    with organisation_scope(membership.organisation_id):
        return [
            u.title
            for u in catalogue_units(membership=membership, filters=CatalogueFilters(**filters))
        ]


# --- Filters and sorting -------------------------------------------------------------------


def test_catalogue_filters_by_skill_work_process_duration_language_and_category(organisation):
    with organisation_scope(organisation.pk):
        skill = SkillFactory(organisation=organisation, name="Luisteren")
        process = WorkProcessFactory(organisation=organisation, name="Intake")
        catalogue_unit(organisation, title="Kort", minutes=3, skills=[skill])
        catalogue_unit(organisation, title="Middel", minutes=8, work_processes=[process])
        catalogue_unit(organisation, title="Lang", minutes=15, language="en", category="social")
    member = MembershipFactory(organisation=organisation)

    assert _titles(member, skill_id=skill.pk) == ["Kort"]
    assert _titles(member, work_process_id=process.pk) == ["Middel"]
    assert _titles(member, duration="short") == ["Kort"]
    assert _titles(member, duration="medium") == ["Middel"]
    assert _titles(member, duration="long") == ["Lang"]
    assert _titles(member, language="en") == ["Lang"]
    assert _titles(member, category="social") == ["Lang"]
    assert _titles(member, sort="title") == ["Kort", "Lang", "Middel"]


def test_catalogue_lists_recently_published_first_by_default(organisation):
    with organisation_scope(organisation.pk):
        old = catalogue_unit(organisation, title="Oud")
        catalogue_unit(organisation, title="Nieuw")
        Unit.objects.filter(pk=old.pk).update(published_at=timezone.now() - dt.timedelta(days=9))
    member = MembershipFactory(organisation=organisation)

    assert _titles(member) == ["Nieuw", "Oud"]


def test_catalogue_shows_only_published_units_of_the_organisation(organisation):
    other = OrganisationFactory(slug="globex-cat")
    with organisation_scope(organisation.pk):
        catalogue_unit(organisation, title="Gepubliceerd")
        catalogue_unit(organisation, title="Concept", status=Unit.Status.DRAFT)
        catalogue_unit(organisation, title="Gearchiveerd", status=Unit.Status.ARCHIVED)
    with organisation_scope(other.pk):
        catalogue_unit(other, title="Van Globex")
    member = MembershipFactory(organisation=organisation)

    assert _titles(member) == ["Gepubliceerd"]


# --- The page ------------------------------------------------------------------------------


def test_catalogue_page_shows_title_summary_minutes_category_and_done(client, organisation):
    member = MembershipFactory(organisation=organisation)
    with organisation_scope(organisation.pk):
        done = catalogue_unit(organisation, title="Gedaan", summary="Een samenvatting", minutes=7)
        catalogue_unit(organisation, title="Nog te doen")
        CompletionFactory(unit=done, member=member)
    client.force_login(member.user)

    response = client.get(_url(organisation, "catalogue"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Gedaan" in page and "Een samenvatting" in page and "Nog te doen" in page
    assert "7 min" in page
    units = {u.title: u for u in response.context["page"].object_list}
    assert units["Gedaan"].is_done and not units["Nog te doen"].is_done


def test_catalogue_page_filters_from_the_query_string_and_paginates(client, organisation):
    with organisation_scope(organisation.pk):
        for n in range(25):
            catalogue_unit(organisation, title=f"Unit {n:02}", minutes=3)
        catalogue_unit(organisation, title="Te lang", minutes=12)
    member = MembershipFactory(organisation=organisation)
    client.force_login(member.user)

    first = client.get(_url(organisation, "catalogue"), {"duration": "short", "sort": "title"})
    second = client.get(
        _url(organisation, "catalogue"), {"duration": "short", "sort": "title", "page": 2}
    )

    assert first.context["page"].paginator.count == 25
    assert [u.title for u in first.context["page"].object_list][:2] == ["Unit 00", "Unit 01"]
    assert [u.title for u in second.context["page"].object_list] == [
        f"Unit {n:02}" for n in range(20, 25)
    ]
    assert '<option value="short" selected>' in first.content.decode()
    # The next-page link keeps the filters.
    assert "duration=short" in first.content.decode().split('rel="next"')[1][:200]


def test_catalogue_page_ignores_a_filter_value_that_does_not_validate(client, organisation):
    with organisation_scope(organisation.pk):
        catalogue_unit(organisation, title="Eén")
    member = MembershipFactory(organisation=organisation)
    client.force_login(member.user)

    response = client.get(
        _url(organisation, "catalogue"), {"skill": "999999", "duration": "forever", "page": "x"}
    )

    assert response.status_code == 200
    assert [u.title for u in response.context["page"].object_list] == ["Eén"]


def test_catalogue_page_needs_a_member(client, organisation):
    outsider = MembershipFactory(organisation=OrganisationFactory(slug="elders")).user
    client.force_login(outsider)

    assert client.get(_url(organisation, "catalogue")).status_code == 404


def test_every_member_sees_the_catalogue_link(client, organisation):
    member = MembershipFactory(organisation=organisation)
    client.force_login(member.user)

    response = client.get(_url(organisation, "home"))

    assert _url(organisation, "catalogue") in response.content.decode()


# --- Work process page ---------------------------------------------------------------------


def test_work_process_page_shows_checklists_first_then_the_other_units(client, organisation):
    with organisation_scope(organisation.pk):
        process = WorkProcessFactory(organisation=organisation, name="Uitgifte medicatie")
        catalogue_unit(
            organisation,
            title="Stappen bij uitgifte",
            work_processes=[process],
            blocks=[("checklist", {"items": ["Naam controleren", "Dosis controleren"]})],
        )
        catalogue_unit(organisation, title="Waarom dubbel controleren", work_processes=[process])
        catalogue_unit(organisation, title="Iets anders")
    member = MembershipFactory(organisation=organisation)
    client.force_login(member.user)

    response = client.get(_url(organisation, "work_process", process.pk))

    assert response.status_code == 200
    help_ = response.context["help"]
    assert [u.title for u in help_.checklists] == ["Stappen bij uitgifte"]
    assert [u.title for u in help_.units] == ["Waarom dubbel controleren"]
    assert "Iets anders" not in response.content.decode()


def test_work_process_of_another_organisation_is_not_found(client, organisation):
    other = OrganisationFactory(slug="globex-wp")
    with organisation_scope(other.pk):
        process = WorkProcessFactory(organisation=other)
    member = MembershipFactory(organisation=organisation)
    client.force_login(member.user)

    assert client.get(_url(organisation, "work_process", process.pk)).status_code == 404


# --- For you -------------------------------------------------------------------------------


def test_for_you_orders_assigned_then_team_topics_then_continue_then_viewed(organisation):
    with organisation_scope(organisation.pk):
        parent = TeamFactory(organisation=organisation)
        team = TeamFactory(organisation=organisation, parent=parent)
        member = MembershipFactory(organisation=organisation, team=team)
        skill = SkillFactory(organisation=organisation)
        to_parent = catalogue_unit(organisation, title="Voor de afdeling", skills=[skill])
        to_me = catalogue_unit(organisation, title="Voor mij")
        same_skill = catalogue_unit(organisation, title="Zelfde vaardigheid", skills=[skill])
        started = catalogue_unit(organisation, title="Begonnen")
        viewed = catalogue_unit(organisation, title="Bekeken")
        done = catalogue_unit(organisation, title="Klaar")
        catalogue_unit(organisation, title="Niets mee te maken")
        AssignmentFactory(
            unit=to_parent, team=parent, assigned_at=timezone.now() - dt.timedelta(days=2)
        )
        AssignmentFactory(unit=to_me, member=member)
        AssignmentFactory(unit=done, member=member)
        CompletionFactory(unit=done, member=member)
        BlockProgress.objects.create(
            organisation=organisation,
            member=member,
            block=started.live_version.blocks.first(),
            version=started.live_version,
        )
        for unit in (viewed, started):
            LearningEventFactory(
                organisation=organisation,
                actor=member,
                verb=LearningEvent.Verb.VIEWED,
                object_type="unit",
                object_id=unit.pk,
            )

        items = units_for_you(membership=member, limit=10)

    assert [(i.unit.title, i.reason) for i in items] == [
        ("Voor de afdeling", "assigned"),
        ("Voor mij", "assigned"),
        ("Zelfde vaardigheid", "team"),
        ("Begonnen", "continue"),
        ("Bekeken", "viewed"),
    ]
    assert same_skill.pk == items[2].unit.pk


def test_for_you_stops_at_the_limit_and_takes_extra_sources(organisation):
    with organisation_scope(organisation.pk):
        member = MembershipFactory(organisation=organisation)
        units = [catalogue_unit(organisation, title=f"U{n}") for n in range(4)]

        def goal_source(membership, team_ids, limit):
            return [u.pk for u in reversed(units)][:limit]

        items = units_for_you(membership=member, limit=2, sources=[("goal", goal_source)])

    assert [i.unit.title for i in items] == ["U3", "U2"]


def test_home_shows_for_you_without_repeating_what_is_to_do(client, organisation):
    member = MembershipFactory(organisation=organisation)
    with organisation_scope(organisation.pk):
        assigned = catalogue_unit(organisation, title="Aan jou toegewezen")
        AssignmentFactory(unit=assigned, member=member)
        viewed = catalogue_unit(organisation, title="Eerder bekeken")
        LearningEventFactory(actor=member, verb=LearningEvent.Verb.VIEWED, object_id=viewed.pk)
    client.force_login(member.user)

    page = client.get(_url(organisation, "home")).content.decode()

    assert 'id="for-you-heading"' in page
    assert page.count("Aan jou toegewezen") == 1  # under "To do" only
    assert "Eerder bekeken" in page


def test_home_never_suggests_for_you_what_is_to_do_whatever_the_reason(client, organisation):
    with organisation_scope(organisation.pk):
        team = TeamFactory(organisation=organisation)
        member = MembershipFactory(organisation=organisation, team=team)
        skill = SkillFactory(organisation=organisation)
        for_team = catalogue_unit(organisation, title="Voor het team", skills=[skill])
        started = catalogue_unit(organisation, title="Al begonnen", skills=[skill])
        catalogue_unit(organisation, title="Zelfde vaardigheid", skills=[skill])
        AssignmentFactory(unit=for_team, team=team)
        AssignmentFactory(unit=started, member=member)
        BlockProgress.objects.create(
            organisation=organisation,
            member=member,
            block=started.live_version.blocks.first(),
            version=started.live_version,
        )
        LearningEventFactory(actor=member, verb=LearningEvent.Verb.VIEWED, object_id=started.pk)
    client.force_login(member.user)

    page = client.get(_url(organisation, "home")).content.decode()

    for_you = page[page.index('id="for-you-heading"') :]
    assert "Zelfde vaardigheid" in for_you
    assert "Voor het team" not in for_you and "Al begonnen" not in for_you


def test_home_to_do_cards_show_when_due_and_how_long(client, organisation):
    organisation.nudge_after_days = 5
    organisation.save(update_fields=["nudge_after_days"])
    member = MembershipFactory(organisation=organisation)
    assigned_at = timezone.now() - dt.timedelta(days=1)
    with organisation_scope(organisation.pk):
        unit = catalogue_unit(organisation, title="Klachten", minutes=7)
        late = catalogue_unit(organisation, title="Te laat", minutes=3)
        AssignmentFactory(unit=unit, member=member, assigned_at=assigned_at)
        AssignmentFactory(
            unit=late, member=member, assigned_at=timezone.now() - dt.timedelta(days=9)
        )
    client.force_login(member.user)

    page = client.get(_url(organisation, "home")).content.decode()

    due = formats.date_format(
        (assigned_at + dt.timedelta(days=5)).astimezone(ZoneInfo(organisation.time_zone)).date(),
        "DATE_FORMAT",
    )
    assert f'<span class="due">Due by {due}</span>' in page
    assert "<span>7 minutes</span>" in page
    assert '<span class="overdue">Overdue since' in page and "<span>3 minutes</span>" in page


# --- Query counts --------------------------------------------------------------------------


def _add_units(
    organisation, membership, skill, process, *, count: int, blocks: int, start: int = 0
):
    with organisation_scope(organisation.pk):
        for n in range(start, start + count):
            unit = catalogue_unit(
                organisation,
                title=f"Vergadering {n}",
                skills=[skill],
                work_processes=[process],
                blocks=[("text", {"markdown": f"Tekst {b}"}) for b in range(blocks)]
                + [("checklist", {"items": ["Een", "Twee"]})],
            )
            if n % 2:
                CompletionFactory(unit=unit, member=membership)
                AssignmentFactory(unit=unit, team=membership.team)
            BlockProgress.objects.create(
                organisation=organisation,
                member=membership,
                block=unit.live_version.blocks.first(),
                version=unit.live_version,
            )
            LearningEventFactory(
                organisation=organisation,
                actor=membership,
                verb=LearningEvent.Verb.VIEWED,
                object_type="unit",
                object_id=unit.pk,
            )


def test_catalogue_search_work_process_and_home_cost_the_same_queries_for_3_and_30_units(
    client, organisation, django_assert_max_num_queries
):
    with organisation_scope(organisation.pk):
        skill = SkillFactory(organisation=organisation)
        process = WorkProcessFactory(organisation=organisation)
        member = MembershipFactory(
            organisation=organisation, team=TeamFactory(organisation=organisation)
        )
    client.force_login(member.user)
    pages = {
        "filtered catalogue": (
            _url(organisation, "catalogue"),
            {"skill": skill.pk, "work_process": process.pk, "duration": "short"},
        ),
        "search": (_url(organisation, "catalogue"), {"q": "vergadering", "sort": "relevance"}),
        "typo search": (_url(organisation, "catalogue"), {"q": "vergadring"}),
        "work process": (_url(organisation, "work_process", process.pk), {}),
        "home with For you": (_url(organisation, "home"), {}),
    }
    _add_units(organisation, member, skill, process, count=3, blocks=1)
    client.get(_url(organisation, "home"))  # session and language settle first
    few = {}
    for name, (url, params) in pages.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        few[name] = len(queries)

    _add_units(organisation, member, skill, process, count=27, blocks=4, start=3)

    for name, (url, params) in pages.items():
        with django_assert_max_num_queries(few[name], info=name):
            response = client.get(url, params)
        assert response.status_code == 200
    assert response.context is not None
    search = client.get(*pages["search"])
    assert search.context["page"].paginator.count == 30
