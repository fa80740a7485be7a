"""The authoring API: a unit's draft details, its blocks, duplicates."""

from __future__ import annotations

import json

import pytest
from django_scopes import scopes_disabled

from microlearning.models import Unit
from tests.api.support import error_of
from tests.factories import SkillFactory, UnitFactory, WorkProcessFactory
from tests.microlearning.uploads import png_bytes, png_upload

BLOCKS = "microlearning_api:blocks"
BLOCK = "microlearning_api:block"
MOVE = "microlearning_api:block_move"
DRAFT = "microlearning_api:unit_draft"
DUPLICATE = "microlearning_api:unit_duplicate"


@pytest.fixture
def author_api(acme, as_member):
    return as_member(acme.author)


@pytest.fixture
def draft(acme):
    return UnitFactory(organisation=acme.organisation, status=Unit.Status.DRAFT, title="Greet")


@pytest.fixture
def live(acme):
    return UnitFactory(organisation=acme.organisation, title="Live", body="Old text")


def kinds(unit) -> list[str]:
    with scopes_disabled():
        unit.refresh_from_db()
        version = unit.draft_version or unit.live_version
        return list(version.blocks.order_by("position").values_list("kind", flat=True))


def test_author_adds_blocks_of_every_kind_with_json(author_api, draft, api_url):
    payloads = [
        {"kind": "text", "data": {"markdown": "Hi"}},
        {"kind": "video", "data": {"embed_url": "https://vimeo.com/76979871"}},
        {"kind": "checklist", "data": {"items": ["a", "b"]}, "required": False},
        {
            "kind": "question",
            "data": {
                "prompt": "Q?",
                "multiple": True,
                "options": [{"text": "a", "correct": True}, {"text": "b", "correct": True}],
            },
        },
        {"kind": "reflection", "data": {"prompt": "Why?"}},
        {"kind": "apply", "data": {"prompt": "When?"}},
    ]
    for payload in payloads:
        response = author_api.post(api_url(BLOCKS, draft.pk), payload, format="json")
        assert response.status_code == 201, response.json()

    listing = author_api.get(api_url(BLOCKS, draft.pk)).json()

    assert [b["kind"] for b in listing] == ["text", *[p["kind"] for p in payloads]]
    assert [b["position"] for b in listing] == [1, 2, 3, 4, 5, 6, 7]
    assert listing[2]["data"]["embed_url"] == "https://player.vimeo.com/video/76979871?dnt=1"
    assert listing[3]["required"] is False


def test_author_uploads_an_image_block_with_multipart(author_api, draft, api_url):
    response = author_api.post(
        api_url(BLOCKS, draft.pk),
        {"kind": "image", "data": json.dumps({"alt": "A till"}), "file": png_upload()},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    file_url = response.json()["file_url"]
    assert file_url.endswith(f"/files/blocks/{response.json()['id']}/")
    assert b"".join(author_api.get(file_url).streaming_content) == png_bytes()


def test_an_invalid_block_is_a_400_with_the_field(author_api, draft, api_url):
    response = author_api.post(
        api_url(BLOCKS, draft.pk),
        {"kind": "image", "data": json.dumps({"alt": ""}), "file": png_upload()},
        format="multipart",
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"alt"}
    assert kinds(draft) == ["text"]


def test_a_question_without_a_correct_option_is_a_400_on_options(author_api, draft, api_url):
    data = {"prompt": "Q", "options": [{"text": "a"}, {"text": "b"}]}

    response = author_api.post(
        api_url(BLOCKS, draft.pk), {"kind": "question", "data": data}, format="json"
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"options"}


def test_changing_a_live_block_answers_with_the_drafts_block(author_api, live, api_url):
    with scopes_disabled():
        block = live.live_version.blocks.get()

    response = author_api.patch(
        api_url(BLOCK, live.pk, block.pk), {"data": {"markdown": "New"}}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["id"] != block.pk and response.json()["version"] == 2
    with scopes_disabled():
        block.refresh_from_db()
        assert block.data == {"markdown": "Old text"}


def test_author_moves_and_deletes_blocks(author_api, draft, api_url):
    added = author_api.post(
        api_url(BLOCKS, draft.pk), {"kind": "apply", "data": {"prompt": "When?"}}, format="json"
    ).json()

    moved = author_api.post(api_url(MOVE, draft.pk, added["id"]), {"direction": "up"})
    assert moved.status_code == 200 and moved.json()["position"] == 1
    assert (
        author_api.post(api_url(MOVE, draft.pk, added["id"]), {"direction": "left"}).status_code
        == 400
    )

    deleted = author_api.delete(api_url(BLOCK, draft.pk, added["id"]))

    assert deleted.status_code == 204
    assert kinds(draft) == ["text"]


def test_author_changes_the_drafts_details_keeping_what_is_left_out(
    acme, author_api, draft, api_url
):
    skill = SkillFactory(organisation=acme.organisation)
    process = WorkProcessFactory(organisation=acme.organisation)

    response = author_api.patch(
        api_url(DRAFT, draft.pk),
        {"estimated_minutes": 3, "skill_ids": [skill.pk], "work_process_ids": [process.pk]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["estimated_minutes"]) == ("Greet", 3)
    assert body["skill_ids"] == [skill.pk] and body["work_process_ids"] == [process.pk]


def test_details_with_bad_values_are_a_400_per_field(author_api, draft, api_url):
    response = author_api.patch(
        api_url(DRAFT, draft.pk), {"estimated_minutes": 40, "category": "nope"}, format="json"
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"estimated_minutes", "category"}


def test_a_cover_without_description_is_a_400_on_cover_alt(author_api, draft, api_url):
    response = author_api.patch(
        api_url(DRAFT, draft.pk), {"cover_image": png_upload()}, format="multipart"
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"cover_alt"}


def test_a_skill_of_another_organisation_is_not_found(author_api, draft, globex, api_url):
    foreign = SkillFactory(organisation=globex.organisation)

    response = author_api.patch(
        api_url(DRAFT, draft.pk), {"skill_ids": [foreign.pk]}, format="json"
    )

    assert response.status_code == 400
    assert "skill_ids" in error_of(response)["fields"]


def test_duplicate_answers_with_the_new_draft_unit(author_api, live, api_url):
    response = author_api.post(api_url(DUPLICATE, live.pk))

    assert response.status_code == 201
    assert response.json()["title"] == "Live (copy)" and response.json()["status"] == "draft"


@pytest.mark.parametrize(
    ("name", "method"),
    [(BLOCKS, "get"), (BLOCKS, "post"), (DRAFT, "get"), (DRAFT, "patch"), (DUPLICATE, "post")],
)
def test_learners_may_not_author(acme, as_member, draft, api_url, name, method):
    response = getattr(as_member(acme.learner), method)(api_url(name, draft.pk), {}, format="json")

    assert response.status_code == 403


def test_another_organisations_unit_and_block_are_not_found(author_api, globex, api_url):
    with scopes_disabled():
        foreign_block = globex.unit.live_version.blocks.get()

    assert author_api.get(api_url(BLOCKS, globex.unit.pk)).status_code == 404
    assert (
        author_api.patch(
            api_url(BLOCK, globex.unit.pk, foreign_block.pk),
            {"data": {"markdown": "x"}},
            format="json",
        ).status_code
        == 404
    )
    assert author_api.post(api_url(DUPLICATE, globex.unit.pk)).status_code == 404
