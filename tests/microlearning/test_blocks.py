"""Block validation: each kind's data in one shape, or errors keyed by field."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from microlearning.blocks import block_clean, video_embed_url
from microlearning.models import Block
from tests.microlearning.uploads import mp4_upload, png_bytes, png_upload

Kind = Block.Kind


def errors_of(kind, data, file=None) -> dict:
    with pytest.raises(ValidationError) as caught:
        block_clean(kind=kind, data=data, file=file)
    return caught.value.message_dict


# --- Text -----------------------------------------------------------------------------


def test_text_keeps_its_markdown():
    assert block_clean(kind=Kind.TEXT, data={"markdown": "# Hi", "extra": 1}) == {
        "markdown": "# Hi"
    }


def test_text_without_markdown_is_refused_on_its_field():
    assert set(errors_of(Kind.TEXT, {"markdown": "   "})) == {"markdown"}


def test_text_over_the_length_limit_is_refused():
    assert "markdown" in errors_of(Kind.TEXT, {"markdown": "x" * 20_001})


# --- Video ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)  # fmt: skip
def test_video_links_from_the_allow_list_become_privacy_friendly_embeds(url, embed):
    assert video_embed_url(url) == embed
    assert block_clean(kind=Kind.VIDEO, data={"embed_url": url}) == {
        "embed_url": embed,
        "caption": "",
    }


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        'https://www.youtube.com/watch?v=dQw4w9WgXc"><script>',
        "https://vimeo.com/not-a-number",
        "ftp://youtu.be/dQw4w9WgXcQ",
    ],
)
def test_other_video_links_are_refused_on_the_link_field(url):
    assert set(errors_of(Kind.VIDEO, {"embed_url": url})) == {"embed_url"}


def test_a_video_needs_exactly_one_source():
    assert "embed_url" in errors_of(Kind.VIDEO, {})
    assert "embed_url" in errors_of(
        Kind.VIDEO, {"embed_url": "https://youtu.be/dQw4w9WgXcQ"}, mp4_upload()
    )


def test_an_mp4_upload_is_a_video():
    assert block_clean(kind=Kind.VIDEO, data={"caption": "How"}, file=mp4_upload()) == {
        "caption": "How"
    }


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("clip.exe", b"\x00\x00\x00\x18ftypmp42", content_type="video/mp4"),
        SimpleUploadedFile("clip.mp4", b"<html><script>", content_type="video/mp4"),
        SimpleUploadedFile("clip.mp4", b"\x00\x00\x00\x18ftypmp42", content_type="text/html"),
    ],
    ids=["wrong extension", "not a video inside", "wrong content type"],
)
def test_a_video_upload_must_really_be_mp4_or_webm(upload):
    assert set(errors_of(Kind.VIDEO, {}, upload)) == {"file"}


def test_a_video_over_the_size_limit_is_refused(settings):
    settings.MICROLEARNING_VIDEO_MAX_BYTES = 10
    assert "file" in errors_of(Kind.VIDEO, {}, mp4_upload())


# --- Image ----------------------------------------------------------------------------


def test_an_image_needs_a_description():
    errors = errors_of(Kind.IMAGE, {"alt": " "}, png_upload())
    assert set(errors) == {"alt"}
    assert "Describe the image" in errors["alt"][0]


def test_an_image_with_a_description_is_kept_with_its_size():
    # The size lets pages reserve the image's space, so nothing jumps when it loads.
    assert block_clean(kind=Kind.IMAGE, data={"alt": "A till"}, file=png_upload()) == {
        "alt": "A till",
        "caption": "",
        "width": 4,
        "height": 3,
    }


def test_an_image_block_needs_an_image():
    assert set(errors_of(Kind.IMAGE, {"alt": "A till"})) == {"file"}


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.svg", b"<svg onload=alert(1)>", content_type="image/svg+xml"),
        SimpleUploadedFile("x.png", b"not an image", content_type="image/png"),
        SimpleUploadedFile("x.jpg", png_bytes(), content_type="image/jpeg"),
        SimpleUploadedFile("x.png", png_bytes(), content_type="text/html"),
    ],
    ids=["svg", "garbage", "png named jpg", "declared html"],
)
def test_an_image_must_be_png_jpeg_webp_or_gif_that_pillow_reads(upload):
    assert set(errors_of(Kind.IMAGE, {"alt": "x"}, upload)) == {"file"}


def test_an_image_over_the_size_limit_is_refused(settings):
    settings.MICROLEARNING_IMAGE_MAX_BYTES = 10
    assert "file" in errors_of(Kind.IMAGE, {"alt": "x"}, png_upload())


# --- Checklist ------------------------------------------------------------------------


def test_a_checklist_keeps_its_steps_trimmed():
    assert block_clean(kind=Kind.CHECKLIST, data={"items": [" Open ", "Close"]}) == {
        "items": ["Open", "Close"]
    }


@pytest.mark.parametrize(
    "items", [[], ["step"] * 31, ["one", "  "], "not a list"], ids=["none", "31", "empty", "str"]
)
def test_a_checklist_has_one_to_thirty_non_empty_steps(items):
    assert set(errors_of(Kind.CHECKLIST, {"items": items})) == {"items"}


# --- Question -------------------------------------------------------------------------


def question(**overrides) -> dict:
    data = {
        "prompt": "What first?",
        "multiple": False,
        "options": [
            {"text": "Listen", "correct": True, "feedback": "Yes."},
            {"text": "Argue", "correct": False},
        ],
        "explanation": "Listening calms.",
    }
    return {**data, **overrides}


def test_a_single_choice_question_is_kept_in_its_shape():
    assert block_clean(kind=Kind.QUESTION, data=question()) == {
        "prompt": "What first?",
        "multiple": False,
        "options": [
            {"text": "Listen", "correct": True, "feedback": "Yes."},
            {"text": "Argue", "correct": False, "feedback": ""},
        ],
        "explanation": "Listening calms.",
    }


def test_a_question_needs_a_prompt():
    assert set(errors_of(Kind.QUESTION, question(prompt=""))) == {"prompt"}


@pytest.mark.parametrize("count", [1, 9])
def test_a_question_has_two_to_eight_options(count):
    options = [{"text": f"o{n}", "correct": n == 0} for n in range(count)]
    assert set(errors_of(Kind.QUESTION, question(options=options))) == {"options"}


def test_every_option_needs_a_text():
    options = [{"text": "a", "correct": True}, {"text": " ", "correct": False}]
    assert "Option 2" in errors_of(Kind.QUESTION, question(options=options))["options"][0]


def test_single_choice_needs_exactly_one_correct_option():
    both = [{"text": "a", "correct": True}, {"text": "b", "correct": True}]
    none = [{"text": "a"}, {"text": "b"}]
    assert "options" in errors_of(Kind.QUESTION, question(options=both))
    assert "options" in errors_of(Kind.QUESTION, question(options=none))


def test_multiple_choice_needs_at_least_one_correct_option():
    both = [{"text": "a", "correct": True}, {"text": "b", "correct": True}]
    none = [{"text": "a"}, {"text": "b"}]
    assert block_clean(kind=Kind.QUESTION, data=question(multiple=True, options=both))
    assert "options" in errors_of(Kind.QUESTION, question(multiple=True, options=none))


# --- Prompts and unknown kinds --------------------------------------------------------


@pytest.mark.parametrize("kind", [Kind.REFLECTION, Kind.APPLY])
def test_reflection_and_apply_need_a_prompt(kind):
    assert block_clean(kind=kind, data={"prompt": " What will you try? "}) == {
        "prompt": "What will you try?"
    }
    assert set(errors_of(kind, {"prompt": ""})) == {"prompt"}


def test_an_unknown_kind_is_refused():
    assert set(errors_of("poll", {})) == {"kind"}
