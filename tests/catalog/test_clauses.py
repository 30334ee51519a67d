"""The clause requirements in the catalog: every clause the checker's output names, with its
reason, recognition data and model wording; each contract type's requirements; and the
loader's checks of that data."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from mamori.catalog.loader import DEFAULT_DIR, CatalogError, load_catalog

ISSUE_IDS = [
    "purpose",
    "definition",
    "confidentiality",
    "third_party_consent",
    "need_to_know",
    "no_other_use",
    "copy_limit",
    "no_reverse_engineering",
    "return_or_destroy",
    "term_survival",
    "remedies",
    "scope_of_technology",
    "no_drawing_copy",
    "no_equipment_relocation",
    "no_subcontracting",
    "results_ownership",
    "publication_review",
    "change_of_control",
]
HANDBOOK_ACTS = [  # the five acts the handbook asks to forbid in manufacturing and licensing
    "no_other_use",
    "no_reverse_engineering",
    "no_drawing_copy",
    "no_equipment_relocation",
    "no_subcontracting",
]


def test_the_clauses_are_the_issues_ids_with_every_text_in_both_languages():
    catalog = load_catalog()
    assert [clause.key for clause in catalog.clauses] == ISSUE_IDS
    for clause in catalog.clauses:
        assert clause.id == f"urn:mamori:clause:{clause.key}"
        for text in (clause.title, clause.why, clause.reference, clause.model, clause.weak.text):
            assert text.ja and text.en
        assert clause.recognise.text.ja and clause.recognise.sentences.ja
        assert clause.recognise.sentences.en
        assert "ハンドブック" in clause.reference.ja, clause.key
    assert catalog.clause_keyed("remedies").parts[1].name == "injunction"


def test_english_model_wordings_have_english_placeholders():
    """A blank the user fills in is an English placeholder in brackets ("[Product or
    Technology]"), never the Japanese ○○ or any other Japanese character."""
    for clause in load_catalog().clauses:
        wording = clause.model.en
        assert not re.search(r"[\u3000-\u30ff\u4e00-\u9fff○〇●]", wording), clause.key
        for blank in re.findall(r"\[([^\]]*)\]", wording):
            assert re.fullmatch(r"[A-Z][A-Za-z' ]+", blank), (clause.key, blank)


def test_each_contract_type_requires_what_the_handbook_asks():
    catalog = load_catalog()
    kinds = [contract_type.kind for contract_type in catalog.contract_types]
    assert kinds == [
        "nda",
        "poc",
        "joint_research",
        "manufacturing",
        "licence",
        "supply",
        "service",
        "other",
    ]

    def required(kind: str) -> set[str]:
        return {clause.key for clause in catalog.required_clauses(kind)}

    for kind in ("manufacturing", "licence"):
        assert required(kind) >= {*HANDBOOK_ACTS, "scope_of_technology"}
    assert required("joint_research") >= {"publication_review", "change_of_control"}
    for kind in kinds:
        assert "confidentiality" in required(kind)
    assert catalog.contract_type_named("license").kind == "licence"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def _edit(directory: Path, name: str, change) -> None:
    path = directory / name
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        (
            "clauses.yaml",
            lambda d: d["clauses"][0]["recognise"]["sentences"]["ja"].append("(unclosed"),
            "not a regular expression",
        ),
        (
            "clauses.yaml",
            lambda d: d["clauses"][0]["recognise"]["sentences"]["ja"].append("（全角）"),
            "normalised form",
        ),
        (
            "clauses.yaml",
            lambda d: d["clauses"][0].update(cases=["urn:mamori:case:nowhere"]),
            "unknown case",
        ),
        ("clauses.yaml", lambda d: d["clauses"][0].update(id="urn:mamori:clause:Bad-Id"), "id"),
        ("clauses.yaml", lambda d: d["clauses"][0].pop("model"), "model"),
        (
            "contract_types.yaml",
            lambda d: d["contract_types"][0].update(aliases=["poc"]),
            "already names the kind",
        ),
        (
            "contract_types.yaml",
            lambda d: d["contract_types"][0]["required"].append("urn:mamori:clause:purpose"),
            "listed twice",
        ),
    ],
)
def test_broken_clause_data_is_refused_naming_file_and_field(data_dir, name, change, message):
    _edit(data_dir, name, change)
    with pytest.raises(CatalogError) as error:
        load_catalog(data_dir)
    assert name in str(error.value) and message in str(error.value)


def test_case_page_references_point_at_the_pages_the_cases_are_printed_on():
    # The handbook prints the seed/early cases on p. 5 (p. 6 is its checklist) and the
    # later-stage cases on p. 13 (pp. 15-16 are the later-stage measures).
    catalog = load_catalog()
    for clause in catalog.clauses:
        reference = clause.reference
        if "urn:mamori:case:later:2" in clause.cases:
            assert "13ページ レイター期 Case 2" in reference.ja, clause.key
            assert "p. 13, later-stage Case 2" in reference.en, clause.key
        if "urn:mamori:case:seed_early:2" in clause.cases:
            assert "5ページ シード～アーリー期 Case 2" in reference.ja, clause.key
            assert "p. 5, seed/early Case 2" in reference.en, clause.key
        assert "15ページ Case" not in reference.ja and "6ページ シード" not in reference.ja


MAMORI_OWN = [
    "need_to_know",  # the handbook asks for need-to-know inside the company only (p. 7)
    "return_or_destroy",
    "term_survival",
    "remedies",
    "results_ownership",
    "publication_review",  # the handbook has no publication clause, only its Case 2
]


def test_each_clause_shows_its_true_source():
    catalog = load_catalog()
    by_key = {clause.key: clause for clause in catalog.clauses}
    assert sorted(k for k, c in by_key.items() if c.source == "mamori") == sorted(MAMORI_OWN)
    for key in MAMORI_OWN:
        provenance = by_key[key].provenance
        assert provenance.ja.startswith("mamoriの推奨（ハンドブックが求める条項ではありません）")
        assert provenance.en.startswith("mamori's recommendation (not a clause the handbook")
        assert by_key[key].source_label.ja == "mamoriの推奨"
    confidentiality = by_key["confidentiality"]
    assert confidentiality.provenance.ja == "出典：" + confidentiality.reference.ja
    assert confidentiality.source_label.en == "Handbook"


def test_a_clause_from_another_guideline_names_it(data_dir):
    def from_guideline(d, named):
        d["clauses"][0]["source"] = "guideline"
        if named:
            d["clauses"][0]["guideline"] = {
                "ja": "経済産業省「秘密情報の保護ハンドブック」",
                "en": "METI, Handbook for Protecting Confidential Information",
            }

    _edit(data_dir, "clauses.yaml", lambda d: from_guideline(d, named=False))
    with pytest.raises(CatalogError, match="guideline"):
        load_catalog(data_dir)
    _edit(data_dir, "clauses.yaml", lambda d: from_guideline(d, named=True))
    clause = load_catalog(data_dir).clauses[0]
    assert clause.provenance.ja.startswith("出典：経済産業省「秘密情報の保護ハンドブック」（")
    assert clause.source_label.en == "METI, Handbook for Protecting Confidential Information"
