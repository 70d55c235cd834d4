"""Languages (issue 11, item 4): the French catalogue is complete and compiles, a French member
reads the key pages in French, a visitor gets the language their browser asks for, and dates and
times are shown in the metro's time zone with French month and day names."""

import datetime as dt
import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import trans_real

from scripts import compilemessages
from tests.meetings import factories as meeting_factories

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sd]|%[sd]|%%|\{[a-z_]*\}")
TAG = re.compile(r"</?[a-z]+[^>]*>")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


@pytest.fixture
def french_compiled():
    """The .mo files are built by `make setup`; build them here too when pytest runs on its own,
    and drop Django's cached catalogues so that the fresh ones are read."""
    compilemessages.main()
    trans_real._translations = {}
    trans_real._default = None
    yield
    translation.deactivate()


def _pairs(entry: polib.POEntry):
    if entry.msgid_plural:
        return [(entry.msgid, entry.msgstr_plural[0]), (entry.msgid_plural, entry.msgstr_plural[1])]
    return [(entry.msgid, entry.msgstr)]


# --- The catalogue ------------------------------------------------------------------------------


def test_every_string_is_translated_into_french(catalogue):
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated (run `make messages` and translate): {missing[:10]}"
    assert not fuzzy, f"fuzzy entries are not compiled; check and unflag them: {fuzzy[:10]}"
    assert catalogue.percent_translated() == 100


def test_french_plural_rule_and_plural_forms(catalogue):
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert catalogue.metadata["Language"] == "fr"
    for entry in catalogue:
        if entry.msgid_plural:
            assert set(entry.msgstr_plural) == {0, 1}, entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


def test_translations_keep_placeholders_and_markup(catalogue):
    broken = []
    for entry in catalogue:
        for source, target in _pairs(entry):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
                broken.append((source, target))
            if sorted(TAG.findall(source)) != sorted(TAG.findall(target)):
                broken.append((source, target))
    assert not broken, broken[:5]


def test_catalogue_compiles_and_reads_back(catalogue):
    compiled = gettext.GNUTranslations(io.BytesIO(catalogue.to_binary()))
    assert compiled.gettext("Directory") == "Annuaire"
    assert compiled.gettext("Chapters") == "Chapitres"
    assert compiled.ngettext("%(n)s member", "%(n)s members", 1) == "%(n)s membre"
    assert compiled.ngettext("%(n)s member", "%(n)s members", 2) == "%(n)s membres"
    # French puts 0 and 1 in the singular
    assert compiled.ngettext("%(n)s member", "%(n)s members", 0) == "%(n)s membre"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_gnu_msgfmt_accepts_the_catalogue():
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_one_catalogue_for_the_whole_project():
    """App-level catalogues would be extracted apart and could translate a string differently;
    everything lives in locale/ (LOCALE_PATHS)."""
    skip = {".venv", ".local", "node_modules", ".git"}
    stray = [
        path
        for path in ROOT.glob("*/**/locale/*/LC_MESSAGES/*.po")
        if not skip & set(path.relative_to(ROOT).parts) and path.parents[3] != ROOT
    ]
    assert stray == []
    assert [Path(p) for p in settings.LOCALE_PATHS] == [ROOT / "locale"]


# --- Pages --------------------------------------------------------------------------------------


@pytest.fixture
def french_member(logged_in_a, member_a, french_compiled):
    member_a.language = "fr"
    member_a.save(update_fields=["language"])
    return logged_in_a


@pytest.mark.parametrize(
    ("url", "french", "english"),
    [
        ("/", "Accueil", None),
        (reverse("network:directory"), "Annuaire", "The entrepreneurs of the network"),
        (reverse("chapters:mine"), "Mes chapitres", "My chapters"),
        (reverse("meetings:mine"), "Vos réunions", "Your meetings"),
        (reverse("governance:home"), "Gouvernance", "Leadership, not management."),
        (reverse("apps_marketplace:events"), "Événements", "Filter events"),
    ],
)
def test_a_french_member_reads_the_key_pages_in_french(french_member, url, french, english):
    response = french_member.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert response["Content-Language"] == "fr"
    assert french in page
    if english:
        assert english not in page


def test_french_page_texts_in_detail(french_member):
    page = french_member.get(reverse("chapters:mine")).content.decode()
    assert "Trouver un chapitre à rejoindre" in page
    assert "Proposer un chapitre" in page
    page = french_member.get(reverse("apps_marketplace:events")).content.decode()
    assert "Filtrer les événements" in page
    page = french_member.get(reverse("governance:home")).content.decode()
    assert "Guider, pas gérer." in page


def test_an_english_member_keeps_english(logged_in_a, french_compiled):
    page = logged_in_a.get(reverse("chapters:mine")).content.decode()
    assert "My chapters" in page
    assert "Mes chapitres" not in page


def test_a_visitor_gets_the_language_of_their_browser(client_a, french_compiled):
    page = client_a.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="fr"' in page
    assert "Se connecter" in page
    page = client_a.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Sign in" in page


def test_the_footer_switcher_changes_a_visitors_language(client_a, french_compiled):
    response = client_a.post("/language/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    page = client_a.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr"' in page  # the cookie wins over the browser
    assert "Se connecter" in page


def test_form_errors_and_flash_messages_are_translated(french_member, in_a):
    url = reverse("network:profile-edit")
    response = french_member.post(url, {"website": "not a url at all", "visibility": "network"})
    assert response.status_code == 400
    assert "Saisissez une adresse site web valide." in response.content.decode()

    response = french_member.post(
        url, {"company": "Ledgerline", "visibility": "network"}, follow=True
    )
    assert "Votre profil est enregistré." in response.content.decode()


# --- Dates and times ----------------------------------------------------------------------------


def test_meeting_times_in_the_metros_zone_and_french_words(french_member, member_a, in_a):
    auckland = meeting_factories.metro(time_zone="Pacific/Auckland", name="Auckland")
    chapter = meeting_factories.chapter(in_metro=auckland, name="Auckland Founders")
    meeting_factories.membership(chapter, user=member_a)
    meeting = meeting_factories.meeting(chapter, starts_in=dt.timedelta(days=20))

    page = french_member.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()

    local = meeting.starts_at.astimezone(ZoneInfo("Pacific/Auckland"))
    utc = meeting.starts_at.astimezone(dt.UTC)
    with translation.override("fr"):
        expected = date_format(local, "l j F Y, H:i")  # e.g. "mardi 15 décembre 2026, 07:30"
        in_utc = date_format(utc, "l j F Y, H:i")
    assert expected in page
    assert in_utc not in page  # Auckland is 12 or 13 hours from UTC
    assert "Auckland" in page
