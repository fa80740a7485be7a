"""Trajectory covers, served only through the organisation, like unit covers."""

from __future__ import annotations

from csp.decorators import csp
from django.shortcuts import get_object_or_404

from microlearning.views.files import FILE_POLICY, _file_response
from organisations.access import member_required

from ..access import openable_versions


@csp(FILE_POLICY)
@member_required()
def cover_image(request, trajectory_version_id: int):
    version = get_object_or_404(openable_versions(request), pk=trajectory_version_id)
    return _file_response(request, version.cover_image)
