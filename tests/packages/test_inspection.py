"""Every way an uploaded package is refused before anything is stored, and what is read."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from packages import inspection
from tests.packages.builders import scorm12_files, scorm2004_files, zip_of


def inspect(data: bytes):
    return inspection.package_inspect(io.BytesIO(data), size=len(data))[1]


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        inspect(data)
    return " ".join(caught.value.messages)


def test_a_scorm_12_package_names_its_sco_and_standard():
    found = inspect(zip_of(scorm12_files(title="Safe lifting")))
    assert found.standard == "scorm12" and found.schema_version == "1.2"
    assert found.title == "Safe lifting"
    assert [(s.identifier, s.title, s.href) for s in found.launchables] == [
        ("item-1", "Lesson one", "index.html")
    ]
    assert {m.filename for m in found.members} == {"imsmanifest.xml", "index.html", "style.css"}


def test_a_scorm_2004_package_launches_only_its_scos_not_its_assets():
    found = inspect(zip_of(scorm2004_files()))
    assert found.standard == "scorm2004" and found.schema_version == "2004 4th Edition"
    assert [s.href for s in found.launchables] == ["index.html"]


def test_the_items_parameters_travel_with_the_launch_file():
    files = scorm12_files(href="index.html?lang=nl")
    found = inspect(zip_of(files))
    assert found.launchables[0].href == "index.html?lang=nl"


def test_a_file_that_is_not_a_zip_is_refused():
    assert "not a zip file" in refusal(b"%PDF-1.4 this is not a zip")


def test_a_zip_without_a_manifest_is_refused():
    assert "no imsmanifest.xml" in refusal(zip_of({"index.html": "<p>hi</p>"}))


def test_a_manifest_in_a_subfolder_does_not_count():
    files = {f"course/{name}": data for name, data in scorm12_files().items()}
    assert "no imsmanifest.xml" in refusal(zip_of(files))


def test_a_package_over_the_size_limit_is_refused(settings):
    data = zip_of(scorm12_files())
    settings.CONTENT_PACKAGE_MAX_BYTES = len(data) - 1
    assert "the limit is" in refusal(data)


def test_a_zip_bomb_by_ratio_is_refused():
    files = {**scorm12_files(), "padding.txt": b"\0" * (5 * 1024 * 1024)}
    assert "zip bomb" in refusal(zip_of(files))


def test_a_zip_bomb_by_total_size_is_refused(settings):
    settings.CONTENT_PACKAGE_MAX_UNPACKED_BYTES = 20_000
    files = {**scorm12_files(), "big.bin": bytes(range(256)) * 100}
    assert "unpacks to more than" in refusal(zip_of(files))


def test_a_member_is_never_read_past_the_limit_it_is_given():
    data = zip_of({**scorm12_files(), "small.txt": b"a" * 10})
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("small.txt")
    with pytest.raises(ValidationError):
        inspection.read_member(archive, info, limit=5)


def test_too_many_files_are_refused(settings):
    settings.CONTENT_PACKAGE_MAX_FILES = 3
    files = {**scorm12_files(), "extra.txt": "x"}
    assert "more than 3 files" in refusal(zip_of(files))


@pytest.mark.parametrize(
    "name", ["../evil.html", "course/../../evil.html", "/etc/passwd", "C:/windows/evil.exe"]
)
def test_paths_that_climb_out_of_the_package_are_refused(name):
    assert "outside its own folder" in refusal(zip_of({**scorm12_files(), name: "x"}))


def test_a_backslash_path_that_climbs_out_is_refused_too():
    assert "outside its own folder" in refusal(zip_of({**scorm12_files(), "..\\evil.html": "x"}))


def test_a_launch_file_outside_the_package_is_refused():
    assert "outside its own folder" in refusal(zip_of(scorm12_files(href="../index.html")))


def test_a_launch_file_that_is_missing_is_refused():
    assert "not in the package" in refusal(zip_of(scorm12_files(href="missing.html")))


def test_symbolic_links_are_refused():
    data = zip_of(scorm12_files(), symlinks={"passwd": "/etc/passwd"})
    assert "symbolic link" in refusal(data)


def test_a_manifest_that_is_not_well_formed_is_refused():
    files = {**scorm12_files(), "imsmanifest.xml": "<manifest><organizations>"}
    assert "not well-formed" in refusal(zip_of(files))


def test_external_entities_are_refused_xxe():
    manifest = (
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<manifest><metadata><schemaversion>&x;</schemaversion></metadata></manifest>"
    )
    assert "entities" in refusal(zip_of({**scorm12_files(), "imsmanifest.xml": manifest}))


def test_entity_expansion_is_refused_billion_laughs():
    manifest = (
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><manifest>&b;</manifest>'
    )
    assert "entities" in refusal(zip_of({**scorm12_files(), "imsmanifest.xml": manifest}))


def test_a_manifest_of_another_kind_is_refused():
    files = {**scorm12_files(), "imsmanifest.xml": "<manifest><resources/></manifest>"}
    assert "not a SCORM" in refusal(zip_of(files))


def test_a_manifest_without_a_sco_is_refused():
    files = scorm12_files()
    files["imsmanifest.xml"] = files["imsmanifest.xml"].replace(
        'scormtype="sco"', 'scormtype="asset"'
    )
    assert "launches no SCO" in refusal(zip_of(files))
