"""Business rules of organisation administration, proven at the service level."""

from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError

from organisations import services, tasks
from organisations.models import AuditLog, Invitation, Membership, OutboxMessage
from organisations.services import BulkInviteOutcome, InvitationProblem
from organisations.tenancy import organisation_scope
from tests.conftest import make_member
from tests.factories import (
    InvitationFactory,
    SkillFactory,
    TeamFactory,
    UserFactory,
    WorkProcessFactory,
)

from .helpers import token_signed_days_ago

pytestmark = pytest.mark.django_db


def audit_actions(organisation) -> list[str]:
    with organisation_scope(organisation.pk):
        return list(AuditLog.objects.order_by("created_at", "pk").values_list("action", flat=True))


# --- Members -------------------------------------------------------------------------
def test_member_update_changes_roles_and_team_and_writes_an_audit_row(organisation, org_admin):
    member = make_member(organisation)
    team = TeamFactory(organisation=organisation)

    with organisation_scope(organisation.pk):
        services.member_update(
            membership=member, by=org_admin, is_author=True, is_hr=True, is_admin=False, team=team
        )
        member.refresh_from_db()

    assert (member.is_author, member.is_hr, member.is_admin, member.team_id) == (
        True,
        True,
        False,
        team.pk,
    )
    assert audit_actions(organisation) == ["member.updated"]


def test_last_admin_cannot_give_up_the_admin_role(organisation, org_admin):
    with organisation_scope(organisation.pk), pytest.raises(ValidationError) as caught:
        services.member_update(
            membership=org_admin,
            by=org_admin,
            is_author=False,
            is_hr=False,
            is_admin=False,
            team=None,
        )

    assert caught.value.message_dict["is_admin"] == [str(services.ERROR_LAST_ADMIN_DEMOTE)]
    org_admin.refresh_from_db()
    assert org_admin.is_admin


def test_an_admin_may_step_down_when_another_active_admin_remains(organisation, org_admin):
    make_member(organisation, is_admin=True)

    with organisation_scope(organisation.pk):
        services.member_update(
            membership=org_admin,
            by=org_admin,
            is_author=False,
            is_hr=False,
            is_admin=False,
            team=None,
        )

    org_admin.refresh_from_db()
    assert not org_admin.is_admin


def test_a_deactivated_admin_does_not_count_as_the_remaining_admin(organisation, org_admin):
    make_member(organisation, is_admin=True, is_active=False)

    with organisation_scope(organisation.pk), pytest.raises(ValidationError):
        services.member_deactivate(membership=org_admin, by=org_admin)


def test_last_admin_cannot_be_deactivated(organisation, org_admin):
    with organisation_scope(organisation.pk), pytest.raises(ValidationError) as caught:
        services.member_deactivate(membership=org_admin, by=org_admin)

    assert caught.value.messages == [str(services.ERROR_LAST_ADMIN_DEACTIVATE)]


def test_deactivating_keeps_the_membership_and_reactivating_restores_it(organisation, org_admin):
    member = make_member(organisation, is_author=True)

    with organisation_scope(organisation.pk):
        services.member_deactivate(membership=member, by=org_admin)
        services.member_deactivate(membership=member, by=org_admin)  # twice is a no-op
        assert Membership.objects.filter(pk=member.pk, is_active=False, is_author=True).exists()
        services.member_reactivate(membership=member, by=org_admin)

    member.refresh_from_db()
    assert member.is_active
    assert audit_actions(organisation) == ["member.deactivated", "member.reactivated"]


def test_member_cannot_be_placed_in_another_organisations_team(
    organisation, other_organisation, org_admin
):
    member = make_member(organisation)
    foreign_team = TeamFactory(organisation=other_organisation)

    with organisation_scope(organisation.pk), pytest.raises(ValidationError) as caught:
        services.member_update(
            membership=member,
            by=org_admin,
            is_author=False,
            is_hr=False,
            is_admin=False,
            team=foreign_team,
        )

    assert "team" in caught.value.message_dict


