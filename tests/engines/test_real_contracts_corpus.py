"""The real-contract corpus (tests/data/real_contracts): the manifest, the hand labels and the
held-out draw are consistent, every stored file is the one recorded, and every quoted passage
is really in its contract. Offline: contracts that are not stored are skipped."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from tests.data.real_contracts.split import heldout_ids

ROOT = Path(__file__).resolve().parents[1] / "data" / "real_contracts"
TYPES = Path(__file__).resolve().parents[2] / "src/mamori/catalog/data/contract_types.yaml"
STATUSES = {"present", "weak", "missing"}
PERMISSIVE = {"CC-BY-4.0", "CC0-1.0"}


@cache
def manifest() -> dict:
    return yaml.safe_load((ROOT / "corpus.yaml").read_text(encoding="utf-8"))


@cache
def required() -> dict[str, list[str]]:
    data = yaml.safe_load(TYPES.read_text(encoding="utf-8"))
    return {
        item["kind"]: [urn.rsplit(":", 1)[1] for urn in item["required"]]
        for item in data["contract_types"]
    }


def entries() -> list[dict]:
    return manifest()["contracts"]


def labels(directory: str = "labels") -> dict[str, dict]:
    """The labels of ``directory``: ``labels`` (the truth) or ``second_labels`` (a second,
    independent labelling of a sample, to measure how far labellers agree)."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / directory).glob("*.yaml"))
    }


@cache
def flat_text(name: str) -> str:
    """The file's text with all whitespace removed (how quotes are compared)."""
    path = ROOT / name
    if path.suffix == ".pdf":
        from pdfminer.high_level import extract_text

        text = extract_text(str(path))
    elif path.suffix == ".docx":
        import docx
        from docx.oxml.ns import qn

        body = docx.Document(str(path)).element.body
        text = "".join(node.text or "" for node in body.iter(qn("w:t")))
    else:
        text = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", "", text)


def test_manifest_is_big_and_varied_enough():
    items = entries()
    assert len({item["id"] for item in items}) == len(items) >= 40
    assert sum(item["language"] == "ja" for item in items) >= 12
    assert {item["format"] for item in items} >= {"docx", "pdf", "txt"}
    assert {item["kind"] for item in items} == set(required()) - {"other"}
    word = [i for i in items if i["format"] == "docx" and i["file"] and i["licence"] in PERMISSIVE]
    assert len(word) >= 3


@pytest.mark.parametrize("item", entries(), ids=lambda item: item["id"])
def test_manifest_entry(item):
    assert item["language"] in {"ja", "en"}
    assert item["format"] in {"docx", "pdf", "txt", "md"}
    assert item["kind"] in required()
    assert item["split"] in {"tune", "heldout"}
    assert item["source"]["repo"] and re.fullmatch(r"[0-9a-f]{40}", item["source"]["commit"])
    assert item["licence"] and item["obtained"] and re.fullmatch(r"[0-9a-f]{64}", item["sha256"])
    if item["file"] is None:
        return
    assert item["licence"] in PERMISSIVE, "only permissively licensed contracts are stored"
    path = ROOT / item["file"]
    assert path.name == f"{item['id']}.{item['format']}"
    data = path.read_bytes()
    assert len(data) < 2 * 1024 * 1024
    assert hashlib.sha256(data).hexdigest() == item["sha256"]


def test_split_is_the_seeded_draw():
    items = entries()
    drawn = heldout_ids(items, manifest()["seed"])
    assert {item["id"] for item in items if item["split"] == "heldout"} == drawn
    for batch in {item.get("batch", 1) for item in items}:
        part = [item for item in items if item.get("batch", 1) == batch]
        held = [item for item in part if item["id"] in drawn]
        assert abs(len(held) - len(part) / 3) <= 1


def test_a_new_batch_does_not_move_an_earlier_batchs_contracts():
    items = entries()
    first = [item for item in items if item.get("batch", 1) == 1]
    seed = manifest()["seed"]
    assert heldout_ids(first, seed) == heldout_ids(items, seed) & {i["id"] for i in first}


def test_every_label_belongs_to_the_manifest():
    known = {item["id"]: item for item in entries()}
    for name, label in labels().items():
        assert label["id"] == name and name in known
        assert label["kind"] == known[name]["kind"]


def test_every_second_label_is_of_a_labelled_contract():
    for name, label in labels("second_labels").items():
        assert label["id"] == name and name in labels()
        assert label["kind"] == labels()[name]["kind"]


@pytest.mark.parametrize(
    ("directory", "name"),
    [("labels", name) for name in sorted(labels())]
    + [("second_labels", name) for name in sorted(labels("second_labels"))],
    ids=lambda value: value,
)
def test_label_schema_and_quotes(directory, name):
    label = labels(directory)[name]
    item = next(item for item in entries() if item["id"] == name)
    assert list(label["clauses"]) == required()[label["kind"]]
    stored = item["file"] is not None
    sections = [("clauses", label["clauses"]), ("optional", label.get("optional") or {})]
    for section, clauses in sections:
        for key, entry in clauses.items():
            where = f"{name} {section}.{key}"
            assert entry["status"] in STATUSES, where
            if entry["status"] == "missing":
                assert entry.get("article") is None and entry.get("note"), where
                continue
            assert entry.get("article") and entry.get("quote"), where
            if entry["status"] == "weak":
                assert entry.get("note"), where
            if stored:
                quote = re.sub(r"\s+", "", entry["quote"])
                assert quote in flat_text(item["file"]), f"{where}: quote not in the file"
    for trap in label.get("distractors") or []:
        assert any(trap["clause"] in keys for keys in required().values()), name
        if stored:
            assert re.sub(r"\s+", "", trap["quote"]) in flat_text(item["file"]), name


def test_every_contract_is_labelled():
    assert sorted(labels()) == sorted(item["id"] for item in entries())


def test_article_match_rule_of_the_evaluation():
    from tests.data.real_contracts.evaluate import place, same_article

    assert place("第１２条（秘密保持）") == ("12",)
    assert place("ARTICLE XI") == ("11",)
    assert place("Section 5.2 (Term)") == ("5", "2")
    assert place("7. Confidentiality") == ("7",)
    assert place("前文") == place("Preamble") == "preamble"
    assert same_article("Section 5 (Term)", {"article": "5.2"})
    assert same_article("Article 11 (Notices)", {"article": "ARTICLE XI"})
    assert same_article("12. Term", {"article": "3.1", "also": ["12.4"]})
    assert not same_article("1. Definitions", {"article": "13."})
    assert not same_article(None, {"article": "1."})


def test_labeller_agreement_counts_statuses_and_articles():
    from tests.data.real_contracts.evaluate import agreement

    def label(**clauses):
        return {
            "clauses": {
                key: dict(zip(("status", "article"), v, strict=True)) for key, v in clauses.items()
            }
        }

    first = {
        "a": label(purpose=("present", "1."), remedies=("weak", "9.2"), term=("missing", None))
    }
    second = {
        "a": label(purpose=("present", "1.1"), remedies=("present", "7."), term=("missing", None)),
        "b": label(purpose=("present", "1.")),  # only one labelling: not compared
    }
    found = agreement(first, second)
    assert (found.contracts, found.clauses, found.same_status) == (1, 3, 2)
    assert (found.both_found, found.same_article) == (2, 1)
    assert found.confusion[("weak", "present")] == 1
