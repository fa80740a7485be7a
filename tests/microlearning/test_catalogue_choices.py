"""The catalogue's skill and work process filters come from a cache that never lags a write."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from organisations.models import Skill
from organisations.selectors import tag_choices, tag_choices_stamp_key
from organisations.services.catalogue import (
    skill_create,
    skill_delete,
    skill_update,
    tag_choices_forget,
    work_process_create,
    work_process_delete,
    work_process_update,
)
from organisations.tenancy import organisation_scope
from tests.factories import MembershipFactory, SkillFactory, catalogue_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(organisation):
    with organisation_scope(organisation.pk):
        return MembershipFactory(organisation=organisation, is_admin=True)


def _page(client, organisation, params=None) -> str:
    url = reverse("microlearning:catalogue", args=[organisation.slug])
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_renamed_or_deleted_skill_or_work_process_shows_at_once(client, organisation, admin):
    client.force_login(admin.user)
    assert "Tillen" not in _page(client, organisation)  # the lists are cached now

    with organisation_scope(organisation.pk):
        skill = skill_create(by=admin, name="Tillen")
        process = work_process_create(by=admin, name="Overdracht")
    page = _page(client, organisation)
    assert f'<option value="{skill.pk}">Tillen</option>' in page
    assert f'<option value="{process.pk}">Overdracht</option>' in page

    with organisation_scope(organisation.pk):
        skill_update(skill=skill, by=admin, name="Veilig tillen", description="")
        work_process_update(work_process=process, by=admin, name="Dienstwissel", description="")
    page = _page(client, organisation)
    assert f'<option value="{skill.pk}">Veilig tillen</option>' in page
    assert f'<option value="{process.pk}">Dienstwissel</option>' in page
    assert "Overdracht" not in page

    with organisation_scope(organisation.pk):
        skill_delete(skill=skill, by=admin)
        work_process_delete(work_process=process, by=admin)
    page = _page(client, organisation)
    assert "Veilig tillen" not in page
    assert "Dienstwissel" not in page


def test_a_skill_made_after_the_lists_were_cached_filters_at_once(client, organisation, admin):
    client.force_login(admin.user)
    _page(client, organisation)
    with organisation_scope(organisation.pk):
        skill = SkillFactory(organisation=organisation, name="Tillen")  # admin or any save
        catalogue_unit(organisation, title="Goed tillen", skills=[skill])
        catalogue_unit(organisation, title="Iets anders")
    page = _page(client, organisation, {"skill": skill.pk})
    assert "Goed tillen" in page
    assert "Iets anders" not in page
    assert f'<option value="{skill.pk}" selected>Tillen</option>' in page


def test_the_lists_are_read_once_until_a_write_forgets_them(
    organisation, other_organisation, django_assert_num_queries
):
    with organisation_scope(organisation.pk):
        SkillFactory(organisation=organisation, name="Tillen")
        first = tag_choices(organisation_id=organisation.pk)
        with django_assert_num_queries(0):
            assert tag_choices(organisation_id=organisation.pk) == first
        # A bulk write sends no signal: the writer forgets the lists itself.
        Skill.objects.bulk_create([Skill(organisation=organisation, name="Aanpakken")])
        assert [c.name for c in tag_choices(organisation_id=organisation.pk).skills] == ["Tillen"]
        tag_choices_forget(organisation_id=organisation.pk)
        assert [c.name for c in tag_choices(organisation_id=organisation.pk).skills] == [
            "Aanpakken",
            "Tillen",
        ]
    with organisation_scope(other_organisation.pk):  # each organisation has its own lists
        assert tag_choices(organisation_id=other_organisation.pk).skills == ()


def test_lists_cached_under_a_stamp_a_write_replaced_are_not_used(organisation):
    """A reader that read the lists before a write committed caches them under the old
    stamp: after the write's new stamp that entry counts for nothing."""
    with organisation_scope(organisation.pk):
        tag_choices(organisation_id=organisation.pk)
        old_stamp = cache.get(tag_choices_stamp_key(organisation.pk))
        SkillFactory(organisation=organisation, name="Tillen")  # forgets: a new stamp
        # The late reader writes what it read, under the stamp it started with.
        cache.set(f"org-{organisation.pk}:tag-choices", (old_stamp, (), ()))
        assert [c.name for c in tag_choices(organisation_id=organisation.pk).skills] == ["Tillen"]


def test_a_catalogue_page_asks_the_database_only_for_the_user_membership_and_units(
    client, organisation, admin, django_assert_max_num_queries
):
    """The session's user, the organisation (with the RLS settings), the membership, then
    the count and the page of units, and the header's count of unread notifications; the
    filters' skills and work processes come from the cache: six queries. In a test the
    tenant scope is nested in the test's transaction, which adds a savepoint, its release,
    and reading and restoring the previous settings (four statements a real request does
    not make).
    """
    with organisation_scope(organisation.pk):
        skill = SkillFactory(organisation=organisation, name="Tillen")
        catalogue_unit(organisation, title="Goed tillen", skills=[skill])
    client.force_login(admin.user)
    _page(client, organisation)  # the session and the filter lists settle in the cache
    for params in ({}, {"skill": skill.pk, "duration": "short", "sort": "title"}):
        with django_assert_max_num_queries(6 + 4, info=str(params)):
            _page(client, organisation, params)
