"""Naming or changing an enrolment's buddy after enrolling: the "Buddy for <name>" page."""

import html

import pytest
from django.urls import reverse
from django_scopes import scope

from courses.models import Enrolment, Step
from courses.services import enrolments
from courses.services.enrolments import (
    ERROR_BUDDY_CLOSED,
    ERROR_BUDDY_INACTIVE,
    ERROR_BUDDY_SELF,
)
from organisations.models import AuditLog
from tests import factories
from tests.conftest import make_member
from tests.courses.factories import author_of, trajectory_with

pytestmark = pytest.mark.django_db


def _enrol(organisation, learner, *, buddy=None, kinds=(Step.Kind.BUDDY,)) -> Enrolment:
    with scope(organisation=organisation):
        trajectory = trajectory_with(organisation, list(kinds))
        return enrolments.enrolment_create(
            trajectory=trajectory, membership=learner, by=trajectory.created_by, buddy=buddy
        )


def _url(enrolment, slug="acme") -> str:
    return reverse("courses:enrolment_buddy", args=[slug, enrolment.pk])


def _buddy_of(organisation, enrolment) -> int | None:
    with scope(organisation=organisation):
        return Enrolment.objects.get(pk=enrolment.pk).buddy_id


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _team_with_manager(organisation):
    manager = make_member(organisation)
    with scope(organisation=organisation):
        team = factories.TeamFactory(organisation=organisation, manager=manager)
    return manager, team