# --- Teams ---------------------------------------------------------------------------
def test_team_cannot_be_moved_below_its_own_sub_team(organisation, org_admin):
    top = TeamFactory(organisation=organisation, name="Top")
    middle = TeamFactory(organisation=organisation, name="Middle", parent=top)
    bottom = TeamFactory(organisation=organisation, name="Bottom", parent=middle)

    with organisation_scope(organisation.pk), pytest.raises(ValidationError) as caught:
        services.team_update(team=top, by=org_admin, name="Top", parent=bottom, manager=None)

    assert caught.value.message_dict["parent"] == [str(services.ERROR_TEAM_CYCLE)]


def test_team_cannot_be_its_own_parent(organisation, org_admin):
    team = TeamFactory(organisation=organisation)

    with organisation_scope(organisation.pk), pytest.raises(ValidationError):
        services.team_update(team=team, by=org_admin, name=team.name, parent=team, manager=None)


def test_team_manager_must_be_an_active_member(organisation, org_admin):
    gone = make_member(organisation, is_active=False)

    with organisation_scope(organisation.pk), pytest.raises(ValidationError) as caught:
        services.team_create(by=org_admin, name="Sales", manager=gone)

    assert caught.value.message_dict["manager"] == [str(services.ERROR_MANAGER_NOT_ACTIVE)]


def test_team_names_are_unique_ignoring_case(organisation, org_admin):
    TeamFactory(organisation=organisation, name="Sales")

    with organisation_scope(organisation.pk), pytest.raises(ValidationError) as caught:
        services.team_create(by=org_admin, name="sales")

    assert caught.value.message_dict["name"] == [str(services.ERROR_NAME_TAKEN)]


def test_only_an_empty_team_can_be_deleted(organisation, org_admin):
    team = TeamFactory(organisation=organisation)
    make_member(organisation, team=team, is_active=False)
    empty = TeamFactory(organisation=organisation)

    with organisation_scope(organisation.pk):
        with pytest.raises(ValidationError):
            services.team_delete(team=team, by=org_admin)
        services.team_delete(team=empty, by=org_admin)
        assert not type(empty).objects.filter(pk=empty.pk).exists()


# --- Skills, work processes, settings ---------------------------------------------------
def test_skills_and_work_processes_are_created_renamed_and_deleted(organisation, org_admin):
    with organisation_scope(organisation.pk):
        skill = services.skill_create(by=org_admin, name="Listening", description="")
        services.skill_update(skill=skill, by=org_admin, name="Active listening", description="x")
        process = services.work_process_create(by=org_admin, name="Intake")
        services.work_process_delete(work_process=process, by=org_admin)
        services.skill_delete(skill=skill, by=org_admin)

    assert audit_actions(organisation) == [
        "skill.created",
        "skill.updated",
        "work_process.created",
        "work_process.deleted",
        "skill.deleted",
    ]


def test_skill_name_must_be_unique_within_the_organisation_only(
    organisation, other_organisation, org_admin
):
    SkillFactory(organisation=other_organisation, name="Coaching")
    WorkProcessFactory(organisation=organisation, name="Coaching")

    with organisation_scope(organisation.pk):
        services.skill_create(by=org_admin, name="Coaching")
        with pytest.raises(ValidationError):
            services.skill_create(by=org_admin, name="COACHING")


def test_organisation_settings_reject_an_unknown_time_zone(organisation, org_admin):
    with organisation_scope(organisation.pk), pytest.raises(ValidationError) as caught:
        services.organisation_update(
            organisation=organisation,
            by=org_admin,
            name="Acme",
            language="nl",
            time_zone="Mars/Olympus_Mons",
            nudge_after_days=3,
        )

    assert "time_zone" in caught.value.message_dict


