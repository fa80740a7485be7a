"""Files of one organisation, served only through it."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from microlearning.models import Unit
from microlearning.services import blocks as block_services
from microlearning.services import units as unit_services
from tests.factories import MembershipFactory, UnitFactory
from tests.microlearning.uploads import png_bytes, png_upload


def image_block(unit, author):
    with scopes_disabled():
        return block_services.block_add(
            unit=unit,
            kind="image",
            data={"alt": "A till"},
            file=png_upload("till <x>.png"),
            by=author,
        )


@pytest.fixture
def live_image(organisation, author):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)
    block = image_block(unit, author)
    with scopes_disabled():
        unit_services.unit_publish(unit=unit, by=author)
    return block


def test_a_learner_gets_an_image_of_a_live_version_inline_and_unsniffable(
    client, learner, live_image, url
):
    client.force_login(learner.user)

    response = client.get(url("block_file", live_image.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert "<" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_learner_does_not_get_files_of_a_draft(client, organisation, author, learner, url):
    block = image_block(UnitFactory(organisation=organisation, status=Unit.Status.DRAFT), author)
    client.force_login(learner.user)

    assert client.get(url("block_file", block.pk)).status_code == 404


def test_an_author_gets_files_of_a_draft(client, organisation, author, url):
    block = image_block(UnitFactory(organisation=organisation, status=Unit.Status.DRAFT), author)
    client.force_login(author.user)

    assert client.get(url("block_file", block.pk)).status_code == 200


def test_a_file_of_another_organisation_is_not_found(client, other_organisation, live_image, url):
    # The other organisation's author asks for this organisation's file through their own slug.
    stranger = MembershipFactory(organisation=other_organisation, is_author=True)
    client.force_login(stranger.user)
    foreign_url = url("block_file", live_image.pk).replace(
        f"/o/{live_image.organisation.slug}/", f"/o/{other_organisation.slug}/"
    )

    assert client.get(foreign_url).status_code == 404


def test_cover_images_follow_the_same_rules(client, organisation, author, learner, url):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)
    with scopes_disabled():
        draft = unit_services.version_details_update(
            unit=unit,
            by=author,
            title="Covered",
            language="en",
            estimated_minutes=5,
            category="formal",
            cover_image=png_upload(),
            cover_alt="A cover",
        )
    client.force_login(learner.user)
    assert client.get(url("cover_image", draft.pk)).status_code == 404

    with scopes_disabled():
        unit_services.unit_publish(unit=unit, by=author)
    response = client.get(url("cover_image", draft.pk))

    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"


def test_a_version_without_a_cover_is_not_found(client, organisation, author, url):
    unit = UnitFactory(organisation=organisation)
    client.force_login(author.user)

    assert client.get(url("cover_image", unit.live_version_id)).status_code == 404


def test_a_byte_range_is_answered_for_video_players(client, learner, live_image, url):
    client.force_login(learner.user)

    response = client.get(url("block_file", live_image.pk), HTTP_RANGE="bytes=2-5")

    assert response.status_code == 206
    assert b"".join(response.streaming_content) == png_bytes()[2:6]
    assert response["Content-Range"] == f"bytes 2-5/{len(png_bytes())}"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_range_for_the_last_bytes_and_a_bad_range(client, learner, live_image, url):
    client.force_login(learner.user)
    size = len(png_bytes())

    tail = client.get(url("block_file", live_image.pk), HTTP_RANGE="bytes=-4")
    bad = client.get(url("block_file", live_image.pk), HTTP_RANGE="bytes=9-2")

    assert (
        tail.status_code == 206 and tail["Content-Range"] == f"bytes {size - 4}-{size - 1}/{size}"
    )
    assert bad.status_code == 200 and b"".join(bad.streaming_content) == png_bytes()
