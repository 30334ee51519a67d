"""Every message has a Japanese translation, and the compiled catalog matches the source."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

import mamori

PACKAGE = Path(mamori.__file__).resolve().parent
PO = PACKAGE / "locale" / "ja" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_message_is_translated_and_none_is_fuzzy():
    catalog = polib.pofile(str(PO))
    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []


def test_compiled_catalog_matches_the_source():
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(PO))}
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(MO)) if e.msgid
    }
    assert compiled == source, "run: msgfmt -o django.mo django.po (or polib) after editing"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_message_in_the_code_is_in_the_catalog(tmp_path, monkeypatch):
    """Extract the messages afresh from a copy; none may be missing from the catalog."""
    copy = tmp_path / "mamori"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["ja"], no_location=True, verbosity=0)
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / PO.relative_to(PACKAGE)))}
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO)) if e.msgstr or e.msgstr_plural}
    assert len(fresh) > 100
    assert fresh - known == set()
