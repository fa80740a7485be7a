"""The author's pages: editor, blocks, preview, duplicate, ratings."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from microlearning.models import Block, Rating, Unit
from microlearning.services import blocks as block_services
from tests.factories import MembershipFactory, UnitFactory
from tests.microlearning.uploads import mp4_upload, png_upload


@pytest.fixture
def author_client(client, author):
    client.force_login(author.user)
    return client


@pytest.fixture
def draft(organisation):
    return UnitFactory(organisation=organisation, status=Unit.Status.DRAFT, title="Greet")


def draft_kinds(unit) -> list[str]:
    with scopes_disabled():
        unit.refresh_from_db()
        return list(unit.draft_version.blocks.order_by("position").values_list("kind", flat=True))


def test_the_editor_shows_details_blocks_version_and_a_multipart_form(author_client, draft, url):
    response = author_client.get(url("unit_edit", draft.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert "Version 1" in html
    with scopes_disabled():
        block = draft.draft_version.blocks.get()
    assert url("block_edit", draft.pk, block.pk) in html
    assert 'name="kind"' in html  # the add-a-block chooser


@pytest.mark.parametrize(
    ("kind", "post"),
    [
        ("text", {"markdown": "Hello **there**"}),
        ("video", {"embed_url": "https://youtu.be/dQw4w9WgXcQ", "caption": "How"}),
        ("video", {"file": "mp4"}),
        ("image", {"file": "png", "alt": "A till"}),
        ("checklist", {"items": "Open the till\n\nCount the cash\n"}),
        (
            "question",
            {
                "prompt": "First?",
                "option_1_text": "Listen",
                "option_1_correct": "on",
                "option_1_feedback": "Yes",
                "option_2_text": "Argue",
            },
        ),
        ("reflection", {"prompt": "What went well?"}),
        ("apply", {"prompt": "What will you try, and when?"}),
    ],
)
def test_an_author_adds_a_block_of_every_kind(author_client, draft, url, kind, post):
    form = author_client.get(url("block_add", draft.pk) + f"?kind={kind}")
    assert form.status_code == 200
    files = {"mp4": mp4_upload, "png": png_upload}
    data = {"kind": kind, "required": "on", **post}
    if "file" in post:
        data["file"] = files[post["file"]]()

    response = author_client.post(url("block_add", draft.pk), data)

    assert response.status_code == 302, response.context["form"].errors
    assert draft_kinds(draft) == ["text", kind]


def test_the_checklist_form_drops_empty_lines(author_client, draft, url):
    author_client.post(url("block_add", draft.pk), {"kind": "checklist", "items": "a\n\n b \n"})

    with scopes_disabled():
        assert Block.objects.get(kind="checklist").data == {"items": ["a", "b"]}


def test_an_invalid_block_shows_the_error_next_to_its_field(author_client, draft, url):
    response = author_client.post(
        url("block_add", draft.pk), {"kind": "image", "file": png_upload(), "alt": ""}
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"alt"}
    assert "Describe the image" in response.content.decode()
    assert draft_kinds(draft) == ["text"]


def test_question_errors_without_a_field_show_at_the_top(author_client, draft, url):
    response = author_client.post(
        url("block_add", draft.pk),
        {"kind": "question", "prompt": "Q", "option_1_text": "a", "option_2_text": "b"},
    )

    assert response.status_code == 200
    assert "Mark exactly one option" in response.content.decode()


def test_an_unknown_kind_is_not_found(author_client, draft, url):
    assert author_client.get(url("block_add", draft.pk) + "?kind=poll").status_code == 404


def test_an_author_edits_moves_and_removes_blocks(author_client, draft, author, url):
    with scopes_disabled():
        apply = block_services.block_add(
            unit=draft, kind="apply", data={"prompt": "When?"}, by=author
        )
    edit_url = url("block_edit", draft.pk, apply.pk)
    assert "When?" in author_client.get(edit_url).content.decode()

    author_client.post(edit_url, {"prompt": "By when?", "required": ""})
    author_client.post(url("block_move", draft.pk, apply.pk), {"direction": "up"})

    assert draft_kinds(draft) == ["apply", "text"]
    with scopes_disabled():
        apply.refresh_from_db()
        assert apply.data == {"prompt": "By when?"} and not apply.required
    author_client.post(url("block_remove", draft.pk, apply.pk))
    assert draft_kinds(draft) == ["text"]


def test_a_block_of_another_unit_is_not_found(author_client, draft, organisation, url):
    other = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)
    with scopes_disabled():
        foreign_block = other.draft_version.blocks.get()

    response = author_client.post(url("block_remove", draft.pk, foreign_block.pk))

    assert response.status_code == 404


def test_editing_a_published_unit_shows_unpublished_changes(author_client, organisation, url):
    unit = UnitFactory(organisation=organisation)
    with scopes_disabled():
        block = unit.live_version.blocks.get()

    author_client.post(url("block_edit", unit.pk, block.pk), {"markdown": "New", "required": "on"})
    page = author_client.get(url("unit_preview", unit.pk)).content.decode()

    assert "Unpublished changes" in page and "Version 2" in page
    assert "Publish changes" in page


def test_saving_details_in_the_editor(author_client, draft, url):
    response = author_client.post(
        url("unit_edit", draft.pk),
        {
            "title": "Greet well",
            "language": "en",
            "estimated_minutes": 3,
            "category": "experience",
            "pass_mark": 50,
            "cover_image": png_upload(),
            "cover_alt": "A smiling clerk",
        },
    )

    assert response.status_code == 302
    with scopes_disabled():
        draft.refresh_from_db()
        version = draft.draft_version
        assert (version.title, version.category, version.pass_mark) == (
            "Greet well",
            "experience",
            50,
        )
        assert version.cover_image.name.startswith(f"org-{draft.organisation_id}/")


def test_a_cover_without_description_is_refused_on_the_field(author_client, draft, url):
    response = author_client.post(
        url("unit_edit", draft.pk),
        {
            "title": "Greet",
            "language": "en",
            "estimated_minutes": 3,
            "category": "formal",
            "pass_mark": 0,
            "cover_image": png_upload(),
        },
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"cover_alt"}


def test_duplicate_makes_a_new_draft_and_opens_its_editor(author_client, draft, url):
    response = author_client.post(url("unit_duplicate", draft.pk))

    with scopes_disabled():
        copy = Unit.objects.exclude(pk=draft.pk).get()
    assert response["Location"] == url("unit_edit", copy.pk)
    assert copy.title == "Greet (copy)"


def test_the_preview_renders_blocks_as_learners_see_them(author_client, draft, author, url):
    with scopes_disabled():
        block_services.block_add(
            unit=draft, kind="checklist", data={"items": ["Count the cash"]}, by=author
        )

    html = author_client.get(url("unit_preview", draft.pk)).content.decode()

    assert "block-checklist" in html and "Count the cash" in html


def test_the_author_sees_average_rating_and_comments(author_client, organisation, url):
    unit = UnitFactory(organisation=organisation, title="Rated")
    with scopes_disabled():
        for score, comment in [(4, "Handy at the till"), (5, "")]:
            Rating.objects.create(
                organisation=organisation,
                member=MembershipFactory(organisation=organisation),
                unit=unit,
                version=unit.live_version,
                score=score,
                comment=comment,
            )

    listing = author_client.get(url("unit_list")).content.decode()
    page = author_client.get(url("unit_preview", unit.pk)).content.decode()

    assert "4.5 (2 ratings)" in listing
    assert "4.5 out of 5, from 2 ratings" in page and "Handy at the till" in page


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("block_add", "get"),
        ("block_add", "post"),
        ("block_edit", "get"),
        ("block_edit", "post"),
        ("block_move", "post"),
        ("block_remove", "post"),
        ("unit_duplicate", "post"),
    ],
)
def test_learners_may_not_author_blocks(client, learner, draft, url, name, method):
    client.force_login(learner.user)
    with scopes_disabled():
        block = draft.draft_version.blocks.get()
    args = [draft.pk] if name in {"block_add", "unit_duplicate"} else [draft.pk, block.pk]

    response = getattr(client, method)(url(name, *args), {"kind": "text", "markdown": "x"})

    assert response.status_code == 403
    assert draft_kinds(draft) == ["text"]


def test_adding_without_a_kind_asks_for_one(author_client, draft, url):
    response = author_client.get(url("block_add", draft.pk))

    assert response.status_code == 200
    assert 'name="kind"' in response.content.decode()


@pytest.mark.parametrize("name", ["unit_edit", "unit_preview"])
def test_editor_and_preview_queries_do_not_grow_with_blocks(
    author_client, draft, author, url, name, django_assert_max_num_queries
):
    def add_blocks(count):
        with scopes_disabled():
            for n in range(count):
                block_services.block_add(
                    unit=draft, kind="checklist", data={"items": [f"step {n}"]}, by=author
                )
                block_services.block_add(
                    unit=draft, kind="image", data={"alt": f"{n}"}, file=png_upload(), by=author
                )

    add_blocks(2)
    with CaptureQueriesContext(connection) as few:
        author_client.get(url(name, draft.pk))
    add_blocks(15)

    with django_assert_max_num_queries(len(few)):
        response = author_client.get(url(name, draft.pk))

    assert response.status_code == 200
