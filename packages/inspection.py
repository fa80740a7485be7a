"""Reading an uploaded package before a byte of it is stored: the zip, then the manifest.

Everything a person could upload by mistake or on purpose is refused here with a
message they can act on: a file that is not a zip, a zip without ``imsmanifest.xml``,
a zip bomb (too much unpacked in all, or a file squeezed more than ``MAX_RATIO`` to
one), names that climb out of the package (``..``, absolute paths, drive letters),
symbolic links, too many files, and a manifest that is not well-formed XML or uses
a DTD, entities or external references (defusedxml refuses those: no XXE, no
billion laughs). The manifest must name at least one SCO reachable from its default
organisation.

cmi5 comes next: its ``cmi5.xml`` is read the same way (``read_zip`` and
``parse_xml`` are standard-neutral); only the walk of the course structure differs.
"""

from __future__ import annotations

import posixpath
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# A text file squeezed 100 to 1 is already unusual; zip bombs reach a thousand and more.
MAX_RATIO = 100
MANIFEST = "imsmanifest.xml"
MANIFEST_MAX_BYTES = 5 * 1024 * 1024

ERROR_NOT_A_ZIP = _("This file is not a zip file. Upload the SCORM package as a .zip.")
ERROR_TOO_BIG = _("The package is %(size)s; the limit is %(max)s.")
ERROR_UNPACKS_TOO_BIG = _(
    "The package unpacks to more than %(max)s. It may be a zip bomb; it was not imported."
)
ERROR_RATIO = _("“%(name)s” is compressed suspiciously well (a zip bomb?); it was not imported.")
ERROR_TOO_MANY_FILES = _("The package holds more than %(max)s files.")
ERROR_UNSAFE_PATH = _("The package contains a file outside its own folder: “%(name)s”.")
ERROR_SYMLINK = _("The package contains a symbolic link (“%(name)s”); links are not allowed.")
ERROR_BROKEN_ZIP = _("The zip file is damaged and cannot be read.")
ERROR_NO_MANIFEST = _("The package has no imsmanifest.xml at its top level. Is it a SCORM package?")
ERROR_BAD_XML = _("imsmanifest.xml is not well-formed XML: %(problem)s")
ERROR_XML_ENTITIES = _(
    "imsmanifest.xml uses a DTD, entities or external references, which are not allowed."
)
ERROR_NOT_SCORM = _("imsmanifest.xml is not a SCORM 1.2 or SCORM 2004 manifest.")
ERROR_NO_SCO = _("The manifest's default organisation launches no SCO.")
ERROR_MISSING_FILE = _("The manifest launches “%(name)s”, which is not in the package.")

ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"


@dataclass(frozen=True)
class Launchable:
    identifier: str
    title: str
    href: str  # a path inside the package, with the item's parameters as its query


@dataclass
class Inspected:
    standard: str
    schema_version: str
    identifier: str
    title: str
    launchables: list[Launchable]
    members: list[zipfile.ZipInfo] = field(default_factory=list)  # the files to store
    unpacked_bytes: int = 0


def safe_name(raw: str) -> str | None:
    """The member's path inside the package, or None if it would land outside it."""
    name = raw.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or "\x00" in name:
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    # Unix attributes sit in the high 16 bits when the zip was made on a Unix system.
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def read_zip(upload: IO[bytes], *, size: int | None) -> zipfile.ZipFile:
    """The upload as an open zip whose every member is safe to unpack; raises otherwise."""
    limit = settings.CONTENT_PACKAGE_MAX_BYTES
    if size is not None and size > limit:
        raise ValidationError(
            ERROR_TOO_BIG, params={"size": filesizeformat(size), "max": filesizeformat(limit)}
        )
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        raise ValidationError(ERROR_NOT_A_ZIP)
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ValidationError(ERROR_BROKEN_ZIP) from exc
    if len(infos) > settings.CONTENT_PACKAGE_MAX_FILES:
        raise ValidationError(
            ERROR_TOO_MANY_FILES, params={"max": settings.CONTENT_PACKAGE_MAX_FILES}
        )
    unpacked_limit = settings.CONTENT_PACKAGE_MAX_UNPACKED_BYTES
    total = 0
    for info in infos:
        if safe_name(info.filename) is None:
            raise ValidationError(ERROR_UNSAFE_PATH, params={"name": info.filename[:200]})
        if _is_symlink(info):
            raise ValidationError(ERROR_SYMLINK, params={"name": info.filename[:200]})
        total += info.file_size
        if total > unpacked_limit:
            raise ValidationError(
                ERROR_UNPACKS_TOO_BIG, params={"max": filesizeformat(unpacked_limit)}
            )
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ValidationError(ERROR_RATIO, params={"name": info.filename[:200]})
    return archive


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int) -> bytes:
    """A member's bytes, never more than it declared (zipfile stops there) nor ``limit``."""
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        raise ValidationError(ERROR_BROKEN_ZIP) from exc
    if len(data) > limit:
        raise ValidationError(ERROR_UNPACKS_TOO_BIG, params={"max": filesizeformat(limit)})
    return data


