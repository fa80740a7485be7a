"""Small real files for upload tests: a PNG Pillow can read, the first bytes of an MP4."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png_bytes(size: tuple[int, int] = (4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name: str = "photo.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type=content_type)


def mp4_upload(name: str = "clip.mp4", content_type: str = "video/mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, content_type=content_type
    )
