"""Catalogue cards are rendered once per unit version and language, then read from the cache."""

import pytest
from django.urls import reverse

from microlearning.services.units import unit_publish, unit_update
from organisations.tenancy import organisation_scope
from tests.factories import CompletionFactory, MembershipFactory, catalogue_unit

pytestmark = pytest.mark.django_db


def _catalogue(client, organisation, **params):
    return client.get(reverse("microlearning:catalogue", args=[organisation.slug]), params)


def test_second_view_reads_the_cards_from_the_cache(client, organisation):
    with organisation_scope(organisation.pk):
        catalogue_unit(organisation, title="Veilig tillen")
    member = MembershipFactory(organisation=organisation)
    client.force_login(member.user)

    first = _catalogue(client, organisation)
    second = _catalogue(client, organisation)

    names = [t.name for t in first.templates]
    assert "microlearning/_unit_card.html" in names
    assert "microlearning/_unit_card.html" not in [t.name for t in second.templates]
    assert "Veilig tillen" in second.content.decode()


def test_done_badge_is_each_members_own_on_a_shared_card(client, organisation):
    with organisation_scope(organisation.pk):
        unit = catalogue_unit(organisation, title="Veilig tillen")
    done, not_done = (MembershipFactory(organisation=organisation) for _ in range(2))
    CompletionFactory(unit=unit, member=done)

    client.force_login(done.user)
    page_done = _catalogue(client, organisation).content.decode()
    client.force_login(not_done.user)
    page_not_done = _catalogue(client, organisation).content.decode()

    assert 'class="badge done"' in page_done
    assert 'class="badge done"' not in page_not_done
    assert "Not done yet" in page_not_done


def test_a_new_version_shows_at_once(client, organisation):
    with organisation_scope(organisation.pk):
        unit = catalogue_unit(organisation, title="Oude titel")
    author = MembershipFactory(organisation=organisation, is_author=True)
    client.force_login(author.user)
    assert "Oude titel" in _catalogue(client, organisation).content.decode()

    with organisation_scope(organisation.pk):
        unit_update(unit=unit, by=author, title="Nieuwe titel")
        unit_publish(unit=unit, by=author)
    page = _catalogue(client, organisation).content.decode()

    assert "Nieuwe titel" in page
    assert "Oude titel" not in page


def test_cards_follow_the_language(client, organisation):
    with organisation_scope(organisation.pk):
        catalogue_unit(organisation, title="Veilig tillen", minutes=5)
    member = MembershipFactory(organisation=organisation)
    client.force_login(member.user)

    english = _catalogue(client, organisation).content.decode()
    member.user.language = "nl"
    member.user.save(update_fields=["language"])
    dutch = _catalogue(client, organisation).content.decode()

    assert "5 minutes" in english
    assert "5 minuten" in dutch