def test_organisation_settings_are_saved(organisation, org_admin):
    with organisation_scope(organisation.pk):
        services.organisation_update(
            organisation=organisation,
            by=org_admin,
            name="Acme BV",
            language="nl",
            time_zone="America/Curacao",
            nudge_after_days=5,
        )

    organisation.refresh_from_db()
    assert (organisation.name, organisation.language, organisation.time_zone) == (
        "Acme BV",
        "nl",
        "America/Curacao",
    )
    assert organisation.nudge_after_days == 5


# --- Invitations -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a@x.nl,b@x.nl", ["a@x.nl", "b@x.nl"]),
        ("a@x.nl; b@x.nl\n\nc@x.nl\td@x.nl", ["a@x.nl", "b@x.nl", "c@x.nl", "d@x.nl"]),
        ("Jan <jan@x.nl>, 'kim@x.nl'", ["Jan", "jan@x.nl", "kim@x.nl"]),
        ("a@x.nl A@X.NL a@x.nl", ["a@x.nl"]),
        (" ;, \n", []),
    ],
)
def test_pasted_addresses_are_split_on_any_separator_and_listed_once(text, expected):
    assert services.invitation_addresses_parse(text) == expected


def test_bulk_invite_reports_each_address_and_invites_the_valid_new_ones(
    organisation, org_admin, django_capture_on_commit_callbacks, eager_tasks
):
    make_member(organisation, user=UserFactory(email="member@example.test"))
    InvitationFactory(organisation=organisation, email="pending@example.test")
    team = TeamFactory(organisation=organisation)

    with django_capture_on_commit_callbacks(execute=True), organisation_scope(organisation.pk):
        results = services.invitations_bulk_create(
            by=org_admin,
            text="new1@example.test; Member@example.test,\npending@example.test not-an-address "
            "new2@example.test",
            is_author=True,
            team=team,
        )

    assert [(r.address, r.outcome) for r in results] == [
        ("new1@example.test", BulkInviteOutcome.INVITED),
        ("Member@example.test", BulkInviteOutcome.ALREADY_MEMBER),
        ("pending@example.test", BulkInviteOutcome.ALREADY_INVITED),
        ("not-an-address", BulkInviteOutcome.INVALID),
        ("new2@example.test", BulkInviteOutcome.INVITED),
    ]
    with organisation_scope(organisation.pk):
        created = Invitation.objects.filter(email__startswith="new")
        assert {(i.email, i.is_author, i.team_id) for i in created} == {
            ("new1@example.test", True, team.pk),
            ("new2@example.test", True, team.pk),
        }
    assert sorted(m.to[0] for m in mail.outbox) == ["new1@example.test", "new2@example.test"]


