"""Refresh the Japanese message catalog: extract, fill from staged translations, compile.

    .venv/bin/python scripts/i18n.py

1. Runs ``makemessages -l ja`` over ``src/mamori`` (no locations, no obsolete entries).
2. Fills untranslated entries from ``.i18n/*.json`` files ({"English msgid": "日本語"},
   or {"[context] msgid": ...} for pgettext), where whoever wrote a text stages its
   translation.
3. Compiles ``django.mo`` and lists any message still untranslated (exit 1 if any).

A lock file keeps two runs from writing the catalog at the same time.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "mamori"
PO = PACKAGE / "locale" / "ja" / "LC_MESSAGES" / "django.po"
STAGED = ROOT / ".i18n"


def main() -> int:
    STAGED.mkdir(exist_ok=True)
    with open(STAGED / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mamori.settings.base"}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "mamori",
                "makemessages",
                "-l",
                "ja",
                "--no-location",
                "--no-obsolete",
                "-v",
                "0",
            ],
            cwd=PACKAGE,
            env=env,
            check=True,
        )
        staged: dict[str, object] = {}
        for path in sorted(STAGED.glob("*.json")):
            staged.update(json.loads(path.read_text(encoding="utf-8")))
        catalog = polib.pofile(str(PO))
        catalog.metadata["Language"] = "ja"
        catalog.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
        for entry in catalog:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.msgstr = ""
                if entry.msgid_plural:  # a guessed plural translation is as wrong as any
                    entry.msgstr_plural = {0: ""}
            # A message with a context (pgettext) is staged as "[context] msgid".
            key = f"[{entry.msgctxt}] {entry.msgid}" if entry.msgctxt else entry.msgid
            if entry.msgid_plural:
                if not any(entry.msgstr_plural.values()) and key in staged:
                    entry.msgstr_plural = {0: str(staged[key])}
            elif not entry.msgstr and key in staged:
                entry.msgstr = str(staged[key])
        catalog.save()
        catalog.save_as_mofile(str(PO.with_suffix(".mo")))
        missing = [e.msgid for e in catalog.untranslated_entries()]
    for msgid in missing:
        print(f"untranslated: {msgid}")
    print(f"{len(catalog)} messages, {len(missing)} untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
