import pytest
from django.db import connection
from django_scopes import ScopeError

from organisations.models import Membership, Team
from organisations.tenancy import (
    ORGANISATION_SETTING,
    USER_SETTING,
    organisation_scope,
    organisation_scope_for_slug,
)
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_unscoped_query_on_tenant_model_raises():
    with pytest.raises(ScopeError):
        list(Team.objects.all())


def test_scope_shows_only_its_own_organisation(organisation, other_organisation):
    TeamFactory(organisation=organisation, name="Ours")
    TeamFactory(organisation=other_organisation, name="Theirs")

    with organisation_scope(organisation.pk):
        names = list(Team.objects.values_list("name", flat=True))

    assert names == ["Ours"]


def test_scopes_nest_and_restore(organisation, other_organisation):
    MembershipFactory(organisation=organisation)
    MembershipFactory(organisation=other_organisation)

    with organisation_scope(organisation.pk):
        with organisation_scope(other_organisation.pk):
            inner = set(Membership.objects.values_list("organisation_id", flat=True))
        outer = set(Membership.objects.values_list("organisation_id", flat=True))

    assert inner == {other_organisation.pk}
    assert outer == {organisation.pk}


def _setting(name: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT NULLIF(current_setting(%s, true), '')", [name])
        return cursor.fetchone()[0]


def test_scope_for_slug_finds_and_enters_the_organisation(organisation, other_organisation):
    TeamFactory(organisation=organisation, name="Ours")
    TeamFactory(organisation=other_organisation, name="Theirs")

    with organisation_scope_for_slug(organisation.slug, user_id=7) as found:
        names = list(Team.objects.values_list("name", flat=True))
        settings = (_setting(ORGANISATION_SETTING), _setting(USER_SETTING))

    assert found == organisation
    assert names == ["Ours"]
    if connection.vendor == "postgresql":
        assert settings == (str(organisation.pk), "7")


def test_scope_for_an_unknown_slug_yields_nothing_and_enters_no_scope(organisation):
    before = _setting(ORGANISATION_SETTING)

    with organisation_scope_for_slug("nobody-has-this", user_id=7) as found:
        assert found is None
        with pytest.raises(ScopeError):
            list(Team.objects.all())
        assert _setting(ORGANISATION_SETTING) == before


def test_scope_for_slug_nests_and_restores(organisation, other_organisation):
    MembershipFactory(organisation=organisation)
    MembershipFactory(organisation=other_organisation)

    with organisation_scope(organisation.pk):
        with organisation_scope_for_slug(other_organisation.slug):
            inner = set(Membership.objects.values_list("organisation_id", flat=True))
        outer = set(Membership.objects.values_list("organisation_id", flat=True))
        setting = _setting(ORGANISATION_SETTING)

    assert inner == {other_organisation.pk}
    assert outer == {organisation.pk}
    if connection.vendor == "postgresql":
        assert setting == str(organisation.pk)
