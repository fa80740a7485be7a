"""Who opens which unit: one rule (microlearning/access.py) behind the web pages and the API."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django_scopes import scopes_disabled

from microlearning import access
from microlearning.models import Block, Unit
from microlearning.services import units as unit_services
from organisations.tenancy import organisation_scope
from tests.factories import MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(organisation):
    return MembershipFactory(organisation=organisation, is_admin=True)


@pytest.fixture
def draft(organisation, author):
    return UnitFactory(organisation=organisation, author=author, status=Unit.Status.DRAFT)


@pytest.fixture
def published_with_draft(organisation, author):
    """A published unit whose author has started a new version: live version 1, draft 2."""
    unit = UnitFactory(organisation=organisation, author=author, title="Live title")
    with organisation_scope(organisation.pk):
        unit_services.unit_update(unit=unit, by=author, title="Draft title")
        unit.refresh_from_db()
    return unit


def request_of(membership):
    request = RequestFactory().get("/")
    request.organisation, request.membership = membership.organisation, membership
    return request


def test_authors_and_admins_open_every_unit_learners_only_published_ones(
    organisation, author, admin, learner, draft
):
    archived = UnitFactory(organisation=organisation, status=Unit.Status.ARCHIVED)
    published = UnitFactory(organisation=organisation)

    with organisation_scope(organisation.pk):
        opened = {
            who: set(access.openable_units(membership=membership).values_list("pk", flat=True))
            for who, membership in {"author": author, "admin": admin, "learner": learner}.items()
        }

    assert opened["author"] == opened["admin"] == {draft.pk, archived.pk, published.pk}
    assert opened["learner"] == {published.pk}


def test_learners_open_only_the_live_version_authors_the_draft_too(
    organisation, author, learner, published_with_draft
):
    unit = published_with_draft

    with organisation_scope(organisation.pk):
        for_learner = set(access.openable_versions(membership=learner).values_list("pk", flat=True))
        for_author = set(access.openable_versions(membership=author).values_list("pk", flat=True))
        learner_blocks = set(access.openable_blocks(membership=learner).values_list("version_id"))

    assert for_learner == {unit.live_version_id}
    assert for_author == {unit.live_version_id, unit.draft_version_id}
    assert learner_blocks == {(unit.live_version_id,)}


def test_a_deactivated_author_opens_what_a_learner_opens(organisation, draft):
    former = MembershipFactory(organisation=organisation, is_author=True, is_active=False)

    with organisation_scope(organisation.pk):
        assert not access.openable_units(membership=former).filter(pk=draft.pk).exists()


def test_another_organisations_units_are_not_openable(organisation, other_organisation, author):
    theirs = UnitFactory(organisation=other_organisation)

    with organisation_scope(organisation.pk):
        assert not access.openable_units(membership=author).filter(pk=theirs.pk).exists()
        assert (
            not access.openable_blocks(membership=author)
            .filter(version__unit_id=theirs.pk)
            .exists()
        )


def test_doing_a_unit_needs_it_published_even_for_its_author(organisation, author, draft):
    with organisation_scope(organisation.pk), pytest.raises(Http404):
        access.published_unit(request_of(author), draft.pk)


def test_a_block_of_the_draft_version_cannot_be_done(
    organisation, learner, author, published_with_draft
):
    unit = published_with_draft
    with scopes_disabled():
        live = Block.objects.get(version_id=unit.live_version_id)
        drafted = Block.objects.get(version_id=unit.draft_version_id)

    with organisation_scope(organisation.pk):
        assert access.live_block(request_of(learner), unit.pk, live.pk) == (unit, live)
        with pytest.raises(Http404):
            access.live_block(request_of(author), unit.pk, drafted.pk)


# --- the same rule through the web pages and the API ---------------------------------------


def web(organisation, name, *args):
    return reverse(f"microlearning:{name}", args=[organisation.slug, *args])


def api(organisation, name, *args):
    return reverse(f"microlearning_api:{name}", args=[organisation.slug, *args])


def test_a_learner_finds_no_draft_on_the_web_nor_in_the_api(client, organisation, learner, draft):
    client.force_login(learner.user)

    answers = [
        client.get(web(organisation, "unit_detail", draft.pk)).status_code,
        client.get(api(organisation, "unit", draft.pk)).status_code,
        client.get(api(organisation, "learner_unit", draft.pk)).status_code,
    ]

    assert answers == [404, 404, 404]


def test_an_author_sees_a_draft_on_the_web_and_in_the_api(client, organisation, author, draft):
    client.force_login(author.user)

    preview = client.get(web(organisation, "unit_preview", draft.pk))
    detail = client.get(api(organisation, "unit", draft.pk))

    assert preview.status_code == 200
    assert (detail.status_code, detail.json()["status"]) == (200, "draft")
