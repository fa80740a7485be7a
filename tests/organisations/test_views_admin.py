"""Organisation administration in the browser: members, invitations, teams, catalogue, settings."""

import pytest
from django.core import mail
from django.urls import reverse

from organisations import services
from organisations.models import Invitation, Membership, Skill, Team, WorkProcess
from organisations.tenancy import organisation_scope
from tests.conftest import make_member
from tests.factories import (
    InvitationFactory,
    SkillFactory,
    TeamFactory,
    UserFactory,
    WorkProcessFactory,
)

pytestmark = pytest.mark.django_db


def url(name, organisation, *args):
    return reverse(f"organisations:{name}", args=[organisation.slug, *args])


def reload(obj):
    with organisation_scope(obj.organisation_id):
        obj.refresh_from_db()
    return obj


ADMIN_PAGES = [
    "member_list",
    "invitation_list",
    "invitation_create",
    "invitation_bulk",
    "team_list",
    "team_create",
    "skill_list",
    "skill_create",
    "work_process_list",
    "work_process_create",
    "organisation_settings",
]


# --- Who may enter ---------------------------------------------------------------------
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_open_for_an_organisation_admin(org_admin_client, organisation, page):
    response = org_admin_client.get(url(page, organisation))

    assert response.status_code == 200
    assert b'aria-current="page"' in response.content


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_a_learner_gets_403_on_admin_pages(member_client, organisation, page):
    assert member_client.get(url(page, organisation)).status_code == 403


@pytest.mark.parametrize("role", ["is_author", "is_hr"])
def test_authors_and_hr_analysts_are_not_organisation_admins(client, organisation, role):
    client.force_login(make_member(organisation, **{role: True}).user)

    assert client.get(url("member_list", organisation)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, organisation):
    response = client.get(url("member_list", organisation))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_an_admin_of_another_organisation_gets_404(client, organisation, other_organisation):
    client.force_login(make_member(other_organisation, is_admin=True).user)

    assert client.get(url("member_list", organisation)).status_code == 404


@pytest.mark.parametrize(
    ("name", "method", "make"),
    [
        ("member_edit", "get", lambda org: make_member(org)),
        ("member_deactivate", "post", lambda org: make_member(org)),
        ("member_reactivate", "post", lambda org: make_member(org, is_active=False)),
        ("invitation_resend", "post", lambda org: InvitationFactory(organisation=org)),
        ("invitation_revoke", "post", lambda org: InvitationFactory(organisation=org)),
        ("team_edit", "get", lambda org: TeamFactory(organisation=org)),
        ("team_delete", "post", lambda org: TeamFactory(organisation=org)),
        ("skill_edit", "get", lambda org: SkillFactory(organisation=org)),
        ("skill_delete", "post", lambda org: SkillFactory(organisation=org)),
        ("work_process_edit", "get", lambda org: WorkProcessFactory(organisation=org)),
        ("work_process_delete", "post", lambda org: WorkProcessFactory(organisation=org)),
    ],
)
def test_ids_of_another_organisation_give_404_and_change_nothing(
    org_admin_client, organisation, other_organisation, name, method, make
):
    foreign = make(other_organisation)

    response = getattr(org_admin_client, method)(url(name, organisation, foreign.pk))

    assert response.status_code == 404
    with organisation_scope(other_organisation.pk):
        assert type(foreign).objects.filter(pk=foreign.pk).exists()
    assert mail.outbox == []


# --- Members ---------------------------------------------------------------------------
def test_member_list_shows_roles_team_and_status(org_admin_client, organisation):
    team = TeamFactory(organisation=organisation, name="Support")
    make_member(
        organisation,
        user=UserFactory(first_name="Ria", last_name="Vos"),
        team=team,
        is_author=True,
    )
    make_member(organisation, user=UserFactory(first_name="Old", last_name="Hand"), is_active=False)

    page = org_admin_client.get(url("member_list", organisation)).content.decode()

    assert "Ria Vos" in page and "Support" in page and "D author" in page
    assert "Deactivated" in page


