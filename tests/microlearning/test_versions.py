"""Versions: editing a published unit makes a draft; learners keep what they did."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from microlearning.models import Completion
from microlearning.services import blocks as block_services
from microlearning.services import units as unit_services
from tests.factories import UnitFactory


@pytest.fixture
def published(organisation):
    return UnitFactory(organisation=organisation, title="Greet", body="Say hello.")


def test_a_completion_keeps_the_version_and_blocks_the_learner_did(published, author, learner):
    with scopes_disabled():
        completion = unit_services.unit_complete(unit=published, membership=learner)
        old_version = published.live_version
        old_block = old_version.blocks.get()
        block_services.block_update(block=old_block, data={"markdown": "Say hi."}, by=author)
        block_services.block_add(unit=published, kind="apply", data={"prompt": "When?"}, by=author)
        published.refresh_from_db()
        unit_services.unit_publish(unit=published, by=author)

        published.refresh_from_db()
        completion = Completion.objects.get(pk=completion.pk)
        assert published.live_version.number == 2
        assert completion.version_id == old_version.pk
        assert list(completion.version.blocks.values_list("kind", "data")) == [
            ("text", {"markdown": "Say hello."})
        ]
        assert list(published.live_version.blocks.values_list("kind", flat=True)) == [
            "text",
            "apply",
        ]


def test_learners_see_the_old_live_version_until_the_draft_is_published(
    client, published, author, learner, url
):
    with scopes_disabled():
        block = published.live_version.blocks.get()
        block_services.block_update(block=block, data={"markdown": "A brand new text."}, by=author)
        unit_services.version_details_update(
            unit=published,
            by=author,
            title="Greet warmly",
            language="en",
            estimated_minutes=5,
            category="formal",
        )
    client.force_login(learner.user)

    before = client.get(url("unit_detail", published.pk)).content.decode()

    assert "Say hello." in before and "A brand new text." not in before
    with scopes_disabled():
        published.refresh_from_db()
        assert published.title == "Greet"
        unit_services.unit_publish(unit=published, by=author)

    after = client.get(url("unit_detail", published.pk)).content.decode()

    assert "A brand new text." in after and "Say hello." not in after
    assert "Greet warmly" in after


def test_a_second_edit_goes_to_the_same_draft(published, author):
    with scopes_disabled():
        block_services.block_add(unit=published, kind="apply", data={"prompt": "A"}, by=author)
        published.refresh_from_db()
        draft = published.draft_version
        block_services.block_add(unit=published, kind="apply", data={"prompt": "B"}, by=author)
        published.refresh_from_db()

        assert published.draft_version_id == draft.pk
        assert published.versions.count() == 2
