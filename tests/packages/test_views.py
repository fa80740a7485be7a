"""Importing through the page, playing sandboxed under a token, and the runtime's endpoint."""

from __future__ import annotations

import json

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from microlearning.models import Block, Unit
from organisations.tenancy import organisation_scope
from packages.models import ContentPackage, PackageAttempt
from tests.factories import MembershipFactory
from tests.packages.builders import scorm12_files, scorm12_zip, zip_of
from tests.packages.conftest import import_package, upload

pytestmark = pytest.mark.django_db


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def play_url(package) -> str:
    with organisation_scope(package.organisation_id):
        unit = Unit.objects.get(pk=package.unit_id)
        block = Block.objects.get(version_id=unit.live_version_id)
        slug = unit.organisation.slug
    return reverse("packages:play", args=[slug, unit.pk, block.pk])


def launch(client, package) -> str:
    response = client.get(play_url(package))
    assert response.status_code == 302
    return response["Location"]


def test_an_author_imports_a_package_and_lands_in_the_editor(author, organisation):
    response = signed_in(author).post(
        reverse("packages:upload", args=[organisation.slug]),
        {"package": upload(scorm12_zip(title="Safe lifting")), "title": ""},
    )
    with organisation_scope(organisation.pk):
        package = ContentPackage.objects.get(organisation=organisation)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "microlearning:unit_edit", args=[organisation.slug, package.unit_id]
    )
    assert package.title == "Safe lifting" and package.standard == "scorm12"


def test_a_refused_package_shows_why_next_to_the_file_field(author, organisation):
    bad = zip_of({**scorm12_files(), "../../etc/cron.d/x": "x"})
    response = signed_in(author).post(
        reverse("packages:upload", args=[organisation.slug]), {"package": upload(bad)}
    )
    assert response.status_code == 200
    assert "outside its own folder" in response.context["form"].errors["package"][0]


def test_a_learner_may_not_import_packages(learner, organisation):
    response = signed_in(learner).post(
        reverse("packages:upload", args=[organisation.slug]), {"package": upload(scorm12_zip())}
    )
    assert response.status_code == 403


def test_the_launch_page_is_sandboxed_and_carries_the_runtime(scorm12, learner):
    client = signed_in(learner)
    location = launch(client, scorm12)
    assert location.startswith("/c/") and location.endswith("/f/index.html")
    # The content needs no cookie: a client without a session gets it by the token alone.
    response = Client().get(location)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox allow-scripts allow-forms")
    assert "allow-same-origin" not in policy and "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Referrer-Policy"] == "no-referrer"
    page = response.content.decode()
    assert page.index('id="werkwijs-scorm"') < page.index("function findAPI")
    assert "packages/scorm-runtime.js" in page
    data = json.loads(page.split('id="werkwijs-scorm" type="application/json">')[1].split("<")[0])
    assert data["model"]["standard"] == "scorm12"
    assert data["values"]["cmi.core.entry"] == "ab-initio"
    assert data["commit"] == location.replace("/f/index.html", "/runtime/commit/")
    css = Client().get(location.replace("index.html", "style.css"))
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert css["Content-Security-Policy"].startswith("sandbox")


def test_a_forged_or_climbing_content_url_is_not_found(scorm12, learner):
    location = launch(signed_in(learner), scorm12)
    token = location.split("/")[2]
    assert Client().get(f"/c/{token}x/f/index.html").status_code == 404
    assert Client().get(f"/c/{token}/f/../../../settings.py").status_code == 404
    assert Client().get(f"/c/{token}/f/missing.html").status_code == 404


def test_the_runtime_commits_cross_origin_from_null_and_completes(scorm12, learner):
    commit = launch(signed_in(learner), scorm12).replace("/f/index.html", "/runtime/commit/")
    anonymous = Client()
    preflight = anonymous.options(commit, headers={"origin": "null"})
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "null"
    response = anonymous.post(
        commit,
        json.dumps({"values": {"cmi.core.lesson_status": "completed"}, "finish": True}),
        content_type="text/plain",
        headers={"origin": "null"},
    )
    assert response.status_code == 200 and response.json()["done"] is True
    assert response["Access-Control-Allow-Origin"] == "null"
    refused = anonymous.post(
        commit, json.dumps({"values": {"cmi.core.entry": "resume"}}), content_type="text/plain"
    )
    assert refused.status_code == 400 and "does not allow" in refused.json()["error"]
    assert anonymous.post(commit, "not json", content_type="text/plain").status_code == 400


def test_a_member_of_another_organisation_cannot_play_it(scorm12, other_organisation):
    stranger = MembershipFactory(organisation=other_organisation)
    url = play_url(scorm12).replace("/o/acme/", f"/o/{other_organisation.slug}/")
    assert signed_in(stranger).get(url).status_code == 404
    assert signed_in(stranger).get(play_url(scorm12)).status_code == 404


def test_an_author_previewing_a_draft_sees_no_player(author, organisation):
    package = import_package(author, scorm12_zip(), publish=False)
    response = signed_in(author).get(
        reverse("microlearning:unit_preview", args=[organisation.slug, package.unit_id])
    )
    assert response.status_code == 200
    assert b"package-frame" not in response.content
    assert b"learners play it here" in response.content


def test_the_learner_page_frames_the_player(scorm12, learner, organisation):
    response = signed_in(learner).get(
        reverse("microlearning:unit_detail", args=[organisation.slug, scorm12.unit_id])
    )
    assert response.status_code == 200
    assert play_url(scorm12).encode() in response.content
    assert "'self'" in response["Content-Security-Policy"].split("frame-src")[1].split(";")[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
def test_row_level_security_keeps_packages_and_attempts_apart(author, learner, other_organisation):
    mine = import_package(author, scorm12_zip())
    other_author = MembershipFactory(organisation=other_organisation, is_author=True)
    other = import_package(other_author, scorm12_zip())
    launch(signed_in(learner), mine)
    launch(signed_in(MembershipFactory(organisation=other_organisation)), other)

    def unfiltered():
        with scopes_disabled():
            return (
                set(ContentPackage.objects.values_list("organisation_id", flat=True)),
                set(PackageAttempt.objects.values_list("organisation_id", flat=True)),
            )

    both = {author.organisation_id, other_organisation.pk}
    assert unfiltered() == (both, both)
    for organisation_id in both:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('app.rls_bypass', 'off', true)")
                cursor.execute(
                    "SELECT set_config('app.organisation_id', %s, true)", [str(organisation_id)]
                )
            assert unfiltered() == ({organisation_id}, {organisation_id})
            transaction.set_rollback(True)