def test_member_list_searches_name_and_email(org_admin_client, organisation):
    # The other members' names come from Faker; a surname it never makes keeps the search exact.
    make_member(
        organisation, user=UserFactory(first_name="Ria", last_name="Quaxel", email="r@example.test")
    )
    make_member(organisation, user=UserFactory(first_name="Bas", email="bas@werk.test"))

    by_name = org_admin_client.get(url("member_list", organisation), {"q": "quax"})
    by_email = org_admin_client.get(url("member_list", organisation), {"q": "werk.test"})

    assert [m.user.first_name for m in by_name.context["page"]] == ["Ria"]
    assert [m.user.first_name for m in by_email.context["page"]] == ["Bas"]


def test_member_list_is_paginated(org_admin_client, organisation, monkeypatch):
    monkeypatch.setattr("organisations.views.members.MEMBERS_PER_PAGE", 2)
    for _ in range(4):
        make_member(organisation)

    second = org_admin_client.get(url("member_list", organisation), {"page": 2})

    assert second.context["page"].number == 2
    assert second.context["page"].paginator.num_pages == 3
    assert 'rel="prev"' in second.content.decode()


def test_member_list_query_count_does_not_grow_with_members(
    org_admin_client, organisation, django_assert_max_num_queries
):
    teams = [TeamFactory(organisation=organisation) for _ in range(3)]
    for n in range(30):
        make_member(organisation, team=teams[n % 3], is_author=n % 2 == 0)

    # Session, user, organisation, tenant settings and savepoints, own membership, manager
    # check, switcher, count and one page: nothing per member.
    with django_assert_max_num_queries(15):
        response = org_admin_client.get(url("member_list", organisation))

    assert len(response.context["page"].object_list) == 31


def test_admin_changes_roles_and_team_of_a_member(org_admin_client, organisation):
    member = make_member(organisation)
    team = TeamFactory(organisation=organisation)

    response = org_admin_client.post(
        url("member_edit", organisation, member.pk), {"is_hr": "on", "team": team.pk}
    )

    assert response.status_code == 302
    member = reload(member)
    assert (member.is_hr, member.is_author, member.team_id) == (True, False, team.pk)


def test_last_admin_demoting_themselves_sees_a_clear_error(
    org_admin_client, organisation, org_admin
):
    response = org_admin_client.post(url("member_edit", organisation, org_admin.pk), {})

    assert response.status_code == 200
    assert str(services.ERROR_LAST_ADMIN_DEMOTE) in response.content.decode()
    assert reload(org_admin).is_admin


def test_last_admin_deactivating_themselves_sees_a_clear_error(
    org_admin_client, organisation, org_admin
):
    response = org_admin_client.post(
        url("member_deactivate", organisation, org_admin.pk), follow=True
    )

    assert str(services.ERROR_LAST_ADMIN_DEACTIVATE) in response.content.decode()
    assert reload(org_admin).is_active


def test_admin_deactivates_and_reactivates_a_member(org_admin_client, organisation):
    member = make_member(organisation)

    org_admin_client.post(url("member_deactivate", organisation, member.pk))
    assert not reload(member).is_active
    org_admin_client.post(url("member_reactivate", organisation, member.pk))

    assert reload(member).is_active


def test_deactivating_needs_a_post(org_admin_client, organisation):
    member = make_member(organisation)

    assert (
        org_admin_client.get(url("member_deactivate", organisation, member.pk)).status_code == 405
    )
    assert reload(member).is_active


def test_a_deactivated_member_loses_access(client, organisation, org_admin_client):
    member = make_member(organisation)
    org_admin_client.post(url("member_deactivate", organisation, member.pk))

    client.force_login(member.user)

    assert client.get(reverse("microlearning:home", args=[organisation.slug])).status_code == 404


