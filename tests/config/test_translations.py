"""Dutch ships complete: every message of the catalogue is translated and checked."""

from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_every_dutch_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))

    missing = [entry.msgid for entry in catalogue if not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]

    assert not missing, f"untranslated: {missing}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_compiled_dutch_catalogue_is_the_one_django_uses():
    with translation.override("nl"):
        assert translation.gettext("My learning") == "Mijn leren"