def parse_xml(data: bytes, *, name: str = MANIFEST) -> Element:
    """The document's root; a DTD, an entity or an external reference is refused outright."""
    try:
        return defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise ValidationError(ERROR_XML_ENTITIES) from exc
    except (ParseError, ValueError) as exc:
        raise ValidationError(ERROR_BAD_XML, params={"problem": str(exc)[:200]}) from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _attribute(element: Element, name: str) -> str:
    """An attribute by its local name, whatever namespace (or none) the tool gave it."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _standard(root: Element, raw: bytes) -> tuple[str, str]:
    metadata = _child(root, "metadata")
    version = _text(_child(metadata, "schemaversion")) if metadata is not None else ""
    if ADLCP_2004.encode() in raw or version.startswith(("2004", "CAM 1.3")):
        return "scorm2004", version
    if ADLCP_12.encode() in raw or version == "1.2":
        return "scorm12", version
    raise ValidationError(ERROR_NOT_SCORM)


def _items(element: Element) -> list[Element]:
    found = []
    for item in _children(element, "item"):
        found.append(item)
        found.extend(_items(item))
    return found


def _join_base(*parts: str) -> str:
    return posixpath.join(*[p for p in parts if p])


def manifest_read(raw: bytes, names: set[str]) -> Inspected:
    """The standard, titles and SCOs of ``imsmanifest.xml``; ``names`` are the package's files."""
    root = parse_xml(raw)
    if _local(root.tag) != "manifest":
        raise ValidationError(ERROR_NOT_SCORM)
    standard, version = _standard(root, raw)
    organisations = _child(root, "organizations")
    resources = _child(root, "resources")
    if organisations is None or resources is None:
        raise ValidationError(ERROR_NO_SCO)
    candidates = _children(organisations, "organization")
    default = _attribute(organisations, "default")
    organisation = next(
        (o for o in candidates if _attribute(o, "identifier") == default),
        candidates[0] if candidates else None,
    )
    if organisation is None:
        raise ValidationError(ERROR_NO_SCO)
    resources_base = _attribute(resources, "base")
    by_id = {_attribute(r, "identifier"): r for r in _children(resources, "resource")}
    launchables = []
    for item in _items(organisation):
        resource = by_id.get(_attribute(item, "identifierref"))
        if resource is None or _attribute(resource, "scormtype").lower() != "sco":
            continue
        href = _attribute(resource, "href")
        path, _sep, query = _join_base(
            resources_base, _attribute(resource, "base"), href
        ).partition("?")
        path = safe_name(path)
        if not path:
            raise ValidationError(ERROR_UNSAFE_PATH, params={"name": href[:200]})
        if path not in names:
            raise ValidationError(ERROR_MISSING_FILE, params={"name": href[:200]})
        parameters = _attribute(item, "parameters").lstrip("?&")
        query = "&".join(q for q in (query, parameters) if q)
        launchables.append(
            Launchable(
                identifier=_attribute(item, "identifier")[:200],
                title=(_text(_child(item, "title")) or path)[:200],
                href=f"{path}?{query}" if query else path,
            )
        )
    if not launchables:
        raise ValidationError(ERROR_NO_SCO)
    title = _text(_child(organisation, "title")) or _attribute(root, "identifier") or "SCORM"
    return Inspected(
        standard=standard,
        schema_version=version[:50],
        identifier=_attribute(root, "identifier")[:200],
        title=title[:200],
        launchables=launchables,
    )


def package_inspect(upload: IO[bytes], *, size: int | None) -> tuple[zipfile.ZipFile, Inspected]:
    """The open zip and what its manifest says, or ``ValidationError`` with the reason."""
    archive = read_zip(upload, size=size)
    files = [info for info in archive.infolist() if not info.is_dir()]
    by_name = {safe_name(info.filename): info for info in files}
    manifest = by_name.get(MANIFEST)
    if manifest is None:
        raise ValidationError(ERROR_NO_MANIFEST)
    inspected = manifest_read(
        read_member(archive, manifest, limit=MANIFEST_MAX_BYTES), set(by_name) - {None}
    )
    inspected.members = files
    inspected.unpacked_bytes = sum(info.file_size for info in files)
    return archive, inspected
