"""The notification centre: the member's in-app nudges, the header count, marking read."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import LearningEvent
from nudges.models import Nudge
from nudges.views import INBOX_PAGE_SIZE
from organisations.tenancy import organisation_scope
from tests import factories

pytestmark = pytest.mark.django_db


def url(organisation, name, nudge=None):
    kwargs = {"org_slug": organisation.slug}
    if nudge is not None:
        kwargs["nudge_id"] = nudge.pk
    return reverse(f"nudges:{name}", kwargs=kwargs)


def read_at(organisation, *nudges):
    with organisation_scope(organisation.pk):
        return [Nudge.objects.get(pk=n.pk).read_at for n in nudges]


def header_label(html: str) -> str:
    return re.search(r'class="notifications-link"[^>]*aria-label="([^"]+)"', html).group(1)


def test_every_member_page_shows_the_unread_count_in_the_header(
    member_client, organisation, member
):
    factories.NudgeFactory.create_batch(3, member=member)
    factories.NudgeFactory(member=member, read_at=timezone.now())

    for page in (
        reverse("microlearning:home", kwargs={"org_slug": organisation.slug}),
        reverse("microlearning:catalogue", kwargs={"org_slug": organisation.slug}),
        url(organisation, "inbox"),
    ):
        html = member_client.get(page).content.decode()
        assert header_label(html) == "Notifications, 3 unread", page


def test_the_centre_lists_title_body_time_and_link_newest_first(
    member_client, organisation, member
):
    now = timezone.now()
    older = factories.NudgeFactory(
        member=member,
        title="Finish the safety unit",
        body="Five minutes, between two tasks.",
        action_url="/o/acme/units/1/",
        sent_at=now - dt.timedelta(days=2),
    )
    newer = factories.NudgeFactory(member=member, title="Did you apply it?", sent_at=now)

    html = member_client.get(url(organisation, "inbox")).content.decode()

    assert html.index("Did you apply it?") < html.index("Finish the safety unit")
    assert "Five minutes, between two tasks." in html
    assert f'datetime="{timezone.localtime(older.sent_at).isoformat()}"' in html
    assert url(organisation, "nudge_open", older) in html
    assert url(organisation, "nudge_read", newer) in html


def test_the_centre_is_paged_in_a_fixed_number_of_queries(
    member_client, organisation, member, django_assert_max_num_queries
):
    factories.NudgeFactory.create_batch(INBOX_PAGE_SIZE + 2, member=member)
    member_client.get(url(organisation, "inbox"))  # warm the session and caches

    with django_assert_max_num_queries(11) as few:
        first = member_client.get(url(organisation, "inbox"))
    queries = len(few)
    second = member_client.get(url(organisation, "inbox") + "?page=2")

    assert first.content.decode().count('<li class="notification') == INBOX_PAGE_SIZE
    assert second.content.decode().count('<li class="notification') == 2
    factories.NudgeFactory.create_batch(10, member=member)
    with django_assert_max_num_queries(queries):
        member_client.get(url(organisation, "inbox"))


def test_mark_read_marks_one_and_goes_back_to_the_same_page(member_client, organisation, member):
    nudge, other = factories.NudgeFactory.create_batch(2, member=member)

    response = member_client.post(url(organisation, "nudge_read", nudge), {"page": "2"})

    assert response.status_code == 302
    assert response["Location"] == url(organisation, "inbox") + "?page=2"
    first, second = read_at(organisation, nudge, other)
    assert first is not None and second is None
    with organisation_scope(organisation.pk):
        assert (
            LearningEvent.objects.filter(
                verb=LearningEvent.Verb.NUDGE_OPENED, object_type="nudge", object_id=nudge.pk
            ).count()
            == 1
        )
    html = member_client.get(url(organisation, "inbox")).content.decode()
    assert header_label(html) == "Notifications, 1 unread"


def test_mark_all_read_marks_only_my_unread_inapp_nudges(member_client, organisation, member):
    mine = factories.NudgeFactory.create_batch(3, member=member)
    mailed = factories.NudgeFactory(member=member, channel=Nudge.Channel.EMAIL)
    colleague = factories.NudgeFactory(
        member=factories.MembershipFactory(organisation=organisation)
    )

    response = member_client.post(url(organisation, "nudges_read_all"), follow=True)

    assert response.redirect_chain[-1][0] == url(organisation, "inbox")
    assert all(read_at(organisation, *mine))
    assert read_at(organisation, mailed, colleague) == [None, None]
    html = response.content.decode()
    assert "3 notifications marked read." in html
    assert header_label(html) == "Notifications, none unread"
    assert "Mark all read" not in html
    with organisation_scope(organisation.pk):  # clearing the list is not opening each
        assert not LearningEvent.objects.filter(verb=LearningEvent.Verb.NUDGE_OPENED).exists()


def test_marking_read_needs_post(member_client, organisation, member):
    nudge = factories.NudgeFactory(member=member)

    assert member_client.get(url(organisation, "nudge_read", nudge)).status_code == 405
    assert member_client.get(url(organisation, "nudges_read_all")).status_code == 405
    assert read_at(organisation, nudge) == [None]


@pytest.mark.parametrize("name", ["nudge_read", "nudge_open"])
def test_another_members_nudge_is_404_and_stays_unread(member_client, organisation, name):
    theirs = factories.NudgeFactory(member=factories.MembershipFactory(organisation=organisation))

    assert member_client.post(url(organisation, name, theirs)).status_code == 404
    assert member_client.get(url(organisation, name, theirs)).status_code == 404
    assert read_at(organisation, theirs) == [None]


def test_another_organisations_nudge_is_404(member_client, organisation, other_organisation):
    theirs = factories.NudgeFactory(
        member=factories.MembershipFactory(organisation=other_organisation)
    )

    assert member_client.post(url(organisation, "nudge_read", theirs)).status_code == 404


def test_the_centre_works_without_javascript(member_client, organisation, member):
    factories.NudgeFactory(member=member, action_url="/o/acme/")

    html = member_client.get(url(organisation, "inbox")).content.decode()
    main = html[html.index("<main") : html.index("</main>")]

    # every action is a plain form that posts, with its CSRF token; no script, no onclick
    forms = re.findall(r"<form[^>]*>", main)
    assert len(forms) == 3  # mark all read, open, mark read
    assert all('method="post"' in form for form in forms)
    assert main.count("csrfmiddlewaretoken") == 3
    assert "<script" not in main and "onclick" not in main
