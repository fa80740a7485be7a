"""Files of one organisation, served only through it.

Uploaded block files and cover images are never served straight from
MEDIA_ROOT: the view loads the row through the request's organisation (another
organisation's id is not found) and only if the member may open it
(``microlearning.access``): learners get the files of a published unit's live
version, authors any version's.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from csp.constants import NONE, SELF
from csp.decorators import csp
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import get_valid_filename

from organisations.access import member_required

from ..access import openable_blocks, openable_versions
from ..blocks import IMAGE_TYPES, VIDEO_TYPES

# Only types we accepted on upload are named; anything else is a download of bytes.
SERVED_TYPES = {**IMAGE_TYPES, **VIDEO_TYPES}


# A file is never a page: nothing in it may run, even when opened on its own.
FILE_POLICY = {"default-src": [NONE], "img-src": [SELF], "media-src": [SELF]}

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """One ``bytes=start-end`` range within the file, or None (then the whole file is sent)."""
    match = _RANGE.match(header.strip())
    if not match or size == 0 or match.groups() == ("", ""):
        return None
    start, end = match.groups()
    if start == "":  # the last N bytes
        first, last = max(size - int(end), 0), size - 1
    else:
        first, last = int(start), min(int(end) if end else size - 1, size - 1)
    return (first, last) if first <= last else None


def _chunks(handle, length: int):
    with handle:
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data


def _file_response(request, field_file):
    if not field_file:
        raise Http404
    name = PurePath(field_file.name).name
    extension = PurePath(name).suffix.lower()
    content_type = SERVED_TYPES.get(extension, "application/octet-stream")
    try:
        handle = field_file.open("rb")
        size = field_file.size
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = get_valid_filename(name) or "file"
    # Safari plays a video only from a server that answers byte ranges.
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if wanted is not None:
        first, last = wanted
        handle.seek(first)
        response = StreamingHttpResponse(
            _chunks(handle, last - first + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    else:
        response = FileResponse(
            handle,
            content_type=content_type,
            as_attachment=content_type == "application/octet-stream",
            filename=filename,
        )
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@csp(FILE_POLICY)
@member_required()
def block_file(request, block_id: int):
    blocks = openable_blocks(membership=request.membership)
    return _file_response(request, get_object_or_404(blocks, pk=block_id).file)


@csp(FILE_POLICY)
@member_required()
def cover_image(request, version_id: int):
    versions = openable_versions(membership=request.membership)
    return _file_response(request, get_object_or_404(versions, pk=version_id).cover_image)
