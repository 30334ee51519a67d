"""The negotiation draft on real Word contracts: missing clauses as tracked insertions in the
contract's numbering and words, weak ones as Word comments, every other part unchanged;
PDF and text give a list of proposals."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from mamori.catalog.loader import load_catalog
from mamori.engines.clauses import CorruptDocument, check_contract, read_document, split_contract
from mamori.engines.clauses.redline import (
    ClauseText,
    article_label,
    article_number,
    learn_style,
    load_wording,
    redline,
)

FILES = Path(__file__).parents[2] / "data" / "real_contracts" / "files"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LABELS = {"missing": "欠落", "weak": "不十分", "present": "あり"}
NOW = datetime(2026, 12, 7, 4, 30, tzinfo=UTC)
COMMENT_PARTS = {
    "word/document.xml",
    "word/comments.xml",
    "[Content_Types].xml",
    "word/_rels/document.xml.rels",
}
# Real Word contracts of the corpus, each checked against a type that leaves clauses
# missing and weak: Japanese with typed article numbers, English with Word's numbering.
CASES = [
    ("ja-nda-meti-material.docx", "manufacturing"),
    ("ja-jr-meti-material.docx", "manufacturing"),
    ("en-nda-commonpaper-oneway.docx", None),
    ("en-service-commonpaper-psa.docx", "manufacturing"),
]


@pytest.fixture(scope="module")
def texts() -> dict[str, ClauseText]:
    return {clause.key: ClauseText.from_catalog(clause) for clause in load_catalog().clauses}


def draft_of(name: str, kind: str | None, requirements, texts):
    data = (FILES / name).read_bytes()
    document = read_document(data, name)
    contract = split_contract(document)
    report = check_contract(contract, requirements, kind, document.format)
    draft = redline(
        data, name=name, report=report, contract=contract, texts=texts, labels=LABELS, now=NOW
    )
    return data, report, draft


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_missing_clauses_are_tracked_insertions_and_weak_ones_word_comments(
    name, kind, requirements, texts
):
    data, report, draft = draft_of(name, kind, requirements, texts)
    assert report.missing  # every case has clauses to insert (and most, weak ones)
    assert draft.kind == "tracked"
    assert [item.key for item in draft.inserted] == [r.key for r in report.missing]
    assert set(draft.commented) == {r.key for r in report.weak}
    before, after = parts(data), parts(draft.data)
    root = etree.fromstring(after["word/document.xml"])
    insertions = root.findall(f".//{W}ins")
    assert insertions and {i.get(f"{W}author") for i in insertions} == {"mamori"}
    assert {i.get(f"{W}date") for i in insertions} == {"2026-12-07T04:30:00Z"}
    inserted_text = "".join(t.text or "" for i in insertions for t in i.iter(f"{W}t"))
    for item in draft.inserted:
        assert squash(item.text) in squash(inserted_text)
    # Every new paragraph's mark is an insertion too, so rejecting removes the paragraph.
    for paragraph in root.iter(f"{W}p"):
        if paragraph.find(f"{W}ins") is not None:
            assert paragraph.find(f"{W}pPr/{W}rPr/{W}ins") is not None
    # Real Word comments: the part, a range and a reference for each.
    comments = etree.fromstring(after["word/comments.xml"]).findall(f"{W}comment")
    ours = [c for c in comments if c.get(f"{W}author") == "mamori"]
    assert len(ours) == len(report.weak) + len(report.missing)
    for comment in ours:
        number = comment.get(f"{W}id")
        for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
            assert root.find(f'.//{W}{tag}[@{W}id="{number}"]') is not None
    weak_texts = [
        "".join(t.text or "" for t in c.iter(f"{W}t"))
        for c in ours
        if "不十分" in c.findtext(".//" + W + "t")
    ]
    assert len(weak_texts) == len(report.weak)
    assert all(("条文例" in text or "Model wording" in text) for text in weak_texts)
    # Only the body, the comments and their registration change; the rest byte for byte.
    assert set(draft.changed_parts) <= COMMENT_PARTS
    assert list(before) == [n for n in after if n in before]
    for part, content in before.items():
        if part not in draft.changed_parts:
            assert after[part] == content, part
    ours_added = {
        "[Content_Types].xml": r'<Override PartName="/word/comments\.xml"[^>]*/>',
        "word/_rels/document.xml.rels": r'<Relationship Id="rIdMamori\d+"[^>]*/>',
    }
    for part, pattern in ours_added.items():
        if part in draft.changed_parts:
            assert re.sub(pattern, "", after[part].decode(), count=1) == before[part].decode()
    # python-docx opens it.
    from docx import Document

    assert Document(io.BytesIO(draft.data)).paragraphs


def test_japanese_articles_take_branch_numbers_before_the_general_provisions(requirements, texts):
    _data, _report, draft = draft_of(
        "ja-nda-meti-material.docx", "manufacturing", requirements, texts
    )
    count = len(draft.inserted)
    assert count >= 2  # what the checker finds missing depends on recognition, not on this
    assert [item.label for item in draft.inserted] == [f"第10条の{n}" for n in range(2, count + 2)]
    headings = load_wording()["ja"].headings
    first = draft.inserted[0]
    assert first.heading == f"第10条の2（{headings[first.key]}）"
    assert all(item.after.startswith("第10条") for item in draft.inserted)
    root = etree.fromstring(parts(draft.data)["word/document.xml"])
    texts_in_order = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
    start = texts_in_order.index(first.heading)
    assert texts_in_order[start + 2 * count].startswith("第11条（準拠法")  # general provisions
    # The contract's parties (開示者 / 受領者) replace the model's 甲 / 乙.
    body = "".join(item.text for item in draft.inserted)
    assert "受領者は、開示者の事前の書面による承諾" in body and "乙" not in body


def test_word_numbered_articles_get_the_same_numbering_and_the_contract_s_names(
    requirements, texts
):
    _data, _report, draft = draft_of(
        "en-service-commonpaper-psa.docx", "manufacturing", requirements, texts
    )
    root = etree.fromstring(parts(draft.data)["word/document.xml"])
    headings = [
        p
        for p in root.iter(f"{W}p")
        if p.find(f"{W}ins") is not None
        and "".join(t.text or "" for t in p.iter(f"{W}t")) == "No Reverse Engineering"
    ]
    # Word numbers the new article itself, like the articles around it.
    from mamori.engines.clauses._readers import _Numbering, _Styles
    from mamori.engines.clauses._redline_docx import _Body

    package = parts(draft.data)
    body = _Body(
        root,
        _Numbering(etree.fromstring(package["word/numbering.xml"])),
        _Styles(etree.fromstring(package["word/styles.xml"])),
    )
    assert headings and body.labels.get(headings[0], "").strip().rstrip(".").isdigit()
    text = " ".join(item.text for item in draft.inserted)
    assert "Discloser's prior written consent" in text and "the Discloser" not in text
    assert "The Manufacturer" not in text and "Recipient shall not" in text


@pytest.mark.parametrize(
    "name", ["en-service-commonpaper-psa.docx", "en-licence-commonpaper-sla.docx"]
)
def test_the_labels_printed_are_the_numbers_word_shows(name, requirements, texts):
    """The command line names the inserted articles by the numbers Word gives them; an empty
    numbered paragraph that only carries a section break (the PSA's) is not counted."""
    _data, _report, draft = draft_of(name, "manufacturing", requirements, texts)
    # The checker's reader numbers Word lists as LibreOffice renders them.
    lines = [line.text.strip() for line in read_document(draft.data, name).lines]
    assert draft.inserted
    for item in draft.inserted:
        title = item.heading.split(" ", 1)[1]
        assert f"{item.label} {title}" in lines, (item.label, title)


def test_a_contract_with_nothing_to_propose_comes_back_unchanged(requirements, texts):
    data, report, draft = draft_of("ja-nda-meti-material.docx", "nda", requirements, texts)
    if report.missing or report.weak:
        pytest.skip("the checker finds something to propose in this contract")
    assert draft.data == data and draft.changed_parts == ()


@pytest.mark.parametrize(
    ("name", "kind"),
    [("ja-nda-meti-ai.pdf", "manufacturing"), ("en-poc-commonpaper-pilot.md", None)],
)
def test_pdf_and_text_give_a_new_word_file_listing_the_proposals(name, kind, requirements, texts):
    from docx import Document

    _data, report, draft = draft_of(name, kind, requirements, texts)
    assert draft.kind == "list"
    document = Document(io.BytesIO(draft.data))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    for item in draft.inserted:
        assert item.heading in text and item.text in text
    for result in report.weak:
        assert (result.article or "—") in text
    if draft.inserted:
        assert ("の後に追加" in text) or ("To follow" in text)


def test_a_damaged_word_file_is_refused(requirements, texts):
    data, report, _draft = draft_of(
        "ja-nda-meti-material.docx", "manufacturing", requirements, texts
    )
    broken = data[: len(data) // 3]
    contract = split_contract(read_document(data, "x.docx"))
    with pytest.raises(CorruptDocument):
        redline(broken, name="x.docx", report=report, contract=contract, texts=texts, labels=LABELS)


@pytest.mark.parametrize(
    ("heading", "language", "number", "branch", "expected"),
    [
        ("第12条（協議）", "ja", 13, 0, "第13条"),
        ("第十二条（協議）", "ja", 12, 2, "第十二条の二"),
        ("第１２条　協議", "ja", 12, 2, "第１２条の２"),
        ("Article 12. Governing Law", "en", 13, 0, "Article 13"),
        ("ARTICLE XII GENERAL", "en", 11, 2, "ARTICLE XIB"),
        ("Section 5 (Term)", "en", 5, 2, "Section 5B"),
        ("12. Miscellaneous", "en", 13, 0, "13."),
    ],
)
def test_numbering_follows_the_contract(heading, language, number, branch, expected):
    assert article_label(learn_style(heading, language), language, number, branch) == expected


@pytest.mark.parametrize(
    ("heading", "number"),
    [("第十二条（協議）", 12), ("Article XII", 12), ("12. General", 12), ("3.4 Third-Party", None)],
)
def test_article_numbers_are_read_from_headings(heading, number):
    assert article_number(heading) == number


@pytest.mark.parametrize(
    ("language", "contract", "model", "expected"),
    [
        ("ja", "「開示者」「受領者」受領者は", "乙は、甲の承諾", "受領者は、開示者の承諾"),
        ("ja", "甲は乙に、甲と乙は、甲乙は", "乙は、甲の承諾", "乙は、甲の承諾"),
        ("ja", "（以下「本件業務」という。）本件業務", "本業務の全部", "本件業務の全部"),
        (
            "en",
            'the "Disclosing Party" and the "Receiving Party"; the Receiving Party shall',
            "The Recipient shall not disclose without the Discloser's consent.",
            "The Receiving Party shall not disclose without the Disclosing Party's consent.",
        ),
        (
            "en",
            '("Customer") and ("Provider"). Provider shall. Customer may.',
            "The Manufacturer shall not copy what the Company provides.",
            "Provider shall not copy what Customer provides.",
        ),
    ],
)
def test_model_wordings_speak_the_contract_s_words(language, contract, model, expected):
    wording = load_wording()[language]
    assert wording.apply(model, wording.vocabulary(contract)) == expected


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    soffice() is None,
    reason="LibreOffice (soffice) is not installed: `make libreoffice` installs Debian's "
    "libreoffice-writer-nogui",
)
def test_libreoffice_converts_the_drafts_to_pdf(tmp_path, requirements, texts):
    names = []
    for name, kind in CASES[:3]:
        _data, _report, draft = draft_of(name, kind, requirements, texts)
        (tmp_path / name).write_bytes(draft.data)
        names.append(name)
    result = subprocess.run(
        [
            soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *names,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for name in names:
        pdf = tmp_path / "pdf" / name.replace(".docx", ".pdf")
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), result.stdout + result.stderr
