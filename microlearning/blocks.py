"""What each kind of content block holds, and the checks it passes before it is saved.

``block_clean`` takes what an author sent (a form or the API) and returns the
block's ``data`` in the one shape the learner pages and the API rely on, or
raises ``ValidationError`` with messages keyed by field (``{"alt": [...]}``),
so a form or an API response can put each message next to its field.

Files are checked by what they are, not only by what they say they are: the
extension, the declared content type and the first bytes (video) or Pillow
(images) must agree.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Block

MARKDOWN_MAX_LENGTH = 20_000
PROMPT_MAX_LENGTH = 1_000
CAPTION_MAX_LENGTH = 300
ALT_MAX_LENGTH = 300
CHECKLIST_MAX_ITEMS = 30
CHECKLIST_ITEM_MAX_LENGTH = 300
OPTIONS_MIN, OPTIONS_MAX = 2, 8
OPTION_TEXT_MAX_LENGTH = 500
FEEDBACK_MAX_LENGTH = 1_000

VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
PILLOW_FORMATS = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}

ERROR_REQUIRED = _("This field is required.")
ERROR_TOO_LONG = _("Keep it under %(max)s characters.")
ERROR_VIDEO_ONE_SOURCE = _("Give a YouTube or Vimeo link, or upload a video file: one of the two.")
ERROR_VIDEO_URL = _(
    "Only YouTube and Vimeo links work here, e.g. https://www.youtube.com/watch?v=… "
    "or https://vimeo.com/123456."
)
ERROR_VIDEO_TYPE = _("Upload an MP4 or WebM video.")
ERROR_IMAGE_TYPE = _("Upload a PNG, JPEG, WebP or GIF image.")
ERROR_IMAGE_BROKEN = _("This file is not an image we can read.")
ERROR_FILE_TOO_BIG = _("The file is %(size)s; the limit is %(max)s.")
ERROR_IMAGE_REQUIRED = _("Upload an image.")
ERROR_ALT_REQUIRED = _(
    "Describe the image for people who cannot see it (what matters in it, in a sentence)."
)
ERROR_CHECKLIST_COUNT = _("A checklist has 1 to %(max)s steps.")
ERROR_CHECKLIST_EMPTY = _("Step %(number)s is empty.")
ERROR_OPTIONS_COUNT = _("A question has %(min)s to %(max)s answer options.")
ERROR_OPTION_EMPTY = _("Option %(number)s has no text.")
ERROR_SINGLE_ONE_CORRECT = _("Mark exactly one option as correct (or allow several answers).")
ERROR_MULTIPLE_ONE_CORRECT = _("Mark at least one option as correct.")
ERROR_NOT_A_LIST = _("Give a list.")
ERROR_UNKNOWN_KIND = _("Unknown block kind.")
ERROR_PACKAGE_REFERENCE = _("This block must name an imported package and one of its SCOs.")


def video_max_bytes() -> int:
    return settings.MICROLEARNING_VIDEO_MAX_BYTES


def image_max_bytes() -> int:
    return settings.MICROLEARNING_IMAGE_MAX_BYTES


# --- Small helpers --------------------------------------------------------------------


def _text(data: dict, name: str, *, max_length: int, required: bool, errors: dict) -> str:
    value = data.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        errors[name] = ERROR_REQUIRED
    elif len(value) > max_length:
        errors[name] = ValidationError(ERROR_TOO_LONG, params={"max": max_length})
    return value


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _size_check(file: File, limit: int) -> None:
    if file.size is not None and file.size > limit:
        raise ValidationError(
            ERROR_FILE_TOO_BIG,
            params={"size": filesizeformat(file.size), "max": filesizeformat(limit)},
        )


def _head(file: File, length: int = 16) -> bytes:
    file.seek(0)
    head = file.read(length)
    file.seek(0)
    return head


def is_new_upload(file: Any) -> bool:
    """An uploaded file (checked now), not the file a block already has (checked before)."""
    return file is not None and hasattr(file, "content_type")


# --- Files ----------------------------------------------------------------------------


def video_file_clean(file: File) -> None:
    """An MP4 or WebM video under the size limit, by extension, content type and first bytes."""
    extension = PurePath(file.name or "").suffix.lower()
    declared = getattr(file, "content_type", None)
    if extension not in VIDEO_TYPES or (declared and declared != VIDEO_TYPES[extension]):
        raise ValidationError(ERROR_VIDEO_TYPE)
    _size_check(file, video_max_bytes())
    head = _head(file)
    looks_right = head[4:8] == b"ftyp" if extension == ".mp4" else head[:4] == b"\x1a\x45\xdf\xa3"
    if not looks_right:
        raise ValidationError(ERROR_VIDEO_TYPE)


def image_file_clean(file: File) -> tuple[int, int]:
    """A PNG, JPEG, WebP or GIF under the size limit that Pillow reads (no SVG: it can script).

    Returns its width and height, which pages state so the layout does not jump when it loads.
    """
    from PIL import Image, UnidentifiedImageError

    extension = PurePath(file.name or "").suffix.lower()
    declared = getattr(file, "content_type", None)
    if extension not in IMAGE_TYPES or (declared and declared != IMAGE_TYPES[extension]):
        raise ValidationError(ERROR_IMAGE_TYPE)
    _size_check(file, image_max_bytes())
    try:
        file.seek(0)
        with Image.open(file) as image:
            image.verify()
            found = PILLOW_FORMATS.get(image.format or "")
            size = image.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(ERROR_IMAGE_BROKEN) from exc
    finally:
        file.seek(0)
    if found != IMAGE_TYPES[extension]:
        raise ValidationError(ERROR_IMAGE_TYPE)
    return size


# --- Video links ----------------------------------------------------------------------

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{1,12}$")


def video_embed_url(url: str) -> str:
    """The privacy-friendly embed URL for a YouTube or Vimeo link; anything else raises.

    Only ids are taken from the link, never its query or path, so nothing the
    author pasted ends up in the page except an id that matched a strict pattern.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme in {"http", "https"}:
        video_id = None
        if host in {"youtube.com", "youtube-nocookie.com"}:
            if segments == ["watch"]:
                video_id = (parse_qs(parts.query).get("v") or [""])[0]
            elif len(segments) == 2 and segments[0] in {"embed", "shorts", "live", "v"}:
                video_id = segments[1]
        elif host == "youtu.be" and len(segments) == 1:
            video_id = segments[0]
        if video_id is not None and _YOUTUBE_ID.match(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
        vimeo_id = None
        if host == "vimeo.com" and segments:
            vimeo_id = segments[-1] if segments[0] in {"video", "channels"} else segments[0]
        elif host == "player.vimeo.com" and len(segments) == 2 and segments[0] == "video":
            vimeo_id = segments[1]
        if vimeo_id is not None and _VIMEO_ID.match(vimeo_id):
            return f"https://player.vimeo.com/video/{vimeo_id}?dnt=1"
    raise ValidationError(ERROR_VIDEO_URL)


# --- Per kind -------------------------------------------------------------------------


def _clean_text(data: dict, file: Any, errors: dict) -> dict:
    markdown = data.get("markdown")
    markdown = "" if markdown is None else str(markdown)
    if not markdown.strip():
        errors["markdown"] = ERROR_REQUIRED
    elif len(markdown) > MARKDOWN_MAX_LENGTH:
        errors["markdown"] = ValidationError(ERROR_TOO_LONG, params={"max": MARKDOWN_MAX_LENGTH})
    return {"markdown": markdown}


def _clean_video(data: dict, file: Any, errors: dict) -> dict:
    url = str(data.get("embed_url") or "").strip()
    caption = _text(data, "caption", max_length=CAPTION_MAX_LENGTH, required=False, errors=errors)
    if bool(url) == bool(file):
        errors["embed_url"] = ERROR_VIDEO_ONE_SOURCE
        return {"caption": caption}
    if url:
        try:
            return {"embed_url": video_embed_url(url), "caption": caption}
        except ValidationError as exc:
            errors["embed_url"] = exc
    elif is_new_upload(file):
        try:
            video_file_clean(file)
        except ValidationError as exc:
            errors["file"] = exc
    return {"caption": caption}


def _clean_image(data: dict, file: Any, errors: dict) -> dict:
    alt = _text(data, "alt", max_length=ALT_MAX_LENGTH, required=True, errors=errors)
    if "alt" in errors and alt == "":
        errors["alt"] = ERROR_ALT_REQUIRED
    caption = _text(data, "caption", max_length=CAPTION_MAX_LENGTH, required=False, errors=errors)
    size = [data.get("width"), data.get("height")]  # kept when the file stays the same
    if not file:
        errors["file"] = ERROR_IMAGE_REQUIRED
    elif is_new_upload(file):
        try:
            size = list(image_file_clean(file))
        except ValidationError as exc:
            errors["file"] = exc
    cleaned = {"alt": alt, "caption": caption}
    if all(isinstance(n, int) and n > 0 for n in size):
        cleaned["width"], cleaned["height"] = size
    return cleaned


def _clean_checklist(data: dict, file: Any, errors: dict) -> dict:
    items = data.get("items")
    if not isinstance(items, list | tuple):
        errors["items"] = ERROR_NOT_A_LIST
        return {"items": []}
    items = ["" if item is None else str(item).strip() for item in items]
    if not 1 <= len(items) <= CHECKLIST_MAX_ITEMS:
        errors["items"] = ValidationError(
            ERROR_CHECKLIST_COUNT, params={"max": CHECKLIST_MAX_ITEMS}
        )
    else:
        problems = []
        for number, item in enumerate(items, start=1):
            if not item:
                problems.append(ValidationError(ERROR_CHECKLIST_EMPTY, params={"number": number}))
            elif len(item) > CHECKLIST_ITEM_MAX_LENGTH:
                problems.append(
                    ValidationError(ERROR_TOO_LONG, params={"max": CHECKLIST_ITEM_MAX_LENGTH})
                )
        if problems:
            errors["items"] = problems
    return {"items": items}


def _clean_question(data: dict, file: Any, errors: dict) -> dict:
    prompt = _text(data, "prompt", max_length=PROMPT_MAX_LENGTH, required=True, errors=errors)
    explanation = _text(
        data, "explanation", max_length=MARKDOWN_MAX_LENGTH, required=False, errors=errors
    )
    multiple = bool(data.get("multiple", False))
    raw = data.get("options")
    options: list[dict] = []
    if not isinstance(raw, list | tuple):
        errors["options"] = ERROR_NOT_A_LIST
    else:
        problems = []
        for number, option in enumerate(raw, start=1):
            option = option if isinstance(option, dict) else {"text": option}
            text = str(option.get("text") or "").strip()
            feedback = str(option.get("feedback") or "").strip()
            if not text:
                problems.append(ValidationError(ERROR_OPTION_EMPTY, params={"number": number}))
            elif len(text) > OPTION_TEXT_MAX_LENGTH or len(feedback) > FEEDBACK_MAX_LENGTH:
                problems.append(
                    ValidationError(ERROR_TOO_LONG, params={"max": OPTION_TEXT_MAX_LENGTH})
                )
            options.append(
                {"text": text, "correct": bool(option.get("correct")), "feedback": feedback}
            )
        correct = sum(option["correct"] for option in options)
        if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
            problems.insert(
                0,
                ValidationError(
                    ERROR_OPTIONS_COUNT, params={"min": OPTIONS_MIN, "max": OPTIONS_MAX}
                ),
            )
        elif multiple and correct < 1:
            problems.append(ValidationError(ERROR_MULTIPLE_ONE_CORRECT))
        elif not multiple and correct != 1:
            problems.append(ValidationError(ERROR_SINGLE_ONE_CORRECT))
        if problems:
            errors["options"] = problems
    return {"prompt": prompt, "multiple": multiple, "options": options, "explanation": explanation}


def _clean_prompt(data: dict, file: Any, errors: dict) -> dict:
    return {
        "prompt": _text(data, "prompt", max_length=PROMPT_MAX_LENGTH, required=True, errors=errors)
    }


# The standards a package block can hold; cmi5 is the next one ``packages`` will import.
PACKAGE_STANDARDS = frozenset({"scorm12", "scorm2004"})


def _clean_package(data: dict, file: Any, errors: dict) -> dict:
    """Only what the importer wrote: the package's id, its standard and the SCO to launch.

    Whether the package exists is for ``packages`` to say (it sits above this app).
    """
    package, sco = data.get("package"), str(data.get("sco") or "")
    standard = str(data.get("standard") or "")
    title = str(data.get("title") or "")[:CAPTION_MAX_LENGTH]
    if not isinstance(package, int) or package < 1 or not sco or standard not in PACKAGE_STANDARDS:
        errors["package"] = ERROR_PACKAGE_REFERENCE
    return {"package": package, "standard": standard, "sco": sco, "title": title}


_CLEANERS = {
    Block.Kind.TEXT: _clean_text,
    Block.Kind.VIDEO: _clean_video,
    Block.Kind.IMAGE: _clean_image,
    Block.Kind.CHECKLIST: _clean_checklist,
    Block.Kind.QUESTION: _clean_question,
    Block.Kind.REFLECTION: _clean_prompt,
    Block.Kind.APPLY: _clean_prompt,
    Block.Kind.PACKAGE: _clean_package,
}

# Kinds that may carry a file; every other kind's file is dropped on save.
FILE_KINDS = {Block.Kind.VIDEO, Block.Kind.IMAGE}


def block_clean(*, kind: str, data: Any, file: Any = None) -> dict:
    """The block's ``data`` in its one shape, or ``ValidationError`` keyed by field.

    ``file`` is a new upload (checked here) or the file the block already has.
    """
    if kind not in _CLEANERS:
        raise ValidationError({"kind": ERROR_UNKNOWN_KIND})
    if not isinstance(data, dict):
        data = {}
    errors: dict[str, Any] = {}
    cleaned = _CLEANERS[Block.Kind(kind)](data, file or None, errors)
    _raise(errors)
    return cleaned
