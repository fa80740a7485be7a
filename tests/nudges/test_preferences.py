"""A member's time: working time in their time zone, channels per category, the daily maximum."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from nudges import services
from nudges.models import Nudge, NudgeDefaults, NudgePreferences, NudgeRule
from nudges.services import preferences
from nudges.services.preferences import Window, is_working_time, next_working_moment
from organisations.tenancy import organisation_scope
from tests import factories

pytestmark = pytest.mark.django_db

UTC = dt.UTC
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
OFFICE = {"work_days": [0, 1, 2, 3, 4], "quiet_from": dt.time(18), "quiet_until": dt.time(8)}


def office(time_zone="Europe/Amsterdam", **changes) -> Window:
    fields = {
        "work_days": frozenset(OFFICE["work_days"]),
        "quiet_from": OFFICE["quiet_from"],
        "quiet_until": OFFICE["quiet_until"],
        **changes,
    }
    return Window(time_zone=time_zone, **fields)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def local(zone, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


# --- working time ---------------------------------------------------------------------------


def test_a_moment_inside_working_time_is_its_own_next_working_moment():
    thursday_noon = local("Europe/Amsterdam", 2026, 12, 3, 12, 0)

    assert next_working_moment(office(), thursday_noon) == thursday_noon
    assert is_working_time(office(), thursday_noon)


def test_quiet_hours_that_wrap_midnight_wait_for_the_morning():
    thursday_late = local("Europe/Amsterdam", 2026, 12, 3, 22, 30)

    assert next_working_moment(office(), thursday_late) == local(
        "Europe/Amsterdam", 2026, 12, 4, 8, 0
    )


def test_friday_evening_waits_for_monday_morning():
    friday_evening = local("Europe/Amsterdam", 2026, 12, 4, 19, 0)

    assert next_working_moment(office(), friday_evening) == local(
        "Europe/Amsterdam", 2026, 12, 7, 8, 0
    )


def test_quiet_hours_inside_the_day_leave_the_morning_and_the_afternoon():
    lunch = office(quiet_from=dt.time(12), quiet_until=dt.time(13))

    assert next_working_moment(lunch, local("Europe/Amsterdam", 2026, 12, 3, 12, 10)) == local(
        "Europe/Amsterdam", 2026, 12, 3, 13, 0
    )
    assert is_working_time(lunch, local("Europe/Amsterdam", 2026, 12, 3, 23, 0))


def test_a_member_in_another_time_zone_works_on_their_own_clock():
    # 13:30 in Amsterdam is 07:30 in New York: before that member's day begins.
    moment = utc(2026, 12, 3, 12, 30)

    assert is_working_time(office("Europe/Amsterdam"), moment)
    assert next_working_moment(office("America/New_York"), moment) == local(
        "America/New_York", 2026, 12, 3, 8, 0
    )
    assert next_working_moment(office("America/New_York"), moment) == utc(2026, 12, 3, 13, 0)


def test_the_spring_daylight_saving_change_keeps_eight_oclock_local():
    # Sunday 28 March 2027, 02:00 CET becomes 03:00 CEST in Amsterdam.
    every_day = office(work_days=frozenset(range(7)))
    saturday_evening = utc(2027, 3, 27, 19, 0)  # 20:00 CET

    assert next_working_moment(every_day, saturday_evening) == utc(2027, 3, 28, 6, 0)


def test_the_autumn_daylight_saving_change_keeps_eight_oclock_local():
    # Sunday 25 October 2026, 03:00 CEST becomes 02:00 CET in Amsterdam.
    every_day = office(work_days=frozenset(range(7)))
    saturday_evening = utc(2026, 10, 24, 18, 0)  # 20:00 CEST

    assert next_working_moment(every_day, saturday_evening) == utc(2026, 10, 25, 7, 0)


def test_quiet_hours_ending_in_the_skipped_hour_end_at_the_first_real_moment():
    night = office(
        work_days=frozenset(range(7)), quiet_from=dt.time(23), quiet_until=dt.time(2, 30)
    )

    # 02:30 does not exist on 28 March 2027 in Amsterdam (02:00 CET jumps to 03:00 CEST):
    # it reads as 03:30 CEST, an hour later, never as a moment inside the quiet hours.
    assert next_working_moment(night, utc(2027, 3, 27, 23, 0)) == utc(2027, 3, 28, 1, 30)


def test_without_any_choice_nudges_go_out_at_any_time(organisation, member):
    with organisation_scope(organisation.pk):
        window = preferences.member_windows(organisation=organisation, member_ids=[member.pk])[
            member.pk
        ]

    assert window.daily_maximum is None
    assert is_working_time(window, local("Europe/Amsterdam", 2026, 12, 6, 3, 0))  # Sunday night


# --- planning -------------------------------------------------------------------------------


def own_preferences(member, **fields) -> NudgePreferences:
    with organisation_scope(member.organisation_id):
        return preferences.nudge_preferences_save(member=member, **fields)


def test_planning_makes_a_nudge_due_at_each_members_next_working_moment(assigned):
    own_preferences(assigned.member, time_zone="America/New_York", **OFFICE)
    with organisation_scope(assigned.organisation.pk):
        NudgeDefaults.objects.create(organisation=assigned.organisation, **OFFICE)
        rule = factories.NudgeRuleFactory(organisation=assigned.organisation)
        saturday = utc(2026, 12, 5, 10, 0)

        services.nudges_create_missing(
            rule=rule,
            now=saturday,
            wanted=[(assigned.member.pk, "k", {}), (assigned.sub_member.pk, "k", {})],
        )
        due = dict(
            Nudge.objects.filter(channel=Nudge.Channel.EMAIL).values_list("member_id", "due_at")
        )

    assert due == {
        assigned.member.pk: local("America/New_York", 2026, 12, 7, 8, 0),
        assigned.sub_member.pk: local("Europe/Amsterdam", 2026, 12, 7, 8, 0),
    }


def test_planning_loads_the_preferences_of_all_members_in_the_same_queries(
    organisation, django_assert_num_queries
):
    members = [factories.MembershipFactory(organisation=organisation) for _ in range(6)]
    for member in members[:3]:
        own_preferences(member, time_zone="Asia/Tokyo")
    with organisation_scope(organisation.pk):
        rule = factories.NudgeRuleFactory(organisation=organisation)
        rule = NudgeRule.objects.select_related("organisation").get(pk=rule.pk)
        now = timezone.now()

        def plan(wanted_members, key):
            services.nudges_create_missing(
                rule=rule, now=now, wanted=[(m.pk, key, {}) for m in wanted_members]
            )

        # existing rows, defaults, preferences, insert: the same for one member or six
        with django_assert_num_queries(4):
            plan(members[:1], "one")
        with django_assert_num_queries(4):
            plan(members, "six")


def test_a_channel_switched_off_for_a_category_is_not_planned(assigned):
    own_preferences(assigned.member, switched_off=["finish:email"])

    with organisation_scope(assigned.organisation.pk):
        services.nudges_plan_due(organisation=assigned.organisation, now=assigned.now)
        channels = {
            member_id: sorted(Nudge.objects.filter(member_id=member_id).values_list("channel"))
            for member_id in (assigned.member.pk, assigned.sub_member.pk)
        }

    assert channels[assigned.member.pk] == [("in_app",)]
    assert channels[assigned.sub_member.pk] == [("email",), ("in_app",)]


# --- at send time ---------------------------------------------------------------------------


def claimed(member, **fields) -> Nudge:
    """An e-mail nudge a dispatcher claimed for ``member``, about a unit assigned to them."""
    with organisation_scope(member.organisation_id):
        unit = factories.UnitFactory(organisation=member.organisation)
        factories.AssignmentFactory(unit=unit, member=member)
        fields = {
            "channel": Nudge.Channel.EMAIL,
            "status": Nudge.Status.SENDING,
            "sent_at": None,
            "lease_until": timezone.now() + services.LEASE,
            **fields,
        }
        return factories.NudgeFactory(member=member, unit=unit, **fields)


def send(nudge) -> Nudge:
    services.nudge_send(organisation_id=nudge.organisation_id, nudge_id=nudge.pk)
    with organisation_scope(nudge.organisation_id):
        return Nudge.objects.get(pk=nudge.pk)


@pytest.fixture
def at(monkeypatch):
    """Run the sender as if it were ``moment``."""

    def set_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now


def test_a_nudge_due_in_quiet_hours_goes_back_to_planned_until_the_morning(member, at):
    own_preferences(member, **OFFICE)
    nudge = claimed(member)
    at(local("Europe/Amsterdam", 2026, 12, 3, 21, 0))

    nudge = send(nudge)

    assert nudge.status == Nudge.Status.PLANNED
    assert nudge.due_at == local("Europe/Amsterdam", 2026, 12, 4, 8, 0)
    assert nudge.lease_until is None and nudge.attempts == 0
    assert mail.outbox == []


def test_a_nudge_in_working_time_goes_out(member, at):
    own_preferences(member, **OFFICE)
    nudge = claimed(member)
    at(local("Europe/Amsterdam", 2026, 12, 3, 9, 0))

    assert send(nudge).status == Nudge.Status.SENT
    assert len(mail.outbox) == 1


def test_a_category_switched_off_after_planning_is_cancelled_as_unsubscribed(member):
    nudge = claimed(member)
    own_preferences(member, switched_off=["finish:email"])

    nudge = send(nudge)

    assert nudge.status == Nudge.Status.CANCELLED
    assert nudge.cancel_reason == Nudge.CancelReason.UNSUBSCRIBED
    assert mail.outbox == []


# --- the daily maximum and the digest -------------------------------------------------------


def test_nudges_above_the_daily_maximum_are_bundled_into_one_digest_for_the_next_day(member, at):
    own_preferences(member, work_days=list(range(7)), quiet_from=None, quiet_until=None)
    own_preferences(member, daily_maximum=2)
    thursday = local("Europe/Amsterdam", 2026, 12, 3, 10, 0)
    at(thursday)
    nudges = [claimed(member) for _ in range(4)]

    statuses = [send(nudge).status for nudge in nudges]

    assert statuses == ["sent", "sent", "bundled", "bundled"]
    assert len(mail.outbox) == 2
    with organisation_scope(member.organisation_id):
        (digest,) = Nudge.objects.filter(kind=Nudge.Kind.DIGEST)
        bundled = set(Nudge.objects.filter(digest=digest).values_list("pk", flat=True))
    assert bundled == {nudges[2].pk, nudges[3].pk}
    assert digest.status == Nudge.Status.PLANNED
    assert digest.channel == Nudge.Channel.EMAIL
    assert digest.due_at == local("Europe/Amsterdam", 2026, 12, 4, 0, 0)
    assert digest.rule.kind == NudgeRule.Kind.DIGEST and digest.rule.is_active

    # The next day the digest goes out with both reminders and their own links.
    at(local("Europe/Amsterdam", 2026, 12, 4, 0, 1))
    with organisation_scope(member.organisation_id):
        services.nudges_transition(
            organisation_id=member.organisation_id,
            ids=[digest.pk],
            source=Nudge.Status.PLANNED,
            target=Nudge.Status.SENDING,
            lease_until=timezone.now() + services.LEASE,
        )
    digest = send(digest)

    assert digest.status == Nudge.Status.SENT
    message = mail.outbox[-1]
    assert "2" in message.subject
    assert message.body.count("/n/c/") >= 3  # the action and one link per reminder
    for nudge in nudges[2:]:
        assert nudge.unit.title in message.body


def test_the_digest_waits_for_the_next_working_moment(member, at):
    own_preferences(member, daily_maximum=1, **OFFICE)
    friday = local("Europe/Amsterdam", 2026, 12, 4, 11, 0)
    at(friday)
    send(claimed(member))

    assert send(claimed(member)).status == Nudge.Status.BUNDLED
    with organisation_scope(member.organisation_id):
        digest = Nudge.objects.get(kind=Nudge.Kind.DIGEST)
    assert digest.due_at == local("Europe/Amsterdam", 2026, 12, 7, 8, 0)


def test_a_digest_whose_reminders_were_all_done_is_cancelled_and_sends_nothing(member, at):
    own_preferences(member, daily_maximum=1, work_days=list(range(7)))
    at(local("Europe/Amsterdam", 2026, 12, 3, 10, 0))
    send(claimed(member))
    bundled = send(claimed(member))
    with organisation_scope(member.organisation_id):
        factories.CompletionFactory(member=member, unit=bundled.unit)
        digest = Nudge.objects.get(kind=Nudge.Kind.DIGEST)
        services.nudges_transition(
            organisation_id=member.organisation_id,
            ids=[digest.pk],
            source=Nudge.Status.PLANNED,
            target=Nudge.Status.SENDING,
            lease_until=timezone.now() + services.LEASE,
        )

    digest = send(digest)

    assert digest.status == Nudge.Status.CANCELLED
    assert digest.cancel_reason == Nudge.CancelReason.FULFILLED
    assert len(mail.outbox) == 1


def test_in_app_and_email_are_counted_apart(member, at):
    own_preferences(member, daily_maximum=1, work_days=list(range(7)))
    at(local("Europe/Amsterdam", 2026, 12, 3, 10, 0))
    send(claimed(member))

    in_app = claimed(member, channel=Nudge.Channel.IN_APP)

    assert send(in_app).status == Nudge.Status.SENT


# --- the pages ------------------------------------------------------------------------------


def preferences_url(organisation):
    return reverse("nudges:preferences", args=[organisation.slug])


def preferences_form(**changes) -> dict:
    data = {
        "work_days": ["0", "1", "2", "3", "4"],
        "quiet_from": "18:00",
        "quiet_until": "08:00",
        "daily_maximum": "3",
        "time_zone": "",
    }
    for category in preferences.CATEGORIES:
        for channel in Nudge.Channel:
            data[f"channel_{category}_{channel}"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_preferences_page_shows_the_organisation_defaults_until_the_member_saves(
    member_client, organisation
):
    with organisation_scope(organisation.pk):
        NudgeDefaults.objects.create(organisation=organisation, daily_maximum=4, **OFFICE)

    response = member_client.get(preferences_url(organisation))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["daily_maximum"] == 4
    assert form.initial["work_days"] == ["0", "1", "2", "3", "4"]
    assert response.context["own"] is None


def test_a_member_saves_their_own_preferences(member_client, member, organisation):
    response = member_client.post(
        preferences_url(organisation),
        preferences_form(time_zone="Asia/Tokyo", work_days=["0", "2"], channel_repeat_email=None),
    )

    assert response.status_code == 302
    with organisation_scope(organisation.pk):
        own = NudgePreferences.objects.get(member=member)
    assert own.time_zone == "Asia/Tokyo"
    assert own.work_days == [0, 2]
    assert own.switched_off == ["repeat:email"]
    assert own.daily_maximum == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quiet_from": "09:00", "quiet_until": "09:00"}, "quiet_until"),
        ({"quiet_from": "09:00", "quiet_until": ""}, "quiet_until"),
        ({"daily_maximum": "0"}, "daily_maximum"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"work_days": None}, "work_days"),
    ],
)
def test_bad_preferences_are_field_errors_and_save_nothing(
    member_client, organisation, changes, field
):
    response = member_client.post(preferences_url(organisation), preferences_form(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    with organisation_scope(organisation.pk):
        assert not NudgePreferences.objects.exists()


def test_an_admin_sets_the_organisation_defaults(client, organisation):
    admin = factories.MembershipFactory(organisation=organisation, is_admin=True)
    client.force_login(admin.user)
    data = preferences_form(daily_maximum="2")
    del data["time_zone"]

    response = client.post(reverse("nudges:defaults", args=[organisation.slug]), data)

    assert response.status_code == 302
    with organisation_scope(organisation.pk):
        defaults = NudgeDefaults.objects.get(organisation=organisation)
    assert defaults.daily_maximum == 2
    assert defaults.quiet_from == dt.time(18)


def test_the_organisation_defaults_refuse_whole_day_quiet_hours(client, organisation):
    admin = factories.MembershipFactory(organisation=organisation, is_admin=True)
    client.force_login(admin.user)
    data = preferences_form(quiet_from="00:00", quiet_until="00:00")

    response = client.post(reverse("nudges:defaults", args=[organisation.slug]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["quiet_until"]


def test_a_learner_cannot_change_the_organisation_defaults(member_client, organisation):
    response = member_client.get(reverse("nudges:defaults", args=[organisation.slug]))

    assert response.status_code in (403, 404)
