from zoneinfo import ZoneInfo

from django.utils import timezone

from organisations.models import Organisation, zone_named


def test_an_organisation_lives_in_its_own_time_zone():
    assert Organisation(time_zone="America/Curacao").zone == ZoneInfo("America/Curacao")


def test_an_unknown_time_zone_reads_as_the_installations(settings):
    settings.TIME_ZONE = "Europe/Brussels"
    timezone.get_default_timezone.cache_clear()
    try:
        assert Organisation(time_zone="Mars/Olympus_Mons").zone == ZoneInfo("Europe/Brussels")
        assert Organisation(time_zone="../etc/passwd").zone == ZoneInfo("Europe/Brussels")
    finally:
        timezone.get_default_timezone.cache_clear()


def test_zone_named_knows_iana_names_only():
    assert zone_named("Europe/Amsterdam") == ZoneInfo("Europe/Amsterdam")
    assert zone_named("Atlantis/Capital") is None
    assert zone_named("") is None
