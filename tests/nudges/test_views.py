import pytest
from django.urls import reverse

from events.models import LearningEvent
from nudges.models import Nudge
from organisations.tenancy import organisation_scope
from tests import factories

pytestmark = pytest.mark.django_db


def inbox_url(organisation):
    return reverse("nudges:inbox", kwargs={"org_slug": organisation.slug})


def open_url(organisation, nudge):
    return reverse(
        "nudges:nudge_open", kwargs={"org_slug": organisation.slug, "nudge_id": nudge.pk}
    )


def test_inbox_lists_my_delivered_inapp_nudges_only(member_client, organisation, member):
    mine = factories.NudgeFactory(member=member, unit__title="Mine to finish")
    factories.NudgeFactory(member=member, unit__title="Still planned", status="planned")
    factories.NudgeFactory(member=member, unit__title="By e-mail", channel="email")
    other = factories.MembershipFactory(organisation=organisation)
    factories.NudgeFactory(member=other, unit__title="Someone else's")

    response = member_client.get(inbox_url(organisation))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Mine to finish" in content
    assert open_url(organisation, mine) in content
    for hidden in ("Still planned", "By e-mail", "Someone else"):
        assert hidden not in content


def test_inbox_needs_a_signed_in_member(client, organisation):
    response = client.get(inbox_url(organisation))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_opening_a_nudge_marks_it_read_records_the_event_and_goes_to_the_unit(
    member_client, organisation, member
):
    nudge = factories.NudgeFactory(member=member)

    response = member_client.post(open_url(organisation, nudge))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "microlearning:unit_detail",
        kwargs={"org_slug": organisation.slug, "unit_id": nudge.unit_id},
    )
    with organisation_scope(organisation.pk):
        nudge.refresh_from_db()
        events = list(LearningEvent.objects.filter(verb=LearningEvent.Verb.NUDGE_OPENED))
    assert nudge.read_at is not None
    assert [(e.actor_id, e.object_id) for e in events] == [(member.pk, nudge.pk)]


def test_opening_needs_post(member_client, organisation, member):
    nudge = factories.NudgeFactory(member=member)

    assert member_client.get(open_url(organisation, nudge)).status_code == 405


def test_a_nudge_of_another_member_gives_404(member_client, organisation):
    colleague = factories.MembershipFactory(organisation=organisation)
    nudge = factories.NudgeFactory(member=colleague)

    assert member_client.post(open_url(organisation, nudge)).status_code == 404
    assert member_client.get(open_url(organisation, nudge)).status_code == 404
    with organisation_scope(organisation.pk):
        nudge.refresh_from_db()
    assert nudge.read_at is None


def test_a_nudge_of_another_organisation_gives_404(member_client, organisation, other_organisation):
    foreign = factories.NudgeFactory(
        member=factories.MembershipFactory(organisation=other_organisation)
    )

    response = member_client.post(open_url(organisation, foreign))

    assert response.status_code == 404


def test_an_email_nudge_cannot_be_opened_in_the_app(member_client, organisation, member):
    nudge = factories.NudgeFactory(member=member, channel=Nudge.Channel.EMAIL)

    assert member_client.post(open_url(organisation, nudge)).status_code == 404


def test_the_home_header_shows_how_many_notifications_are_unread(
    member_client, organisation, member
):
    factories.NudgeFactory(member=member, unit__title="Handling a complaint")

    response = member_client.get(
        reverse("microlearning:home", kwargs={"org_slug": organisation.slug})
    )

    content = response.content.decode()
    assert 'aria-label="Notifications, 1 unread"' in content
    assert inbox_url(organisation) in content
