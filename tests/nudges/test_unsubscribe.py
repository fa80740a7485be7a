"""Unsubscribing per category: the one-click header (RFC 8058) and the link in the footer."""

import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from nudges import services
from nudges.models import Nudge, NudgePreferences
from nudges.services import links
from organisations.models import AuditLog
from organisations.tenancy import organisation_scope
from tests import factories

pytestmark = pytest.mark.django_db

ONE_CLICK = "List-Unsubscribe=One-Click"


def claimed(member, kind=Nudge.Kind.FINISH) -> Nudge:
    """An e-mail nudge of ``kind`` claimed for sending, about a unit assigned to the member."""
    with organisation_scope(member.organisation_id):
        unit = factories.UnitFactory(organisation=member.organisation)
        factories.AssignmentFactory(unit=unit, member=member)
        return factories.NudgeFactory(
            member=member,
            unit=unit,
            kind=kind,
            channel=Nudge.Channel.EMAIL,
            status=Nudge.Status.SENDING,
            sent_at=None,
            lease_until=timezone.now() + services.LEASE,
        )


def send(nudge) -> Nudge:
    services.nudge_send(organisation_id=nudge.organisation_id, nudge_id=nudge.pk)
    with organisation_scope(nudge.organisation_id):
        return Nudge.objects.get(pk=nudge.pk)


def switched_off(member) -> list[str]:
    with organisation_scope(member.organisation_id):
        own = NudgePreferences.objects.filter(member=member).first()
    return own.switched_off if own else []


def header_link(message) -> str:
    (url,) = re.fullmatch(r"<([^>]+)>", message.extra_headers["List-Unsubscribe"]).groups()
    return url.removeprefix("http://127.0.0.1:8000")


def test_a_nudge_email_carries_the_one_click_unsubscribe_headers(member):
    send(claimed(member))

    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == ONE_CLICK
    path = header_link(message)
    assert path.startswith("/u/")
    assert links.unsubscribe_token_read(path.split("/")[2]) == (
        member.organisation_id,
        member.pk,
        "finish",
    )


def test_the_footer_links_to_unsubscribe_and_to_the_preferences(member):
    send(claimed(member))

    message = mail.outbox[0]
    (html, _) = message.alternatives[0]
    unsubscribe = "http://127.0.0.1:8000" + header_link(message)
    assert unsubscribe in message.body and unsubscribe in html
    assert "/o/acme/nudges/preferences/" in message.body
    assert "/o/acme/nudges/preferences/" in html
    assert "Finish it" in message.body or "Rond het af" in message.body


def test_one_click_post_from_the_header_unsubscribes_without_login_or_csrf(member):
    send(claimed(member))
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        header_link(mail.outbox[0]), ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert switched_off(member) == ["finish:email"]
    with organisation_scope(member.organisation_id):
        assert AuditLog.objects.filter(action="nudge_preferences.unsubscribed").count() == 1


def test_unsubscribing_is_per_category_other_categories_still_arrive(member):
    send(claimed(member))
    Client().post(header_link(mail.outbox[0]), {"List-Unsubscribe": "One-Click"})
    mail.outbox.clear()

    finish = send(claimed(member, Nudge.Kind.FINISH))
    apply = send(claimed(member, Nudge.Kind.APPLY))

    assert finish.status == Nudge.Status.CANCELLED
    assert finish.cancel_reason == Nudge.CancelReason.UNSUBSCRIBED
    assert apply.status == Nudge.Status.SENT
    assert len(mail.outbox) == 1


def test_in_app_reminders_of_the_unsubscribed_category_still_arrive(member):
    send(claimed(member))
    Client().post(header_link(mail.outbox[0]))

    with organisation_scope(member.organisation_id):
        in_app = claimed(member)
        Nudge.objects.filter(pk=in_app.pk).update(channel=Nudge.Channel.IN_APP)

    assert send(in_app).status == Nudge.Status.SENT


def test_the_footer_link_asks_to_confirm_before_it_unsubscribes(member):
    send(claimed(member))
    path = header_link(mail.outbox[0])
    client = Client()

    page = client.get(path)

    assert page.status_code == 200
    assert b'<form method="post">' in page.content
    assert switched_off(member) == []

    done = client.post(path)

    assert done.status_code == 200
    assert done.context["done"] is True
    assert switched_off(member) == ["finish:email"]


def test_unsubscribing_twice_changes_nothing_more(member):
    path = links.unsubscribe_url(claimed(member)).removeprefix("http://127.0.0.1:8000")

    Client().post(path)
    Client().post(path)

    assert switched_off(member) == ["finish:email"]
    with organisation_scope(member.organisation_id):
        assert AuditLog.objects.filter(action="nudge_preferences.unsubscribed").count() == 1


def test_the_digests_link_unsubscribes_from_every_category(member):
    nudge = claimed(member)
    nudge.kind = Nudge.Kind.DIGEST
    path = links.unsubscribe_url(nudge).removeprefix("http://127.0.0.1:8000")

    Client().post(path)

    assert len(switched_off(member)) == 6
    assert all(entry.endswith(":email") for entry in switched_off(member))


def test_a_link_for_a_member_who_is_gone_gets_a_friendly_page(member):
    path = links.unsubscribe_url(claimed(member)).removeprefix("http://127.0.0.1:8000")
    with organisation_scope(member.organisation_id):
        member.delete()

    for response in (Client().get(path), Client().post(path)):
        assert response.status_code == 200
        assert response.context["problem"] == "member_gone"
        assert b"no longer a member" in response.content


def test_a_tampered_link_shows_a_clear_page_and_records_nothing(member):
    path = links.unsubscribe_url(claimed(member)).removeprefix("http://127.0.0.1:8000")
    token = path.split("/")[2]
    tampered = f"/u/{token[:-3]}{'abc' if token[-3:] != 'abc' else 'xyz'}/"

    response = Client().post(tampered)

    assert response.status_code == 400
    assert response.context["problem"] == "unsubscribe_broken"
    assert b"does not work" in response.content
    assert switched_off(member) == []


def test_a_click_token_is_no_unsubscribe_token(member):
    nudge = claimed(member)
    click_token = links.tracked_url(nudge, "/").split("/n/c/")[1].strip("/")

    response = Client().post(f"/u/{click_token}/")

    assert response.status_code == 400
    assert switched_off(member) == []


def test_a_signed_token_naming_an_unknown_category_is_refused(member):
    token = signing.dumps(
        {"o": member.organisation_id, "m": member.pk, "c": "everything"},
        salt=links.UNSUBSCRIBE_SALT,
    )

    assert Client().post(f"/u/{token}/").status_code == 400
    assert switched_off(member) == []
