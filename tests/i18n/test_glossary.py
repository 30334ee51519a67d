"""One term per concept (src/mamori/core/glossary.yaml): no template, Japanese translation
or YAML text uses a variant the glossary says to avoid."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
import yaml

from mamori.core.glossary import GLOSSARY_FILE, Term, load_glossary, variants_in

SRC = Path(__file__).resolve().parents[2] / "src" / "mamori"


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "aliases":  # what an import accepts, never shown
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _places() -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every template, msgstr and YAML text of the package."""
    for path in sorted(SRC.rglob("templates/**/*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield f"{path.relative_to(SRC)}:{number}", line
    for entry in polib.pofile(str(SRC / "locale" / "ja" / "LC_MESSAGES" / "django.po")):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            yield f"django.po: {entry.msgid[:60]!r}", text
    for path in sorted(SRC.rglob("*.yaml")):
        if path.relative_to(SRC) == GLOSSARY_FILE.relative_to(GLOSSARY_FILE.parents[1]):
            continue
        for text in _texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            yield str(path.relative_to(SRC)), text


def test_no_text_uses_a_variant_the_glossary_avoids():
    terms = load_glossary()
    problems = [
        f"{where}: 「{variant}」 → 「{term.preferred}」"
        for where, text in _places()
        for term, variant in variants_in(text, terms)
    ]
    assert problems == [], "\n".join(problems)


def test_the_glossary_names_the_terms_the_issue_asked_for():
    preferred = {term.preferred for term in load_glossary()}
    assert {"紐付け", "取込み", "既に", "監査担当", "役割", "資本変動"} <= preferred
    assert "DD（デュー・ディリジェンス）" in preferred and "ノウハウを持つ技術者" in preferred


@pytest.mark.parametrize(
    ("text", "variants"),
    [
        ("アクセスコントロールを実施する", []),
        ("ロールを選ぶ", ["ロール"]),
        ("監査担当者が確認する", ["監査担当者"]),
        ("監査担当が確認する", []),
        ("ログを取り込みました", []),
        ("ログの取り込み", ["取り込み"]),
    ],
)
def test_variants_are_found_and_allowed_words_are_not(text, variants):
    assert [variant for _, variant in variants_in(text)] == variants


def test_a_variant_that_is_a_preferred_term_is_refused(tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_text(
        "terms:\n  - {id: a, preferred: 既に, avoid: [すでに]}\n"
        "  - {id: b, preferred: すでに, avoid: [已に]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="すでに"):
        load_glossary.__wrapped__(path)


def test_terms_are_typed():
    assert all(isinstance(term, Term) for term in load_glossary())
