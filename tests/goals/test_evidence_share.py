"""Signed-off evidence may be shared with the learner's team, on the learner's choice only."""

import pytest
from django.urls import reverse
from django_scopes import scope

from courses.services.evidence import evidence_submit, sign_off_decide
from goals.models import Recognition
from tests.courses.evidence_factories import evidence_world, pdf_file
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organisation):
    with scope(organisation=organisation):
        yield evidence_world(organisation)


def hand_in(world):
    return evidence_submit(
        progress=world.progress, membership=world.learner, text="Done twice.", files=[pdf_file()]
    )


def share(client, world, progress_id=None):
    client.force_login(world.learner.user)
    url = reverse(
        "goals:evidence_share", args=[world.organisation.slug, progress_id or world.progress.pk]
    )
    return client.post(url, {"message": "Proud of this one"})


def shared(organisation):
    with scope(organisation=organisation):
        return list(Recognition.objects.values_list("object_type", "object_id", "title", "message"))


def test_signed_off_evidence_is_shared_with_the_team_and_the_step_page_says_so(client, world):
    sign_off_decide(submission=hand_in(world), signer=world.manager, approve=True)

    step_page = reverse("courses:step", args=[world.organisation.slug, world.progress.pk])
    client.force_login(world.learner.user)
    assert "Share with my team" in client.get(step_page).content.decode()

    response = share(client, world)

    assert response.status_code == 302 and response.url == step_page
    assert shared(world.organisation) == [
        ("step", world.step.pk, world.step.title, "Proud of this one")
    ]
    assert "kudos so far" in client.get(step_page).content.decode()
    client.force_login(world.colleague.user)
    home = reverse("microlearning:home", args=[world.organisation.slug])
    assert world.step.title in client.get(home).content.decode()


def test_evidence_waiting_for_sign_off_is_not_shared(client, world):
    hand_in(world)

    share(client, world)

    assert shared(world.organisation) == []


def test_nobody_shares_another_learners_evidence(client, world):
    sign_off_decide(submission=hand_in(world), signer=world.manager, approve=True)
    client.force_login(world.colleague.user)

    url = reverse("goals:evidence_share", args=[world.organisation.slug, world.progress.pk])
    assert client.post(url).status_code == 404
    assert shared(world.organisation) == []


def test_another_organisations_progress_is_not_found(client, world):
    other = OrganisationFactory()
    with scope(organisation=other):
        theirs = evidence_world(other)

    response = share(client, world, progress_id=theirs.progress.pk)

    assert response.status_code == 404
