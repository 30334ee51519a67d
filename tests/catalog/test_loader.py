"""The loader rejects a broken catalog with a message naming the file and the field."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from mamori.catalog.loader import DEFAULT_DIR, CatalogError, load_catalog
from mamori.catalog.schema import parse_guidance_pages


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def _edit(name: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    """A breakage that loads ``name``, applies ``change`` to it and writes it back."""

    def breakage(directory: Path) -> None:
        path = directory / name
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(document)
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    return breakage


def _replace_text(name: str, old: str, new: str) -> Callable[[Path], None]:
    """A breakage that replaces the first ``old`` with ``new`` in the text of ``name``."""

    def breakage(directory: Path) -> None:
        path = directory / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return breakage


def _delete(name: str) -> Callable[[Path], None]:
    def breakage(directory: Path) -> None:
        (directory / name).unlink()

    return breakage


def _set(path: tuple, value: object) -> Callable[[dict], None]:
    def change(document: dict) -> None:
        *parents, last = path
        target = document
        for key in parents:
            target = target[key]
        target[last] = value

    return change


def _remove(path: tuple) -> Callable[[dict], None]:
    def change(document: dict) -> None:
        *parents, last = path
        target = document
        for key in parents:
            target = target[key]
        del target[last]

    return change


def _duplicate_row_id_as_case(document: dict) -> None:
    document["cases"][0]["id"] = "urn:mamori:row:common:organisation"


def _loop_wizard(document: dict) -> None:
    document["questions"][1]["no"] = "urn:mamori:wizard:commercial"


# (breakage, texts the error message must contain)
BREAKAGES = {
    "missing required field": (
        _edit("checklist.yaml", _remove(("rows", 3, "title", "en"))),
        ["checklist.yaml: rows[3].title.en: Field required"],
    ),
    "missing required list": (
        _edit("stages.yaml", _remove(("stages", 1, "advice"))),
        ["stages.yaml: stages[1].advice: Field required"],
    ),
    "empty japanese text": (
        _edit("cases.yaml", _set(("cases", 2, "body", "ja"), "")),
        ["cases.yaml: cases[2].body.ja"],
    ),
    "duplicate id across two files": (
        _edit("cases.yaml", _duplicate_row_id_as_case),
        [
            "cases.yaml: cases[0].id: duplicate id 'urn:mamori:row:common:organisation'",
            "checklist.yaml: rows[0].id",
        ],
    ),
    "duplicate key in one mapping": (
        _replace_text("checklist.yaml", "    channel: people\n", "    channel: people\n" * 2),
        ["checklist.yaml: line ", "duplicate key 'channel'"],
    ),
    "unknown channel": (
        _edit("checklist.yaml", _set(("rows", 3, "channel"), "robots")),
        ["checklist.yaml: rows[3].channel: unknown channel 'robots'"],
    ),
    "unknown stage": (
        _edit("checklist.yaml", _set(("rows", 4, "stages"), ["seed_early", "teen"])),
        ["checklist.yaml: rows[4].stages[1]: unknown stage 'teen'"],
    ),
    "unknown related row": (
        _edit("cases.yaml", _set(("cases", 1, "related_rows", 0), "urn:mamori:row:nope")),
        ["cases.yaml: cases[1].related_rows[0]: unknown row 'urn:mamori:row:nope'"],
    ),
    "unknown link": (
        _edit("steps.yaml", _set(("steps", 0, "links", 0), "urn:mamori:link:nope")),
        ["steps.yaml: steps[0].links[0]: unknown link 'urn:mamori:link:nope'"],
    ),
    "malformed guidance": (
        _edit("checklist.yaml", _set(("rows", 3, "guidance"), "12-15ページ")),
        ["checklist.yaml: rows[3]", "guidance '12-15ページ'"],
    ),
    "backwards guidance range": (
        _edit("checklist.yaml", _set(("rows", 5, "guidance"), "128～120ページ")),
        ["checklist.yaml: rows[5]", "backwards range '128～120'"],
    ),
    "invalid YAML syntax": (
        _replace_text("contacts.yaml", "contacts:\n", "contacts: [\n"),
        ["contacts.yaml: line ", "invalid YAML"],
    ),
    "missing file": (_delete("links.yaml"), ["links.yaml: file is missing"]),
    "unknown field": (
        _edit("contacts.yaml", _set(("contacts", 0, "colour"), "red")),
        ["contacts.yaml: contacts[0].colour: Extra inputs are not permitted"],
    ),
    "unknown top-level key": (
        _edit("channels.yaml", _set(("extra",), [])),
        ["channels.yaml: extra: unknown top-level key"],
    ),
    "wrong version": (
        _edit("columns.yaml", _set(("version",), 2)),
        ["columns.yaml: version: must be 1"],
    ),
    "malformed phone": (
        _edit("contacts.yaml", _set(("contacts", 4, "phone"), "06 6966 6039")),
        ["contacts.yaml: contacts[4].phone"],
    ),
    "common row without step": (
        _edit("checklist.yaml", _remove(("rows", 0, "step"))),
        ["checklist.yaml: rows[0]", "either 'step' (common rows) or 'measure'"],
    ),
    "measure without body or points": (
        _edit("checklist.yaml", _set(("rows", 3, "measure", "body"), [])),
        ["checklist.yaml: rows[3].measure", "a measure needs a body, points or both"],
    ),
    "wizard loops": (
        _edit("stage_wizard.yaml", _loop_wizard),
        ["stage_wizard.yaml: questions: answers loop"],
    ),
    "wizard leads nowhere": (
        _edit("stage_wizard.yaml", _set(("questions", 0, "no"), "stage:teen")),
        ["stage_wizard.yaml: questions[0].no: unknown stage 'teen'"],
    ),
}


def test_the_catalog_loads() -> None:
    catalog = load_catalog()
    assert catalog.handbook.id == "urn:mamori:handbook:meti-startup-2026"


def test_an_unchanged_copy_loads(data_dir: Path) -> None:
    assert len(load_catalog(data_dir).rows) == 25


@pytest.mark.parametrize("name", BREAKAGES)
def test_a_broken_catalog_is_rejected(data_dir: Path, name: str) -> None:
    breakage, expected = BREAKAGES[name]
    breakage(data_dir)
    with pytest.raises(CatalogError) as caught:
        load_catalog(data_dir)
    message = str(caught.value)
    for text in expected:
        assert text in message, f"{text!r} not in:\n{message}"
    assert all(problem.file.endswith(".yaml") for problem in caught.value.problems)


def test_every_problem_is_reported_at_once(data_dir: Path) -> None:
    BREAKAGES["unknown field"][0](data_dir)
    BREAKAGES["missing file"][0](data_dir)
    BREAKAGES["unknown channel"][0](data_dir)
    with pytest.raises(CatalogError) as caught:
        load_catalog(data_dir)
    files = {problem.file for problem in caught.value.problems}
    assert {"contacts.yaml", "links.yaml", "checklist.yaml"} <= files


@pytest.mark.parametrize(
    ("printed", "pages"),
    [
        ("85ページ", [85]),
        ("11、12ページ", [11, 12]),
        ("22、96ページ", [22, 96]),
        ("65、88、89ページ", [65, 88, 89]),
        ("120～128ページ", [120, 121, 122, 123, 124, 125, 126, 127, 128]),
        ("1～3、7ページ", [1, 2, 3, 7]),
        ("5～5ページ", [5]),
    ],
)
def test_parse_guidance_pages(printed: str, pages: list[int]) -> None:
    assert parse_guidance_pages(printed) == pages


@pytest.mark.parametrize(
    "printed",
    [
        "",
        "ページ",
        "85",
        "12-15ページ",  # ASCII hyphen instead of ～
        "12,13ページ",  # comma instead of 、
        "１２ページ",  # full-width digits
        "128～120ページ",  # backwards range
        "～12ページ",
        "12、、13ページ",
        "12ページ以降",
        "p. 12",
    ],
)
def test_parse_guidance_pages_rejects(printed: str) -> None:
    with pytest.raises(ValueError, match="guidance"):
        parse_guidance_pages(printed)
