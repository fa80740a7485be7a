import pytest
from django_scopes import ScopeError

from organisations.models import Membership, Team
from organisations.tenancy import organisation_scope
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
