"""me/, teams/ and members/: who the caller is, how the organisation is built, who they may see."""

import pytest

from tests.api.support import error_of

pytestmark = pytest.mark.django_db


def emails(response) -> list[str]:
    return sorted(row["email"] for row in response.json()["results"])


def test_me_describes_the_calling_manager(acme, as_member, api_url):
    response = as_member(acme.manager).get(api_url("organisations_api:me"))

    assert response.status_code == 200
    assert response.json() == {
        "id": acme.manager.pk,
        "name": acme.manager.display_name,
        "email": "maud@acme.test",
        "language": "en",
        "roles": ["learner", "manager"],
        "team": {"id": acme.service.pk, "name": "Service"},
        "is_manager": True,
        "organisation": {
            "slug": "acme",
            "name": "Acme",
            "language": "en",
            "time_zone": "Europe/Amsterdam",
        },
    }


@pytest.mark.parametrize(
    ("who", "roles"),
    [
        ("learner", ["learner"]),
        ("author", ["learner", "author"]),
        ("hr", ["learner", "hr"]),
        ("admin", ["learner", "admin"]),
    ],
)
def test_me_lists_the_roles_of_each_member(acme, as_member, api_url, who, roles):
    response = as_member(getattr(acme, who)).get(api_url("organisations_api:me"))

    assert response.json()["roles"] == roles
    assert response.json()["is_manager"] is False


def test_me_prefers_the_members_own_language(acme, as_member, api_url):
    acme.learner.user.language = "nl"
    acme.learner.user.save(update_fields=["language"])

    response = as_member(acme.learner).get(api_url("organisations_api:me"))

    assert response.json()["language"] == "nl"


def test_any_member_lists_the_teams_with_parent_and_manager(acme, as_member, api_url):
    response = as_member(acme.learner).get(api_url("organisations_api:teams"))

    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert response.json()["results"] == [
        {
            "id": acme.service.pk,
            "name": "Service",
            "parent_id": None,
            "manager": {"id": acme.manager.pk, "name": acme.manager.display_name},
        },
        {
            "id": acme.north.pk,
            "name": "Service North",
            "parent_id": acme.service.pk,
            "manager": None,
        },
        {"id": acme.elsewhere.pk, "name": "Warehouse", "parent_id": None, "manager": None},
    ]


def test_teams_of_another_organisation_are_not_listed(acme, globex, as_member, api_url):
    response = as_member(acme.admin).get(api_url("organisations_api:teams"))

    assert "Globex canary team" not in response.content.decode()


def test_admin_sees_every_member_including_deactivated_ones(acme, globex, as_member, api_url):
    acme.outsider.is_active = False
    acme.outsider.save(update_fields=["is_active"])

    response = as_member(acme.admin).get(api_url("organisations_api:members"))

    assert response.status_code == 200
    assert response.json()["count"] == 7
    outsider = next(r for r in response.json()["results"] if r["id"] == acme.outsider.pk)
    assert outsider["is_active"] is False
    manager = next(r for r in response.json()["results"] if r["id"] == acme.manager.pk)
    assert manager["roles"] == ["learner", "manager"]
    assert manager["team"] == {"id": acme.service.pk, "name": "Service"}


def test_author_sees_every_active_member(acme, as_member, api_url):
    acme.outsider.is_active = False
    acme.outsider.save(update_fields=["is_active"])

    response = as_member(acme.author).get(api_url("organisations_api:members"))

    assert response.json()["count"] == 6
    assert acme.outsider.pk not in [r["id"] for r in response.json()["results"]]


def test_manager_sees_the_members_of_their_teams_and_the_teams_below(acme, as_member, api_url):
    response = as_member(acme.manager).get(api_url("organisations_api:members"))

    assert emails(response) == ["lena@acme.test", "maud@acme.test", "noor@acme.test"]


@pytest.mark.parametrize("who", ["learner", "hr"])
def test_members_without_a_reason_to_list_members_get_403(acme, as_member, api_url, who):
    response = as_member(getattr(acme, who)).get(api_url("organisations_api:members"))

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
