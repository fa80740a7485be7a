"""The content-package rows for an organisation of the isolation walk (tests/isolation.py).

The author imports a SCORM 1.2 package whose title holds the world's canary, publishes
it, and the learner's attempt stores canary words as its suspend data and bookmark.
"""

from __future__ import annotations

import io
import tempfile

from django.test import override_settings

from microlearning.models import Block, Unit
from microlearning.services import units as unit_services
from packages import services
from tests.packages.builders import scorm12_zip


def build_packages(*, members, text) -> dict:
    data = scorm12_zip(title=text("scorm-package"))
    author, learner = members["author"], members["learner"]
    # The world is built once per module, outside any test's MEDIA_ROOT: keep its
    # files out of the checkout's var/media (the walk never needs them).
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="werkwijs-packages-")):
        package = services.package_import(by=author, upload=io.BytesIO(data), size=len(data))
    unit = Unit.objects.get(pk=package.unit_id)
    unit_services.unit_publish(unit=unit, by=author)
    unit.refresh_from_db()
    block = Block.objects.get(version_id=unit.live_version_id)
    attempt = services.attempt_open(package=package, block=block, membership=learner)
    services.attempt_commit(
        attempt=attempt,
        values={
            "cmi.suspend_data": text("scorm-suspend"),
            "cmi.core.lesson_location": text("scorm-location"),
        },
        finish=False,
        membership=learner,
    )
    return {"package": package, "unit": unit, "block": block, "attempt": attempt}
