"""Importing a package as a unit, and an attempt's data model kept, resumed and completed."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from events.models import LearningEvent
from microlearning.models import Block, BlockProgress, Completion, Unit
from organisations.tenancy import organisation_scope
from packages import services
from packages.models import ContentPackage, PackageAttempt
from tests.packages.builders import scorm12_files, zip_of
from tests.packages.conftest import import_package

pytestmark = pytest.mark.django_db


def test_importing_makes_a_draft_unit_with_a_package_block_per_sco(author):
    package = import_package(author, zip_of(scorm12_files(title="Safe lifting")), publish=False)
    with organisation_scope(author.organisation_id):
        unit = Unit.objects.get(pk=package.unit_id)
        assert unit.title == "Safe lifting" and unit.status == Unit.Status.DRAFT
        [block] = Block.objects.filter(version=unit.draft_version)
        assert block.kind == Block.Kind.PACKAGE
        assert block.data == {
            "package": package.pk,
            "standard": "scorm12",
            "sco": "item-1",
            "title": "Lesson one",
        }
    prefix = f"org-{author.organisation_id}/packages/{package.folder}/"
    assert package.storage_prefix == prefix
    assert default_storage.exists(prefix + "index.html")
    assert default_storage.exists(prefix + "imsmanifest.xml")


def test_a_refused_package_stores_nothing(author):
    with organisation_scope(author.organisation_id), pytest.raises(ValidationError):
        data = zip_of({**scorm12_files(), "../evil.html": "x"})
        services.package_import(by=author, upload=io.BytesIO(data), size=len(data))
    with organisation_scope(author.organisation_id):
        assert not ContentPackage.objects.filter(organisation_id=author.organisation_id).exists()
        assert not Unit.objects.filter(organisation_id=author.organisation_id).exists()


def test_a_package_whose_storage_fails_midway_leaves_no_files(author, monkeypatch):
    saved = []
    real_save = default_storage.save

    def flaky(name, content, **kwargs):
        if name.endswith("style.css"):
            raise OSError("disk full")
        saved.append(real_save(name, content, **kwargs))
        return saved[-1]

    monkeypatch.setattr(default_storage, "save", flaky)
    data = zip_of(scorm12_files())
    with organisation_scope(author.organisation_id), pytest.raises(OSError):
        services.package_import(by=author, upload=io.BytesIO(data), size=len(data))
    assert saved and not any(default_storage.exists(name) for name in saved)


def _live_block(package):
    return Block.objects.get(version_id=Unit.objects.get(pk=package.unit_id).live_version_id)


def test_a_suspended_attempt_resumes_where_the_learner_stopped(scorm12, learner):
    with organisation_scope(learner.organisation_id):
        block = _live_block(scorm12)
        attempt = services.attempt_open(package=scorm12, block=block, membership=learner)
        first = services.launch_values(attempt=attempt, membership=learner)
        assert first["cmi.core.entry"] == "ab-initio"
        assert first["cmi.core.lesson_status"] == "not attempted"
        services.attempt_commit(
            attempt=attempt,
            values={
                "cmi.core.lesson_location": "page-2",
                "cmi.suspend_data": "answers=1,2",
                "cmi.core.lesson_status": "incomplete",
                "cmi.core.exit": "suspend",
                "cmi.core.session_time": "0000:00:30.00",
            },
            finish=True,
            membership=learner,
        )
        again = services.attempt_open(package=scorm12, block=block, membership=learner)
        assert again.pk == attempt.pk
        values = services.launch_values(attempt=again, membership=learner)
        assert values["cmi.core.entry"] == "resume"
        assert values["cmi.core.lesson_location"] == "page-2"
        assert values["cmi.suspend_data"] == "answers=1,2"
        assert values["cmi.core.total_time"] == "0000:00:30.00"
        assert "cmi.core.exit" not in values  # write-only: never handed back
        again.refresh_from_db()
        assert (again.location, again.suspend_data, again.completion_status) == (
            "page-2",
            "answers=1,2",
            "incomplete",
        )
        assert not Completion.objects.filter(member=learner).exists()


def test_passing_the_sco_completes_the_unit_and_records_the_event(scorm12, learner):
    with organisation_scope(learner.organisation_id):
        block = _live_block(scorm12)
        attempt = services.attempt_open(package=scorm12, block=block, membership=learner)
        services.attempt_commit(
            attempt=attempt,
            values={"cmi.core.score.raw": "90", "cmi.core.lesson_status": "passed"},
            finish=True,
            membership=learner,
        )
        attempt.refresh_from_db()
        assert attempt.success_status == "passed" and attempt.score_raw == 90
        assert attempt.completed_at is not None
        progress = BlockProgress.objects.get(member=learner, block=block)
        assert progress.done_at and progress.state["result"]["score"] == 90
        assert Completion.objects.filter(member=learner, unit_id=scorm12.unit_id).exists()
        assert LearningEvent.objects.filter(
            actor=learner, verb=LearningEvent.Verb.COMPLETED, object_type="unit"
        ).exists()


def test_a_failed_sco_does_not_complete_the_unit(scorm12, learner):
    with organisation_scope(learner.organisation_id):
        attempt = services.attempt_open(
            package=scorm12, block=_live_block(scorm12), membership=learner
        )
        services.attempt_commit(
            attempt=attempt,
            values={"cmi.core.lesson_status": "failed"},
            finish=True,
            membership=learner,
        )
        attempt.refresh_from_db()
        assert (attempt.completion_status, attempt.success_status) == ("completed", "failed")
        assert not Completion.objects.filter(member=learner).exists()


def test_scorm_2004_completion_and_success_map_to_the_unit(scorm2004, learner):
    with organisation_scope(learner.organisation_id):
        attempt = services.attempt_open(
            package=scorm2004, block=_live_block(scorm2004), membership=learner
        )
        services.attempt_commit(
            attempt=attempt,
            values={"cmi.completion_status": "completed", "cmi.score.scaled": "0.8"},
            finish=False,
            membership=learner,
        )
        attempt.refresh_from_db()
        assert attempt.score_scaled == 0.8
        assert Completion.objects.filter(member=learner, unit_id=scorm2004.unit_id).exists()


@pytest.mark.parametrize(
    "values",
    [
        {"cmi.core.lesson_status": "excellent"},
        {"cmi.core.student_name": "Someone else"},  # read-only
        {"cmi.core.score.raw": "101"},
        {"cmi.core._children": "x"},
        {"cmi.unknown": "x"},
        {"cmi.interactions.3.id": "q1"},  # arrays grow one entry at a time
        {"cmi.suspend_data": "x" * 4097},
        {"cmi.core.lesson_status": 1},
    ],
)
def test_a_commit_the_data_model_forbids_stores_nothing(scorm12, learner, values):
    with organisation_scope(learner.organisation_id):
        attempt = services.attempt_open(
            package=scorm12, block=_live_block(scorm12), membership=learner
        )
        good = {"cmi.core.lesson_location": "page-9"}
        with pytest.raises(ValidationError):
            services.attempt_commit(
                attempt=attempt, values={**good, **values}, finish=False, membership=learner
            )
        attempt.refresh_from_db()
        assert attempt.cmi == {} and attempt.location == ""


def test_a_token_names_its_attempt_and_a_changed_key_revokes_it(scorm12, learner):
    with organisation_scope(learner.organisation_id):
        attempt = services.attempt_open(
            package=scorm12, block=_live_block(scorm12), membership=learner
        )
    token = services.attempt_token(attempt)
    assert services.token_read(token) == (attempt.organisation_id, attempt.pk, attempt.key)
    with pytest.raises(services.BadToken):
        services.token_read(token[:-2] + "xx")
    with organisation_scope(learner.organisation_id):
        PackageAttempt.objects.filter(pk=attempt.pk).update(key="new")
        from packages.selectors import attempt_for_launch

        assert (
            attempt_for_launch(
                organisation_id=attempt.organisation_id, attempt_id=attempt.pk, key=attempt.key
            )
            is None
        )


def test_a_package_block_cannot_be_written_by_hand(author, scorm12):
    from microlearning.services import blocks as block_services

    with organisation_scope(author.organisation_id):
        unit = Unit.objects.get(pk=scorm12.unit_id)
        data = {"package": scorm12.pk, "standard": "scorm12", "sco": "item-1", "title": "x"}
        with pytest.raises(ValidationError):
            block_services.block_add(unit=unit, kind="package", data=data, by=author)
        with pytest.raises(ValidationError):
            block_services.block_update(block=_live_block(scorm12), data=data, by=author)


def test_a_damaged_member_is_refused_and_nothing_stays_stored(author):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in scorm12_files().items():
            archive.writestr(name, data)
    data = buffer.getvalue().replace(b"Lesson one</h1>", b"Lesson two</h1>")  # CRC now wrong
    with organisation_scope(author.organisation_id), pytest.raises(ValidationError) as caught:
        services.package_import(by=author, upload=io.BytesIO(data), size=len(data))
    assert "damaged" in " ".join(caught.value.messages)
    _folders, files = default_storage.listdir(f"org-{author.organisation_id}/packages/")
    assert not files and all(
        not default_storage.listdir(f"org-{author.organisation_id}/packages/{f}/")[1]
        for f in _folders
    )
