"""Authoring services: blocks on the draft, positions 1..n, details, duplicates."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from microlearning.models import Block, Unit
from microlearning.services import blocks as block_services
from microlearning.services import units as unit_services
from organisations.models import AuditLog
from tests.factories import SkillFactory, UnitFactory, WorkProcessFactory
from tests.microlearning.uploads import png_upload

pytestmark = pytest.mark.usefixtures("_unscoped")


@pytest.fixture
def _unscoped():
    with scopes_disabled():
        yield


def kinds_and_positions(version) -> list[tuple[str, int]]:
    return list(version.blocks.order_by("position").values_list("kind", "position"))


def test_block_add_appends_to_the_draft_and_audits(organisation, author):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)

    block = block_services.block_add(
        unit=unit, kind="checklist", data={"items": ["Open", "Close"]}, by=author
    )

    assert block.version_id == unit.draft_version_id
    assert block.position == 2 and block.data == {"items": ["Open", "Close"]}
    assert AuditLog.objects.filter(action="unit.block_added").exists()


def test_block_add_with_invalid_data_saves_nothing(organisation, author):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)

    with pytest.raises(ValidationError) as caught:
        block_services.block_add(unit=unit, kind="image", data={}, file=png_upload(), by=author)

    assert set(caught.value.message_dict) == {"alt"}
    assert unit.draft_version.blocks.count() == 1


def test_block_add_to_a_published_unit_opens_a_draft_and_leaves_the_live_version(
    organisation, author
):
    unit = UnitFactory(organisation=organisation)
    live = unit.live_version

    block_services.block_add(unit=unit, kind="reflection", data={"prompt": "Why?"}, by=author)

    unit.refresh_from_db()
    assert unit.draft_version_id not in (None, live.pk)
    assert kinds_and_positions(live) == [("text", 1)]
    assert kinds_and_positions(unit.draft_version) == [("text", 1), ("reflection", 2)]


def test_block_update_of_a_live_block_changes_the_drafts_copy(organisation, author):
    unit = UnitFactory(organisation=organisation, body="Old")
    live_block = unit.live_version.blocks.get()

    updated = block_services.block_update(block=live_block, data={"markdown": "New"}, by=author)

    live_block.refresh_from_db()
    assert live_block.data == {"markdown": "Old"}
    assert updated.pk != live_block.pk and updated.data == {"markdown": "New"}
    unit.refresh_from_db()
    assert updated.version_id == unit.draft_version_id


def test_a_stale_block_of_an_older_version_is_refused(organisation, author):
    unit = UnitFactory(organisation=organisation)
    live_block = unit.live_version.blocks.get()
    unit_services.unit_draft(unit=unit, by=author)

    with pytest.raises(ValidationError):
        block_services.block_update(block=live_block, data={"markdown": "x"}, by=author)


def test_an_image_block_keeps_its_file_when_only_the_description_changes(organisation, author):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)
    block = block_services.block_add(
        unit=unit, kind="image", data={"alt": "A till"}, file=png_upload(), by=author
    )
    name = block.file.name

    block = block_services.block_update(block=block, data={"alt": "The till"}, by=author)

    block.refresh_from_db()
    assert block.file.name == name and name.startswith(f"org-{organisation.pk}/")
    assert block.data["alt"] == "The till"


def test_a_video_given_a_link_drops_its_file(organisation, author):
    from tests.microlearning.uploads import mp4_upload

    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)
    block = block_services.block_add(unit=unit, kind="video", data={}, file=mp4_upload(), by=author)

    block = block_services.block_update(
        block=block, data={"embed_url": "https://youtu.be/dQw4w9WgXcQ"}, by=author
    )

    block.refresh_from_db()
    assert not block.file
    assert block.data["embed_url"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def _three_blocks(organisation, author):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)
    block_services.block_add(unit=unit, kind="reflection", data={"prompt": "Why?"}, by=author)
    block_services.block_add(unit=unit, kind="apply", data={"prompt": "What?"}, by=author)
    return unit


def test_block_remove_closes_the_gap(organisation, author):
    unit = _three_blocks(organisation, author)

    block_services.block_remove(block=unit.draft_version.blocks.get(position=2), by=author)

    assert kinds_and_positions(unit.draft_version) == [("text", 1), ("apply", 2)]


def test_block_move_swaps_with_the_neighbour_and_stops_at_the_ends(organisation, author):
    unit = _three_blocks(organisation, author)
    draft = unit.draft_version
    first = draft.blocks.get(position=1)

    block_services.block_move(block=first, direction="down", by=author)
    block_services.block_move(block=draft.blocks.get(kind="apply"), direction="up", by=author)
    block_services.block_move(block=draft.blocks.get(kind="reflection"), direction="up", by=author)

    assert kinds_and_positions(draft) == [("reflection", 1), ("apply", 2), ("text", 3)]


def test_blocks_of_an_archived_unit_cannot_change(organisation, author):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.ARCHIVED)

    with pytest.raises(ValidationError):
        block_services.block_add(unit=unit, kind="apply", data={"prompt": "x"}, by=author)


def details(**overrides) -> dict:
    return {
        "title": "Handle a complaint",
        "summary": "In five steps.",
        "language": "nl",
        "estimated_minutes": 7,
        "category": "experience",
        "pass_mark": 80,
        **overrides,
    }


def test_version_details_update_sets_the_drafts_details_and_tags(organisation, author):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)
    skill = SkillFactory(organisation=organisation)
    process = WorkProcessFactory(organisation=organisation)

    draft = unit_services.version_details_update(
        unit=unit, by=author, skills=[skill], work_processes=[process], **details()
    )

    assert (draft.title, draft.language, draft.estimated_minutes, draft.pass_mark) == (
        "Handle a complaint",
        "nl",
        7,
        80,
    )
    assert list(draft.skills.all()) == [skill]
    assert list(draft.work_processes.all()) == [process]
    unit.refresh_from_db()
    assert unit.title == "Handle a complaint"


def test_tags_of_another_organisation_are_refused(organisation, other_organisation, author):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)

    with pytest.raises(ValidationError):
        unit_services.version_details_update(
            unit=unit,
            by=author,
            skills=[SkillFactory(organisation=other_organisation)],
            **details(),
        )


def test_a_cover_image_needs_a_description(organisation, author):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)

    with pytest.raises(ValidationError) as caught:
        unit_services.version_details_update(
            unit=unit, by=author, cover_image=png_upload(), cover_alt="", **details()
        )

    assert set(caught.value.message_dict) == {"cover_alt"}


def test_minutes_outside_2_to_15_are_refused(organisation, author):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)

    with pytest.raises(ValidationError) as caught:
        unit_services.version_details_update(unit=unit, by=author, **details(estimated_minutes=30))

    assert "estimated_minutes" in caught.value.message_dict


def test_unit_duplicate_copies_the_content_into_a_new_draft(organisation, author):
    unit = UnitFactory(organisation=organisation, title="Greet", body="Say hello.")
    block_services.block_add(unit=unit, kind="apply", data={"prompt": "When?"}, by=author)
    unit.refresh_from_db()

    copy = unit_services.unit_duplicate(unit=unit, by=author)

    assert copy.pk != unit.pk and copy.status == Unit.Status.DRAFT
    assert copy.title == "Greet (copy)" and copy.draft_version.title == "Greet (copy)"
    assert copy.live_version_id is None and copy.draft_version.number == 1
    assert kinds_and_positions(copy.draft_version) == [("text", 1), ("apply", 2)]
    assert Block.objects.filter(version__unit=unit).count() == 3  # live 1 + draft 2, untouched


def test_an_archived_units_draft_blocks_and_details_cannot_change(organisation, author):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)
    unit_services.unit_archive(unit=unit, by=author)
    block = unit.draft_version.blocks.get()

    with pytest.raises(ValidationError):
        block_services.block_update(block=block, data={"markdown": "x"}, by=author)
    with pytest.raises(ValidationError):
        unit_services.version_details_update(unit=unit, by=author, **details())


def test_a_unit_without_blocks_cannot_be_published(organisation, author):
    unit = unit_services.unit_create(by=author, title="Empty")

    with pytest.raises(ValidationError, match="at least one content block"):
        unit_services.unit_publish(unit=unit, by=author)

    unit.refresh_from_db()
    assert unit.status == Unit.Status.DRAFT