def test_bulk_invite_creates_all_or_nothing(organisation, org_admin, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(AuditLog.objects, "bulk_create", fail)

    with organisation_scope(organisation.pk):
        with pytest.raises(RuntimeError):
            services.invitations_bulk_create(by=org_admin, text="a@example.test b@example.test")
        assert not Invitation.objects.exists()


def test_bulk_invite_refuses_an_empty_or_oversized_list(organisation, org_admin):
    too_many = " ".join(f"p{n}@example.test" for n in range(services.BULK_INVITE_LIMIT + 1))

    with organisation_scope(organisation.pk):
        for text in (" , ;", too_many):
            with pytest.raises(ValidationError) as caught:
                services.invitations_bulk_create(by=org_admin, text=text)
            assert "addresses" in caught.value.message_dict


def test_invitation_mail_goes_out_only_after_commit_in_the_organisations_language(
    organisation, org_admin, django_capture_on_commit_callbacks, eager_tasks
):
    organisation.language = "nl"
    organisation.save()

    with django_capture_on_commit_callbacks() as callbacks, organisation_scope(organisation.pk):
        invitation = services.invitation_create(by=org_admin, email="New@Example.test")
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    (message,) = mail.outbox
    assert message.to == ["new@example.test"]
    assert invitation.email == "new@example.test"
    html = message.alternatives[0][0]
    assert "/invitations/" in message.body and "/invitations/" in html
    assert "Acme" in message.subject
    # Rendered inside translation.override: the catalogues follow the organisation's language.
    assert '<html lang="nl">' in html


def test_bulk_invite_hands_all_its_mail_to_one_task_after_commit(
    organisation, org_admin, django_capture_on_commit_callbacks
):
    with mock.patch.object(tasks.send_invitation_emails, "apply_async") as publish:
        with django_capture_on_commit_callbacks() as callbacks, organisation_scope(organisation.pk):
            # when a list is invited inside a transaction that has not committed yet
            services.invitations_bulk_create(by=org_admin, text="a@example.test b@example.test")
            ids = list(Invitation.objects.order_by("pk").values_list("pk", flat=True))
            (outbox,) = OutboxMessage.objects.all()

            # then nothing is published, let alone sent, before the commit
            publish.assert_not_called()

        # and once it commits, one task gets every new invitation, while the request
        # itself sends nothing
        for callback in callbacks:
            callback()

    publish.assert_called_once_with(
        args=[organisation.pk], kwargs={"invitation_ids": ids, "outbox_id": outbox.pk}, retry=False
    )
    assert mail.outbox == []


def test_an_invitation_rolled_back_with_its_request_is_never_mailed(
    organisation, org_admin, django_capture_on_commit_callbacks, eager_tasks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        organisation_scope(organisation.pk),
    ):
        services.invitation_create(by=org_admin, email="new@example.test")
        raise RuntimeError("the request fails after inviting")

    assert callbacks == []
    assert mail.outbox == []
    with organisation_scope(organisation.pk):
        assert not Invitation.objects.exists()


def test_inviting_a_member_or_someone_already_invited_is_refused(organisation, org_admin):
    InvitationFactory(organisation=organisation, email="pending@example.test")

    with organisation_scope(organisation.pk):
        for email in (org_admin.user.email, "PENDING@example.test"):
            with pytest.raises(ValidationError) as caught:
                services.invitation_create(by=org_admin, email=email)
            assert "email" in caught.value.message_dict


def test_token_names_organisation_and_invitation(organisation):
    invitation = InvitationFactory(organisation=organisation)

    token = services.invitation_token(invitation)

    assert services.invitation_token_read(token) == (organisation.pk, invitation.pk)


@pytest.mark.parametrize(
    ("mangle", "problem"),
    [
        (lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "tampered"),
        (lambda token: "garbage", "tampered"),
        (lambda token: token.replace(token.split(":")[0], "eyJvIjo5OTksImkiOjF9"), "tampered"),
    ],
)
def test_a_changed_token_is_refused(organisation, mangle, problem):
    token = services.invitation_token(InvitationFactory(organisation=organisation))

    with pytest.raises(InvitationProblem) as caught:
        services.invitation_token_read(mangle(token))

    assert caught.value.code == problem
    assert caught.value.status == 400


def test_an_old_token_has_expired(organisation, settings):
    settings.INVITATION_MAX_AGE_DAYS = 14
    invitation = InvitationFactory(organisation=organisation)

    with pytest.raises(InvitationProblem) as caught:
        services.invitation_token_read(token_signed_days_ago(invitation, 15))

    assert caught.value.code == InvitationProblem.EXPIRED
    assert caught.value.status == 410
    assert services.invitation_token_read(token_signed_days_ago(invitation, 13))


def test_accepting_creates_the_membership_as_invited(organisation):
    team = TeamFactory(organisation=organisation)
    invitation = InvitationFactory(
        organisation=organisation, email="kim@example.test", is_hr=True, team=team
    )
    user = UserFactory(email="kim@example.test")

    with organisation_scope(organisation.pk):
        membership = services.invitation_accept(invitation=invitation, user=user)
        invitation.refresh_from_db()

    assert (membership.is_hr, membership.is_admin, membership.team_id) == (True, False, team.pk)
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    assert audit_actions(organisation) == ["invitation.accepted"]


def test_accepting_twice_is_refused(organisation):
    invitation = InvitationFactory(organisation=organisation, email="kim@example.test")
    user = UserFactory(email="kim@example.test")

    with organisation_scope(organisation.pk):
        services.invitation_accept(invitation=invitation, user=user)
        with pytest.raises(InvitationProblem) as caught:
            services.invitation_accept(invitation=invitation, user=user)

    assert caught.value.code == InvitationProblem.USED


def test_a_deactivated_member_is_not_reactivated_by_an_invitation(organisation):
    former = make_member(organisation, is_active=False)
    invitation = InvitationFactory(organisation=organisation, email=former.user.email)

    with organisation_scope(organisation.pk), pytest.raises(InvitationProblem) as caught:
        services.invitation_accept(invitation=invitation, user=former.user)

    assert caught.value.code == InvitationProblem.DEACTIVATED
    former.refresh_from_db()
    assert not former.is_active


def test_a_pending_invitation_may_be_opened_before_signing_in(organisation):
    invitation = InvitationFactory(organisation=organisation, email="kim@example.test")

    with organisation_scope(organisation.pk):
        assert services.invitation_check(invitation=invitation, user=None) == invitation


def test_someone_else_cannot_accept_an_invitation(organisation):
    invitation = InvitationFactory(organisation=organisation, email="kim@example.test")
    other = UserFactory(email="sam@example.test")

    with organisation_scope(organisation.pk), pytest.raises(InvitationProblem) as caught:
        services.invitation_accept(invitation=invitation, user=other)

    assert caught.value.code == InvitationProblem.WRONG_ACCOUNT
    with organisation_scope(organisation.pk):
        assert not Membership.objects.filter(user=other).exists()


def test_a_withdrawn_invitation_cannot_be_accepted(organisation, org_admin):
    invitation = InvitationFactory(organisation=organisation, email="kim@example.test")
    user = UserFactory(email="kim@example.test")

    with organisation_scope(organisation.pk):
        services.invitation_revoke(invitation=invitation, by=org_admin)
        with pytest.raises(InvitationProblem) as caught:
            services.invitation_accept(invitation=invitation, user=user)

    assert caught.value.code == InvitationProblem.REVOKED


def test_new_account_from_an_invitation_has_a_verified_primary_address(organisation):
    invitation = InvitationFactory(organisation=organisation, email="new@example.test")

    with organisation_scope(organisation.pk):
        membership = services.invitation_accept_with_new_account(
            invitation=invitation, first_name="Noor", last_name="Bakker", password="x-Secret-42!"
        )

    user = membership.user
    assert user.check_password("x-Secret-42!")
    assert user.get_full_name() == "Noor Bakker"
    assert EmailAddress.objects.filter(
        user=user, email="new@example.test", verified=True, primary=True
    ).exists()


def test_revoking_deletes_the_pending_invitation_and_keeps_an_audit_row(organisation, org_admin):
    invitation = InvitationFactory(organisation=organisation)

    with organisation_scope(organisation.pk):
        services.invitation_revoke(invitation=invitation, by=org_admin)
        assert not Invitation.objects.filter(pk=invitation.pk).exists()
        row = AuditLog.objects.get()

    assert (row.action, row.data) == ("invitation.revoked", {"email": invitation.email})


def test_invitation_mail_shows_the_organisation_name_as_written(
    organisation, org_admin, django_capture_on_commit_callbacks, eager_tasks
):
    organisation.name = "Bakker & Zonen"
    organisation.save()
    org_admin.organisation = organisation

    with django_capture_on_commit_callbacks(execute=True), organisation_scope(organisation.pk):
        services.invitation_create(by=org_admin, email="new@example.test")

    (message,) = mail.outbox
    assert "Bakker & Zonen" in message.subject
    assert "Bakker & Zonen" in message.body
    assert "Bakker &amp; Zonen" in message.alternatives[0][0]