# --- Invitations ------------------------------------------------------------------------
def test_admin_invites_one_person_and_the_mail_follows_the_commit(
    org_admin_client, organisation, django_capture_on_commit_callbacks, eager_tasks
):
    team = TeamFactory(organisation=organisation)

    with django_capture_on_commit_callbacks(execute=True):
        response = org_admin_client.post(
            url("invitation_create", organisation),
            {"email": "Sam@Example.test", "is_author": "on", "team": team.pk},
        )

    assert response.status_code == 302
    with organisation_scope(organisation.pk):
        invitation = Invitation.objects.get()
    assert (invitation.email, invitation.is_author, invitation.team_id) == (
        "sam@example.test",
        True,
        team.pk,
    )
    (message,) = mail.outbox
    assert message.to == ["sam@example.test"]


def test_inviting_an_existing_member_shows_a_field_error(org_admin_client, organisation):
    member = make_member(organisation)

    response = org_admin_client.post(
        url("invitation_create", organisation), {"email": member.user.email}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert "already a member" in response.content.decode()


def test_bulk_invite_page_reports_every_address(
    org_admin_client, organisation, django_capture_on_commit_callbacks, eager_tasks
):
    member = make_member(organisation)
    InvitationFactory(organisation=organisation, email="waiting@example.test")

    with django_capture_on_commit_callbacks(execute=True):
        response = org_admin_client.post(
            url("invitation_bulk", organisation),
            {
                "addresses": f"one@example.test, two@example.test;{member.user.email}\n"
                "waiting@example.test oops@",
                "is_hr": "on",
            },
        )

    page = response.content.decode()
    assert response.status_code == 200
    assert "2 invitations sent" in page
    assert "Already a member" in page and "Already invited" in page
    assert "Not a valid e-mail address" in page
    assert len(mail.outbox) == 2
    with organisation_scope(organisation.pk):
        assert Invitation.objects.filter(is_hr=True).count() == 2


def test_bulk_invite_with_no_addresses_shows_a_field_error(org_admin_client, organisation):
    response = org_admin_client.post(url("invitation_bulk", organisation), {"addresses": " ;, "})

    assert response.context["form"].errors["addresses"]


def test_pending_invitations_are_listed_resent_and_revoked(
    org_admin_client, organisation, django_capture_on_commit_callbacks, eager_tasks
):
    invitation = InvitationFactory(organisation=organisation, email="wait@example.test")
    accepted = InvitationFactory(organisation=organisation, email="done@example.test")
    with organisation_scope(organisation.pk):
        Invitation.objects.filter(pk=accepted.pk).update(accepted_at="2026-01-01T00:00Z")

    page = org_admin_client.get(url("invitation_list", organisation)).content.decode()
    assert "wait@example.test" in page and "done@example.test" not in page

    with django_capture_on_commit_callbacks(execute=True):
        org_admin_client.post(url("invitation_resend", organisation, invitation.pk))
    assert mail.outbox[0].to == ["wait@example.test"]

    org_admin_client.post(url("invitation_revoke", organisation, invitation.pk))
    with organisation_scope(organisation.pk):
        assert not Invitation.objects.filter(pk=invitation.pk).exists()


# --- Teams ---------------------------------------------------------------------------
def test_team_tree_shows_sub_teams_below_their_parent(org_admin_client, organisation):
    manager = make_member(organisation, user=UserFactory(first_name="Mira", last_name="Smit"))
    top = TeamFactory(organisation=organisation, name="Operations", manager=manager)
    TeamFactory(organisation=organisation, name="Night shift", parent=top)

    response = org_admin_client.get(url("team_list", organisation))

    (root,) = response.context["tree"]
    assert root.team.name == "Operations"
    assert [child.team.name for child in root.children] == ["Night shift"]
    assert "Mira Smit" in response.content.decode()


def test_admin_creates_a_team_with_a_manager(org_admin_client, organisation):
    manager = make_member(organisation)
    parent = TeamFactory(organisation=organisation)

    response = org_admin_client.post(
        url("team_create", organisation),
        {"name": "Field service", "parent": parent.pk, "manager": manager.pk},
    )

    assert response.status_code == 302
    with organisation_scope(organisation.pk):
        team = Team.objects.get(name="Field service")
    assert (team.parent_id, team.manager_id) == (parent.pk, manager.pk)


def test_moving_a_team_below_its_sub_team_shows_a_clear_error(org_admin_client, organisation):
    top = TeamFactory(organisation=organisation, name="Top")
    below = TeamFactory(organisation=organisation, name="Below", parent=top)

    response = org_admin_client.post(
        url("team_edit", organisation, top.pk), {"name": "Top", "parent": below.pk}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["parent"] == [str(services.ERROR_TEAM_CYCLE)]
    assert reload(top).parent_id is None


def test_a_deactivated_member_cannot_be_chosen_as_manager(org_admin_client, organisation):
    gone = make_member(organisation, is_active=False)

    response = org_admin_client.post(
        url("team_create", organisation), {"name": "X", "manager": gone.pk}
    )

    assert response.context["form"].errors["manager"]


def test_admin_deletes_an_empty_team_but_not_a_full_one(org_admin_client, organisation):
    empty = TeamFactory(organisation=organisation)
    full = TeamFactory(organisation=organisation)
    make_member(organisation, team=full)

    assert org_admin_client.get(url("team_delete", organisation, empty.pk)).status_code == 200
    org_admin_client.post(url("team_delete", organisation, empty.pk))
    response = org_admin_client.post(url("team_delete", organisation, full.pk), follow=True)

    assert str(services.ERROR_TEAM_NOT_EMPTY) in response.content.decode()
    with organisation_scope(organisation.pk):
        assert list(Team.objects.values_list("pk", flat=True)) == [full.pk]


# --- Skills and work processes ------------------------------------------------------------
@pytest.mark.parametrize(("prefix", "model"), [("skill", Skill), ("work_process", WorkProcess)])
def test_admin_creates_edits_and_deletes_catalogue_items(
    org_admin_client, organisation, prefix, model
):
    org_admin_client.post(url(f"{prefix}_create", organisation), {"name": "Intake"})
    with organisation_scope(organisation.pk):
        item = model.objects.get()

    listing = org_admin_client.get(url(f"{prefix}_list", organisation)).content.decode()
    assert "Intake" in listing
    org_admin_client.post(
        url(f"{prefix}_edit", organisation, item.pk), {"name": "First intake", "description": "d"}
    )
    assert reload(item).name == "First intake"
    org_admin_client.post(url(f"{prefix}_delete", organisation, item.pk))

    with organisation_scope(organisation.pk):
        assert not model.objects.exists()


def test_a_duplicate_skill_name_shows_a_field_error(org_admin_client, organisation):
    SkillFactory(organisation=organisation, name="Coaching")

    response = org_admin_client.post(url("skill_create", organisation), {"name": "coaching"})

    assert response.context["form"].errors["name"] == [str(services.ERROR_NAME_TAKEN)]


# --- Settings ---------------------------------------------------------------------------
def test_admin_changes_the_organisation_settings(org_admin_client, organisation):
    response = org_admin_client.post(
        url("organisation_settings", organisation),
        {
            "name": "Acme BV",
            "language": "nl",
            "time_zone": "Europe/Brussels",
            "nudge_after_days": 7,
        },
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.time_zone, organisation.nudge_after_days) == (
        "Acme BV",
        "Europe/Brussels",
        7,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Atlantis/Capital"), ("nudge_after_days", "0"), ("language", "de")],
)
def test_bad_settings_show_field_errors(org_admin_client, organisation, field, value):
    data = {"name": "Acme", "language": "en", "time_zone": "UTC", "nudge_after_days": 3}

    response = org_admin_client.post(
        url("organisation_settings", organisation), {**data, field: value}
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    organisation.refresh_from_db()
    assert organisation.time_zone != "Atlantis/Capital"


def test_membership_rows_stay_when_a_member_is_deactivated(org_admin_client, organisation):
    member = make_member(organisation, is_hr=True)

    org_admin_client.post(url("member_deactivate", organisation, member.pk))

    with organisation_scope(organisation.pk):
        kept = Membership.objects.get(pk=member.pk)
    assert kept.is_hr and not kept.is_active
