"""The pages: what learners, authors and managers see, in queries that do not grow."""

import pytest
from django.urls import reverse
from django_scopes import scope

from courses.models import Enrolment, Step, StepProgress, StepReflection
from courses.services import enrolments
from tests import factories
from tests.conftest import make_member
from tests.courses.factories import EVERY_KIND, author_of, trajectory_with

pytestmark = pytest.mark.django_db


def _enrolled(organisation, learner, count, kinds, **kwargs):
    result = []
    for _ in range(count):
        trajectory = trajectory_with(organisation, kinds, **kwargs)
        result.append(
            enrolments.enrolment_create(
                trajectory=trajectory, membership=learner, by=trajectory.created_by
            )
        )
    return result


def _page(client, name, *args, slug="acme"):
    return client.get(reverse(f"courses:{name}", args=[slug, *args]))


def test_my_learning_shows_what_is_due_first_in_fixed_queries(
    organisation, client, django_assert_max_num_queries
):
    learner = make_member(organisation)
    with scope(organisation=organisation):
        _enrolled(organisation, learner, 2, [Step.Kind.EXTERNAL] * 2, offsets=[1, 8], chained=True)
    client.force_login(learner.user)
    response = _page(client, "my_learning")
    assert response.status_code == 200
    with django_assert_max_num_queries(13) as small:  # 13: the header's unread notifications
        _page(client, "my_learning")

    with scope(organisation=organisation):
        _enrolled(organisation, learner, 4, [Step.Kind.EXTERNAL] * 6, offsets=[1] * 6, chained=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = _page(client, "my_learning")

    body = response.content.decode()
    assert "Opens when these are done" in body
    assert body.index("Due by") < body.index("Opens when these are done")


def test_the_trajectory_and_step_pages_show_status_lock_and_due_date(
    organisation, client, django_assert_max_num_queries
):
    learner = make_member(organisation)
    with scope(organisation=organisation):
        (enrolment,) = _enrolled(organisation, learner, 1, EVERY_KIND, chained=True)
        rows = list(enrolment.progress.order_by("step__position"))
    client.force_login(learner.user)

    with django_assert_max_num_queries(14):
        response = _page(client, "trajectory", enrolment.trajectory_id)
    assert response.status_code == 200
    assert "0% done" in response.content.decode()

    response = _page(client, "step", rows[1].pk)
    assert response.status_code == 200
    assert "This step is locked." in response.content.decode()


def test_a_locked_step_is_refused_on_the_web_and_in_the_api(organisation, client):
    learner = make_member(organisation)
    with scope(organisation=organisation):
        (enrolment,) = _enrolled(
            organisation, learner, 1, [Step.Kind.EXTERNAL, Step.Kind.EXTERNAL], chained=True
        )
        first, second = enrolment.progress.order_by("step__position")
    client.force_login(learner.user)

    client.post(reverse("courses:step_done", args=["acme", second.pk]))
    api = client.post(f"/api/v1/o/acme/learning/steps/{second.pk}/done/")

    assert api.status_code == 400
    assert "waits for" in api.json()["error"]["message"] or "waits for" in str(api.json())
    with scope(organisation=organisation):
        second.refresh_from_db()
        assert second.status == StepProgress.Status.OPEN

    assert client.post(f"/api/v1/o/acme/learning/steps/{first.pk}/done/").status_code == 200
    assert client.post(f"/api/v1/o/acme/learning/steps/{second.pk}/done/").status_code == 200
    with scope(organisation=organisation):
        enrolment.refresh_from_db()
        assert enrolment.status == Enrolment.Status.COMPLETED


def test_a_reflection_is_private_until_shared_and_a_buddy_talk_needs_both(organisation, client):
    learner = make_member(organisation)
    buddy = make_member(organisation)
    with scope(organisation=organisation):
        trajectory = trajectory_with(organisation, [Step.Kind.REFLECTION, Step.Kind.BUDDY])
        enrolments.enrolments_create(
            trajectory=trajectory, by=trajectory.created_by, memberships=[learner], buddy=buddy
        )
        reflection, talk = StepProgress.objects.order_by("step__position")
    client.force_login(learner.user)

    client.post(
        reverse("courses:step_reflection", args=["acme", reflection.pk]),
        {"text": "Ik vraag eerst wat de cliënt zelf wil."},
    )
    client.post(reverse("courses:step_buddy_confirm", args=["acme", talk.pk]))
    with scope(organisation=organisation):
        assert StepReflection.objects.get().shared_with_manager is False
        talk.refresh_from_db()
        assert talk.status == StepProgress.Status.OPEN

    client.force_login(buddy.user)
    assert "Ik vraag eerst" not in _page(client, "step", reflection.pk).content.decode()
    client.post(reverse("courses:step_buddy_confirm", args=["acme", talk.pk]))
    with scope(organisation=organisation):
        talk.refresh_from_db()
        assert talk.status == StepProgress.Status.DONE


# The API reads JSON only.
JSON = {"content_type": "application/json"}


def test_a_manager_sees_and_enrols_their_teams_only(
    organisation, other_organisation, client, django_assert_max_num_queries
):
    manager = make_member(organisation)
    with scope(organisation=organisation):
        team = factories.TeamFactory(organisation=organisation, manager=manager)
        sub = factories.TeamFactory(organisation=organisation, parent=team)
        theirs = [make_member(organisation, team=sub) for _ in range(3)]
        stranger = make_member(organisation, team=factories.TeamFactory(organisation=organisation))
        trajectory = trajectory_with(organisation)
        enrolments.enrolments_create(
            trajectory=trajectory,
            by=trajectory.created_by,
            memberships=[*theirs, stranger],
        )
        strangers_enrolment = Enrolment.objects.get(membership=stranger)
    with scope(organisation=other_organisation):
        foreign = trajectory_with(other_organisation)
    client.force_login(manager.user)

    with django_assert_max_num_queries(15):  # 15: with the header's unread notifications
        response = _page(client, "enrolment_list")
    body = response.content.decode()
    assert theirs[0].display_name in body and stranger.display_name not in body

    url = reverse("courses:enrolment_create", args=["acme"])
    assert (
        client.post(url, {"trajectory": trajectory.pk, "membership": stranger.pk}).status_code
        == 200
    )
    api = "/api/v1/o/acme/enrolments/"
    assert (
        client.post(
            api, {"trajectory_id": trajectory.pk, "member_id": stranger.pk}, **JSON
        ).status_code
        == 403
    )
    assert (
        client.post(
            api, {"trajectory_id": foreign.pk, "member_id": theirs[0].pk}, **JSON
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("courses:enrolment_withdraw", args=["acme", strangers_enrolment.pk])
        ).status_code
        == 403
    )
    response = client.post(api, {"trajectory_id": trajectory.pk, "team_id": team.pk}, **JSON)
    assert response.status_code == 200 and len(response.json()["existing"]) == 3


def test_an_author_builds_a_trajectory_in_the_editor(organisation, client):
    author = author_of(organisation)
    with scope(organisation=organisation):
        unit = factories.UnitFactory(organisation=organisation)
    client.force_login(author.user)

    response = client.post(
        reverse("courses:trajectory_create", args=["acme"]), {"title": "Nieuw in de wijk"}
    )
    trajectory_id = int(response["Location"].split("/")[-2])
    add = reverse("courses:step_add", args=["acme", trajectory_id])
    bad = client.post(
        add, {"kind": "external", "title": "Module", "url": "http://x.test", "sign_off": "nobody"}
    )
    assert bad.status_code == 400 and "https://" in bad.content.decode()
    for data in (
        {"kind": "unit", "title": "Unit", "unit": unit.pk},
        {"kind": "external", "title": "Module", "url": "https://learn.example.org"},
        {"kind": "session", "title": "Intervisie", "session_kind": "intervision"},
    ):
        assert client.post(add, {"sign_off": "nobody", "required": "on", **data}).status_code == 302
    editor = _page(client, "trajectory_edit", trajectory_id)
    assert editor.status_code == 200 and "Intervisie" in editor.content.decode()
    assert _page(client, "trajectory_preview", trajectory_id).status_code == 200
    publish = client.post(reverse("courses:trajectory_publish", args=["acme", trajectory_id]))
    assert publish.status_code == 302
    assert _page(client, "trajectory_list").status_code == 200


def test_self_enrolment_from_the_catalogue(organisation, client):
    learner = make_member(organisation)
    with scope(organisation=organisation):
        open_one = trajectory_with(organisation, self_enrolment=True)
        closed = trajectory_with(organisation)
    client.force_login(learner.user)

    body = _page(client, "catalogue").content.decode()
    assert reverse("courses:self_enrol", args=["acme", open_one.pk]) in body
    client.post(reverse("courses:self_enrol", args=["acme", open_one.pk]))
    assert client.post(reverse("courses:self_enrol", args=["acme", closed.pk])).status_code == 403
    with scope(organisation=organisation):
        assert list(Enrolment.objects.values_list("trajectory_id", flat=True)) == [open_one.pk]


def test_my_learning_home_shows_steps_due_waiting_and_goals_in_fixed_queries(
    organisation, client, django_assert_max_num_queries
):
    from courses.services.evidence import evidence_submit
    from tests.courses.evidence_factories import evidence_world, pdf_file
    from tests.goals.factories import agreed_goal

    with scope(organisation=organisation):
        world = evidence_world(organisation, title="Lead the Monday stand-up")
        learner = world.learner
        evidence_submit(progress=world.progress, membership=learner, text="x", files=[pdf_file()])
        _enrolled(organisation, learner, 1, [Step.Kind.EXTERNAL] * 2, offsets=[1, 8])
        agreed_goal(learner, factories.SkillFactory(organisation=organisation), world.manager)
    client.force_login(learner.user)
    home = reverse("microlearning:home", args=[organisation.slug])
    client.get(home)
    with django_assert_max_num_queries(30) as small:
        response = client.get(home)
    body = response.content.decode()
    assert "Due first in your trajectories" in body
    assert body.count('class="card step-row') == 3  # two steps due, one waiting
    assert "Waiting for sign-off" in body and "Lead the Monday stand-up" in body
    assert "Next check-in" in body or "My goals" in body

    with scope(organisation=organisation):
        _enrolled(organisation, learner, 4, [Step.Kind.EXTERNAL] * 6, offsets=[1] * 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(home)
    body = response.content.decode()
    # The home shows the first five; the rest are one link away.
    assert body.count('class="card step-row') == 5 + 1
    assert "All my trajectories (21 more steps to do)" in body


def test_the_header_marks_the_section_a_page_belongs_to(organisation, client):
    learner = make_member(organisation)
    client.force_login(learner.user)
    catalogue = client.get(reverse("courses:catalogue", args=[organisation.slug])).content.decode()
    assert 'aria-current="page">Catalogue</a>' in catalogue
    assert 'aria-current="page">Trajectories</a>' in catalogue  # the catalogue's own tabs
    home = client.get(reverse("microlearning:home", args=[organisation.slug])).content.decode()
    assert 'aria-current="page">My learning</a>' in home
    assert home.count('aria-current="page"') == 1


# --- The home's "To do" beside the trajectories ------------------------------------------


def _to_do_section(body: str) -> str:
    start = body.index('aria-labelledby="to-do-heading"')
    return body[start : body.index("</section>", start)]


def test_the_home_does_not_say_nothing_to_learn_while_trajectory_steps_are_due(
    organisation, client
):
    learner = make_member(organisation)
    with scope(organisation=organisation):
        _enrolled(organisation, learner, 1, [Step.Kind.EXTERNAL], offsets=[3])
    client.force_login(learner.user)

    body = client.get(reverse("microlearning:home", args=["acme"])).content.decode()

    assert "Due first in your trajectories" in body
    to_do = _to_do_section(body)
    assert "Nothing to learn yet." not in to_do
    assert "No units assigned to you." in to_do


def test_the_home_of_a_learner_who_did_their_units_does_not_say_everything_is_done(
    organisation, client
):
    learner = make_member(organisation)
    with scope(organisation=organisation):
        unit = factories.UnitFactory(organisation=organisation)
        factories.AssignmentFactory(unit=unit, member=learner)
        factories.CompletionFactory(unit=unit, member=learner)
        _enrolled(organisation, learner, 1, [Step.Kind.EXTERNAL], offsets=[3])
    client.force_login(learner.user)

    to_do = _to_do_section(
        client.get(reverse("microlearning:home", args=["acme"])).content.decode()
    )

    assert "You have done everything assigned to you" not in to_do
    assert "You have done all the units assigned to you." in to_do


def test_a_buddy_without_units_or_enrolments_sees_their_buddy_talks_and_no_empty_state(
    organisation, client
):
    learner, buddy = make_member(organisation), make_member(organisation)
    with scope(organisation=organisation):
        trajectory = trajectory_with(organisation, [Step.Kind.BUDDY])
        enrolments.enrolments_create(
            trajectory=trajectory, by=trajectory.created_by, memberships=[learner], buddy=buddy
        )
    client.force_login(buddy.user)

    body = client.get(reverse("microlearning:home", args=["acme"])).content.decode()

    assert "As a buddy" in body
    assert "Due first in your trajectories" not in body  # they follow none themselves
    assert "No units assigned to you." in _to_do_section(body)


# --- Dates in the enrolment overview -------------------------------------------------------


@pytest.mark.parametrize(("language", "shown"), [("nl", "03-12-2026"), ("en", "03/12/2026")])
def test_the_enrolment_overview_shows_due_dates_day_before_month(
    organisation, client, language, shown
):
    import datetime as dt

    organisation.language = language
    organisation.save(update_fields=["language"])
    author = author_of(organisation)
    with scope(organisation=organisation):
        trajectory = trajectory_with(organisation, author=author)
        enrolments.enrolments_create(
            trajectory=trajectory, by=author, memberships=[make_member(organisation)]
        )
        Enrolment.objects.update(due_on=dt.date(2026, 12, 3))
    client.force_login(author.user)

    body = _page(client, "enrolment_list").content.decode()

    assert shown in body
    assert "12/03/2026" not in body


def test_a_teammate_picked_as_buddy_in_a_team_enrolment_is_enrolled_and_buddies_the_rest(
    organisation, client
):
    author = author_of(organisation)
    with scope(organisation=organisation):
        team = factories.TeamFactory(organisation=organisation)
        learner = make_member(organisation, team=team)
        buddy = make_member(organisation, team=team)
        trajectory = trajectory_with(organisation, [Step.Kind.BUDDY], author=author)
    client.force_login(author.user)

    response = client.post(
        reverse("courses:enrolment_create", args=["acme"]),
        {"trajectory": trajectory.pk, "team": team.pk, "buddy": buddy.pk},
    )

    assert response.status_code == 302
    with scope(organisation=organisation):
        talk = StepProgress.objects.get(enrolment__membership=learner)
        assert Enrolment.objects.get(membership=buddy).buddy_id is None
    client.force_login(buddy.user)
    home = client.get(reverse("microlearning:home", args=["acme"])).content.decode()
    assert "As a buddy" in home and learner.display_name in home
    for member in (learner, buddy):
        client.force_login(member.user)
        client.post(reverse("courses:step_buddy_confirm", args=["acme", talk.pk]))
    with scope(organisation=organisation):
        talk.refresh_from_db()
    assert talk.status == StepProgress.Status.DONE
