"""The admin's work days page: whose public holidays count and the organisation's own days off."""

import datetime as dt

import pytest
from django.urls import reverse

from organisations.models import AuditLog, OrganisationHoliday
from organisations.tenancy import organisation_scope
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def url(organisation, *args, name="work_days"):
    return reverse(f"organisations:{name}", args=[organisation.slug, *args])


def days_off(organisation):
    with organisation_scope(organisation.pk):
        return list(OrganisationHoliday.objects.values_list("date", "name"))


def test_the_page_lists_the_coming_public_holidays_of_the_country(org_admin_client, organisation):
    organisation.holiday_country = "NL"
    organisation.save()

    page = org_admin_client.get(url(organisation)).content.decode()

    assert "Christmas Day" in page and "Public holidays of" in page


def test_the_admin_chooses_another_country(org_admin_client, organisation):
    response = org_admin_client.post(
        url(organisation), {"action": "country", "holiday_country": "BE"}
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.holiday_country == "BE"
    with organisation_scope(organisation.pk):
        assert AuditLog.objects.filter(action="organisation.work_days_updated").exists()


def test_an_unknown_country_is_a_field_error(org_admin_client, organisation):
    response = org_admin_client.post(
        url(organisation), {"action": "country", "holiday_country": "ZZ"}
    )

    assert response.status_code == 200
    assert "holiday_country" in response.context["country_form"].errors
    organisation.refresh_from_db()
    assert organisation.holiday_country == "NL"


def test_a_day_off_is_added_once(org_admin_client, organisation):
    day = {"action": "day_off", "date": "2031-05-02", "name": "Heidag"}

    first = org_admin_client.post(url(organisation), day)
    again = org_admin_client.post(url(organisation), day)

    assert first.status_code == 302
    assert again.status_code == 200 and "date" in again.context["day_off_form"].errors
    assert days_off(organisation) == [(dt.date(2031, 5, 2), "Heidag")]
    assert "Heidag" in org_admin_client.get(url(organisation)).content.decode()


def test_a_bad_date_keeps_the_name_typed(org_admin_client, organisation):
    response = org_admin_client.post(
        url(organisation), {"action": "day_off", "date": "31-31-2031", "name": "Heidag"}
    )

    assert response.status_code == 200
    assert 'value="Heidag"' in response.content.decode()
    assert days_off(organisation) == []


def test_a_day_off_is_removed_by_post_only(org_admin_client, organisation):
    with organisation_scope(organisation.pk):
        day_off = OrganisationHoliday.objects.create(
            organisation=organisation, date=dt.date(2031, 5, 2)
        )
    delete = url(organisation, day_off.pk, name="day_off_delete")

    assert org_admin_client.get(delete).status_code == 405
    assert org_admin_client.post(delete).status_code == 302
    assert days_off(organisation) == []


def test_another_organisations_day_off_is_not_found(org_admin_client, organisation):
    other = OrganisationFactory()
    with organisation_scope(other.pk):
        theirs = OrganisationHoliday.objects.create(organisation=other, date=dt.date(2031, 5, 2))

    response = org_admin_client.post(url(organisation, theirs.pk, name="day_off_delete"))

    assert response.status_code == 404
    assert days_off(other) == [(dt.date(2031, 5, 2), "")]


def test_only_admins_open_the_page(client, organisation, member):
    client.force_login(member.user)

    assert client.get(url(organisation)).status_code == 403