def test_ld_names_a_buddy_on_the_page_and_the_change_is_audited(organisation, client):
    author = author_of(organisation)
    learner, buddy = make_member(organisation), make_member(organisation)
    enrolment = _enrol(organisation, learner)
    client.force_login(author.user)

    page = client.get(_url(enrolment))
    body = _text(page)
    assert page.status_code == 200
    assert f"Buddy for {learner.display_name}" in body
    assert f'value="{buddy.pk}"' in body and f'value="{learner.pk}"' not in body

    response = client.post(_url(enrolment), {"buddy": buddy.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:enrolment_list", args=["acme"])
    assert _buddy_of(organisation, enrolment) == buddy.pk
    with scope(organisation=organisation):
        audit = AuditLog.objects.get(action="trajectory.buddy_set")
    assert audit.actor_id == author.pk
    assert audit.data == {"enrolment": enrolment.pk, "buddy": buddy.pk, "previous": None}


def test_the_same_buddy_again_changes_nothing_and_writes_no_audit_row(organisation, client):
    author = author_of(organisation)
    learner, buddy = make_member(organisation), make_member(organisation)
    enrolment = _enrol(organisation, learner, buddy=buddy)
    client.force_login(author.user)

    assert client.post(_url(enrolment), {"buddy": buddy.pk}).status_code == 302

    with scope(organisation=organisation):
        assert not AuditLog.objects.filter(action="trajectory.buddy_set").exists()


def test_a_manager_names_a_buddy_for_their_team_member_from_their_teams(organisation, client):
    manager, team = _team_with_manager(organisation)
    with scope(organisation=organisation):
        sub = factories.TeamFactory(organisation=organisation, parent=team)
    learner = make_member(organisation, team=team)
    teammate = make_member(organisation, team=sub)
    elsewhere = make_member(organisation)
    enrolment = _enrol(organisation, learner)
    client.force_login(manager.user)

    body = _text(client.get(_url(enrolment)))
    offered = {m.pk: f'value="{m.pk}"' in body for m in (teammate, manager, elsewhere, learner)}
    assert offered == {teammate.pk: True, manager.pk: True, elsewhere.pk: False, learner.pk: False}

    response = client.post(_url(enrolment), {"buddy": teammate.pk})

    assert response.status_code == 302
    assert _buddy_of(organisation, enrolment) == teammate.pk


def test_a_manager_may_not_name_a_buddy_outside_their_teams(organisation, client):
    manager, _team = _team_with_manager(organisation)
    with scope(organisation=organisation):
        other_team = factories.TeamFactory(organisation=organisation)
    stranger, buddy = make_member(organisation, team=other_team), make_member(organisation)
    enrolment = _enrol(organisation, stranger)
    client.force_login(manager.user)

    assert client.get(_url(enrolment)).status_code == 403
    assert client.post(_url(enrolment), {"buddy": buddy.pk}).status_code == 403
    assert _buddy_of(organisation, enrolment) is None


def test_the_learner_as_their_own_buddy_is_a_field_error(organisation, client):
    author = author_of(organisation)
    learner = make_member(organisation)
    enrolment = _enrol(organisation, learner)
    client.force_login(author.user)

    response = client.post(_url(enrolment), {"buddy": learner.pk})

    assert response.status_code == 400
    assert response.context["form"].errors == {"buddy": [str(ERROR_BUDDY_SELF)]}
    assert str(ERROR_BUDDY_SELF) in _text(response)
    assert _buddy_of(organisation, enrolment) is None


def test_someone_who_left_or_of_another_organisation_is_a_field_error(
    organisation, other_organisation, client
):
    author = author_of(organisation)
    learner = make_member(organisation)
    left = make_member(organisation, is_active=False)
    outsider = make_member(other_organisation)
    enrolment = _enrol(organisation, learner)
    client.force_login(author.user)

    for who in (left, outsider):
        response = client.post(_url(enrolment), {"buddy": who.pk})
        assert response.status_code == 400
        assert response.context["form"].errors == {"buddy": [str(ERROR_BUDDY_INACTIVE)]}
    assert _buddy_of(organisation, enrolment) is None


def test_another_organisations_enrolment_is_not_found(organisation, other_organisation, client):
    author = author_of(organisation)
    theirs = _enrol(other_organisation, make_member(other_organisation))
    client.force_login(author.user)

    assert client.get(_url(theirs)).status_code == 404
    assert client.post(_url(theirs), {"buddy": ""}).status_code == 404


def test_a_withdrawn_enrolment_keeps_its_buddy(organisation, client):
    author = author_of(organisation)
    learner, buddy = make_member(organisation), make_member(organisation)
    enrolment = _enrol(organisation, learner)
    with scope(organisation=organisation):
        enrolments.enrolment_withdraw(enrolment=enrolment, by=author)
    client.force_login(author.user)

    page = client.get(_url(enrolment))
    assert str(ERROR_BUDDY_CLOSED) in _text(page) and "<select" not in page.content.decode()
    response = client.post(_url(enrolment), {"buddy": buddy.pk})

    assert response.status_code == 400
    assert _buddy_of(organisation, enrolment) is None


def test_the_new_buddy_sees_the_step_on_their_home_as_a_buddy(organisation, client):
    author = author_of(organisation)
    learner, buddy = make_member(organisation), make_member(organisation)
    enrolment = _enrol(organisation, learner)
    home = reverse("microlearning:home", args=["acme"])
    client.force_login(buddy.user)
    assert "As a buddy" not in client.get(home).content.decode()

    client.force_login(author.user)
    client.post(_url(enrolment), {"buddy": buddy.pk})

    client.force_login(buddy.user)
    body = _text(client.get(home))
    assert "As a buddy" in body and learner.display_name in body


def test_removing_the_buddy_takes_the_step_off_the_old_buddys_home(organisation, client):
    author = author_of(organisation)
    learner, buddy = make_member(organisation), make_member(organisation)
    enrolment = _enrol(organisation, learner, buddy=buddy)
    client.force_login(author.user)

    assert client.post(_url(enrolment), {"buddy": ""}).status_code == 302

    assert _buddy_of(organisation, enrolment) is None
    client.force_login(buddy.user)
    home = client.get(reverse("microlearning:home", args=["acme"])).content.decode()
    assert "As a buddy" not in home


def test_the_step_without_buddy_links_a_manager_to_the_page_and_back(organisation, client):
    manager, team = _team_with_manager(organisation)
    learner, teammate = make_member(organisation, team=team), make_member(organisation, team=team)
    enrolment = _enrol(organisation, learner)
    with scope(organisation=organisation):
        talk = enrolment.progress.get()
    step_url = reverse("courses:step", args=["acme", talk.pk])
    client.force_login(manager.user)

    body = client.get(step_url).content.decode()
    link = f"{_url(enrolment)}?next={step_url}"
    assert f'href="{link}"' in body

    page = client.get(link)
    assert "Back to the step" in page.content.decode()
    response = client.post(_url(enrolment), {"buddy": teammate.pk, "next": step_url})
    assert response.status_code == 302 and response["Location"] == step_url
    response = client.post(_url(enrolment), {"buddy": "", "next": "https://evil.test/"})
    assert response["Location"] == reverse("courses:enrolment_list", args=["acme"])


def test_the_learner_without_buddy_is_pointed_to_their_manager(organisation, client):
    manager, team = _team_with_manager(organisation)
    with scope(organisation=organisation):
        sub = factories.TeamFactory(organisation=organisation, parent=team)
    learner = make_member(organisation, team=sub)
    alone = make_member(organisation)
    talks = {}
    for who in (learner, alone):
        with scope(organisation=organisation):
            talks[who.pk] = _enrol(organisation, who).progress.get()
    client.force_login(learner.user)

    body = _text(client.get(reverse("courses:step", args=["acme", talks[learner.pk].pk])))
    assert f'href="mailto:{manager.user.email}"' in body and manager.display_name in body
    assert "enrolments/" not in body

    client.force_login(alone.user)
    body = _text(client.get(reverse("courses:step", args=["acme", talks[alone.pk].pk])))
    assert "Ask your L&D team to name one." in body


def test_the_overview_offers_the_buddy_page_on_open_rows_in_flat_queries(
    organisation, client, django_assert_max_num_queries
):
    author = author_of(organisation)
    learners = [make_member(organisation) for _ in range(6)]
    first = [_enrol(organisation, learner) for learner in learners[:2]]
    client.force_login(author.user)
    overview = reverse("courses:enrolment_list", args=["acme"])
    with django_assert_max_num_queries(50) as few:
        client.get(overview)

    later = [_enrol(organisation, learner, buddy=learners[0]) for learner in learners[2:]]
    with scope(organisation=organisation):
        enrolments.enrolment_withdraw(enrolment=later[-1], by=author)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(overview).content.decode()

    for enrolment in (*first, *later[:-1]):
        assert f'href="{_url(enrolment)}"' in body
    assert f'href="{_url(later[-1])}"' not in body
    assert body.count("Name a buddy") == 2 and body.count("Change buddy") == 3


def test_the_page_speaks_dutch_to_a_dutch_organisation(organisation, client):
    organisation.language = "nl"
    organisation.save(update_fields=["language"])
    author = author_of(organisation)
    learner = make_member(organisation)
    enrolment = _enrol(organisation, learner)
    client.force_login(author.user)

    body = _text(client.get(_url(enrolment)))

    assert f"Buddy voor {learner.display_name}" in body and "Buddy opslaan" in body
