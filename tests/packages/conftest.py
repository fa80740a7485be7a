from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from microlearning.models import Unit
from microlearning.services import units as unit_services
from organisations.tenancy import organisation_scope
from packages import services
from tests.factories import MembershipFactory
from tests.packages.builders import scorm12_zip, scorm2004_zip


@pytest.fixture
def author(organisation):
    return MembershipFactory(organisation=organisation, is_author=True)


@pytest.fixture
def learner(organisation):
    return MembershipFactory(organisation=organisation)


def import_package(author, data: bytes, *, publish: bool = True):
    with organisation_scope(author.organisation_id):
        package = services.package_import(by=author, upload=io.BytesIO(data), size=len(data))
        if publish:
            unit = Unit.objects.get(pk=package.unit_id)
            unit_services.unit_publish(unit=unit, by=author)
    return package


@pytest.fixture
def scorm12(author):
    return import_package(author, scorm12_zip())


@pytest.fixture
def scorm2004(author):
    return import_package(author, scorm2004_zip())


def upload(data: bytes, name: str = "package.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")
