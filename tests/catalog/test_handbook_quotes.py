"""Words that mamori's pages, findings and help texts attribute to the handbook are the
handbook's, as the catalog holds them: a quote that drifts from the catalog fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "mamori"
CATALOG = "".join(
    path.read_text(encoding="utf-8") for path in sorted((SRC / "catalog" / "data").glob("*.yaml"))
)
# Files that quote the handbook in 「…」 right after naming it (ハンドブック / The handbook).
QUOTING = [
    "disclosures/forms.py",
    "exportcontrol/selectors.py",
    "exportcontrol/findings.yaml",
    "exportcontrol/templates/exportcontrol/leakage_review_form.html",
    "findings/rules.yaml",
    "partners/models.py",
    "partners/templates/partners/theme.html",
    "partners/templates/partners/theme_form.html",
    "rulebook/findings.yaml",
    "rulebook/templates/rulebook/document_list.html",
]
QUOTE = re.compile(r"(?:ハンドブック|[Hh]andbook)[^「\n]{0,60}「([^」]+)」")


def _quotes() -> list[tuple[str, str]]:
    found = []
    for name in QUOTING:
        text = (SRC / name).read_text(encoding="utf-8")
        found += [(name, quote) for quote in QUOTE.findall(text)]
    return found


def test_the_files_do_quote_the_handbook():
    assert {name for name, _ in _quotes()} == set(QUOTING)


@pytest.mark.parametrize(("name", "quote"), _quotes())
def test_a_quote_attributed_to_the_handbook_is_in_the_catalog(name, quote):
    # A quote may run over lines of code: a string continued, or a comment.
    words = re.sub(r'"\s*\n\s*"|\n\s*#\s*', "", quote).rstrip("。")
    assert words in CATALOG, f"{name}: 「{quote}」 is not the handbook's wording"
