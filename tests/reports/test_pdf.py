"""``mamori report pdf`` on the demo company: Japanese text that renders (embedded font,
real glyphs, ink on the page), the charts, every checklist row, and an edition for
outside readers without the names of people and counterparties.

The demo is built once for the module and rolled back afterwards; the tests read the
PDF files the command wrote and the facts collected while the data was there.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import numpy
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from mamori.accounts.models import User
from mamori.catalog.selectors import get_catalog
from mamori.company.selectors import stage_decision_current
from mamori.core.actor import Actor, acting_as
from mamori.demo.builder import build_demo
from mamori.partners.models import Counterparty, PartnerMember, Shareholder
from mamori.people.models import Person
from mamori.reports.fonts import FONT_NAME, font_path

SCALE = 2  # render at 144 dpi


@dataclass(frozen=True)
class Demo:
    folder: Path
    stdout: dict[str, str]
    stage_ja: str
    stage_en: str
    rows_ja: list[str]
    rows_en: list[str]
    people: list[str]
    counterparties: list[str]

    def pdf(self, name: str) -> Path:
        return self.folder / f"{name}.pdf"


# Marked as database tests so that they run before the transactional ones (the browser
# tests), whose flush would remove the secrecy classes the migrations create.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Demo:
    folder = tmp_path_factory.mktemp("reports")
    runs = {
        "internal": [],
        "outside": ["--outside"],
        "english": ["--language", "en"],
        "executive": ["--user", "tanaka"],
    }
    stdout = {}
    with django_db_blocker.unblock(), transaction.atomic():
        with acting_as(Actor(user_id=None, label="test:demo")):
            build_demo()
        for name, arguments in runs.items():
            out = io.StringIO()
            call_command("report", "pdf", "-o", str(folder / f"{name}.pdf"), *arguments, stdout=out)
            stdout[name] = out.getvalue()
        with mock.patch("mamori.reports.pdf.content.FINDINGS_LISTED", 3):
            call_command("report", "pdf", "-o", str(folder / "top3.pdf"), stdout=io.StringIO())
        catalog = get_catalog()
        stage = catalog.stage(stage_decision_current().stage)
        rows = catalog.rows_for_stage(stage.id)
        people = [
            *Person.objects.values_list("name", flat=True),
            *User.objects.exclude(display_name="").values_list("display_name", flat=True),
            *PartnerMember.objects.values_list("name", flat=True),
        ]
        counterparties = [
            *Counterparty.objects.values_list("name", flat=True),
            *Shareholder.objects.values_list("name", flat=True),
        ]
        facts = Demo(
            folder=folder,
            stdout=stdout,
            stage_ja=stage.name.ja,
            stage_en=stage.name.en,
            rows_ja=[row.title.ja for row in rows],
            rows_en=[row.title.en for row in rows],
            people=sorted(set(people)),
            counterparties=sorted(set(counterparties)),
        )
        transaction.set_rollback(True)
    return facts


def _text(path: Path) -> str:
    """Return the PDF's text without any whitespace (table cells wrap titles anywhere)."""
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", "", text)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _page_with(document: pdfium.PdfDocument, needle: str) -> tuple[int, list[tuple]]:
    """Return the first page showing ``needle`` and the boxes of its characters."""
    for index in range(len(document)):
        textpage = document[index].get_textpage()
        searcher = textpage.search(needle)
        found = searcher.get_next()
        if found:
            start, count = found
            return index, [textpage.get_charbox(start + i) for i in range(count)]
    raise AssertionError(f"{needle!r} is on no page")


def _crop(document: pdfium.PdfDocument, index: int, box: tuple) -> Image.Image:
    """Render page ``index`` and return the region ``box`` (PDF points, origin bottom left)."""
    page = document[index]
    height = page.get_height()
    image = page.render(scale=SCALE).to_pil().convert("RGB")
    left, bottom, right, top = box
    return image.crop(
        (
            int(left * SCALE),
            int((height - top) * SCALE),
            int(right * SCALE) + 1,
            int((height - bottom) * SCALE) + 1,
        )
    )


def _dark_share(image: Image.Image) -> float:
    return float((numpy.asarray(image.convert("L")) < 128).mean())


def _pixels_near(image: Image.Image, colour: str, tolerance: int = 30) -> int:
    target = numpy.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    distance = numpy.abs(numpy.asarray(image, dtype=int) - target).max(axis=2)
    return int((distance <= tolerance).sum())


def test_the_command_writes_a_pdf_and_says_how_many_pages(demo):
    path = demo.pdf("internal")
    assert path.read_bytes().startswith(b"%PDF-")
    pages = len(PdfReader(path).pages)
    assert pages >= 5  # cover, summary, checklist, findings, registers and audit
    summary = demo.stdout["internal"]
    assert f"{pages}ページ" in summary or f"{pages} pages" in summary
    assert str(path) in summary


def test_every_font_is_the_embedded_japanese_font(demo):
    fonts = {}
    for page in PdfReader(demo.pdf("internal")).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
        assert FONT_NAME in name, f"{name} is not {FONT_NAME}"
        assert re.match(r"^/?[A-Z]{6}\+", name), f"{name} is not a subset"


def test_the_font_has_a_real_glyph_for_every_character_of_the_stage_and_rows(demo):
    font = TTFont(font_path(), lazy=True)
    cmap = font.getBestCmap()
    glyphs = font["glyf"]
    text = _squeeze(demo.stage_ja + "".join(demo.rows_ja))
    missing = {ch for ch in text if cmap.get(ord(ch), ".notdef") == ".notdef"}
    assert not missing, f"no glyph for {''.join(sorted(missing))}"
    empty = {ch for ch in text if glyphs[cmap[ord(ch)]].numberOfContours == 0}
    assert not empty, f"empty glyph for {''.join(sorted(empty))}"


def test_japanese_text_is_drawn_with_ink(demo):
    document = pdfium.PdfDocument(demo.pdf("internal"))
    for needle in (demo.stage_ja, demo.rows_ja[0]):
        index, boxes = _page_with(document, needle)
        box = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        ink = _dark_share(_crop(document, index, box))
        # Real glyphs cover a good part of their boxes; a missing font draws nothing or
        # hollow boxes (a few per cent).
        assert ink > 0.08, f"{needle!r} on page {index + 1}: {ink:.1%} ink"


def test_the_charts_are_drawn(demo):
    document = pdfium.PdfDocument(demo.pdf("internal"))
    index, _ = _page_with(document, "流出経路別の進捗")
    page = document[index]
    paths = [obj for obj in page.get_objects() if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH]
    assert len(paths) > 20  # bars, grid lines, points and legends
    left = min(obj.get_bounds()[0] for obj in paths)
    bottom = min(obj.get_bounds()[1] for obj in paths)
    right = max(obj.get_bounds()[2] for obj in paths)
    top = max(obj.get_bounds()[3] for obj in paths)
    charts = _crop(document, index, (left, bottom, right, top))
    assert _pixels_near(charts, "#2f8f5b") > 500  # progress: done
    assert _pixels_near(charts, "#d49a1c") > 500  # progress: in progress
    assert _pixels_near(charts, "#b3261e") > 200  # findings: critical, and the trend
    assert _pixels_near(charts, "#233a6b") > 50  # trend: the progress line


def test_the_text_has_the_stage_name_and_every_row_of_the_stage(demo):
    text = _text(demo.pdf("internal"))
    assert _squeeze(demo.stage_ja) in text
    assert len(demo.rows_ja) >= 10
    for title in demo.rows_ja:
        assert _squeeze(title) in text, title


def test_the_trend_says_its_earlier_points_are_demo_data(demo):
    assert "過去の点はデモ用に作成したデータです" in _text(demo.pdf("internal"))


def test_the_english_edition_is_in_english(demo):
    text = _text(demo.pdf("english"))
    assert _squeeze(demo.stage_en) in text
    for title in demo.rows_en:
        assert _squeeze(title) in text, title
    assert "Programmereport" in text


def test_the_outside_edition_names_no_people_and_no_counterparties(demo):
    internal, outside = _text(demo.pdf("internal")), _text(demo.pdf("outside"))
    names = [_squeeze(name) for name in demo.people + demo.counterparties]
    # The internal edition shows them, so their absence below means something.
    assert {"山本翔太", "株式会社ナノフィルムテック"} <= {n for n in names if n in internal}
    leaked = [name for name in names if name in outside]
    assert not leaked
    surnames = {name.split()[0] for name in demo.people if " " in name}
    assert not [surname for surname in surnames if surname in outside]
    for title in demo.rows_ja:
        assert _squeeze(title) in outside


def test_the_report_shows_the_findings_the_reader_may_see(demo):
    watch_rule = "退職予定者・退職者のログに通常と異なるデータの動きがある"
    assert watch_rule in _text(demo.pdf("internal"))
    # The executive's role has no access to the departure watch.
    assert watch_rule not in _text(demo.pdf("executive"))


def test_only_the_worst_findings_are_listed_and_the_rest_counted(demo):
    text = _text(demo.pdf("top3"))
    assert "重大度の高い指摘3件と対応方法" in text
    shown = re.search(r"ほかに未対応の指摘が(\d+)件あります", text)
    total = re.search(r"未対応の指摘は(\d+)件", text)
    assert shown and total
    assert int(shown.group(1)) == int(total.group(1)) - 3


def test_the_command_refuses_an_unknown_user_and_a_missing_folder(tmp_path, employee):
    with pytest.raises(CommandError, match="nobody"):
        call_command("report", "pdf", "-o", str(tmp_path / "r.pdf"), "--user", "nobody")
    with pytest.raises(CommandError, match="employee"):
        call_command("report", "pdf", "-o", str(tmp_path / "r.pdf"), "--user", "employee")
    with pytest.raises(CommandError):
        call_command("report", "pdf", "-o", str(tmp_path / "missing" / "r.pdf"))
    assert not list(tmp_path.iterdir())


def test_progress_goes_to_stderr_unless_verbosity_is_0(tmp_path, company_at_stage):
    company_at_stage("seed_early")
    out, err = io.StringIO(), io.StringIO()
    call_command("report", "pdf", "-o", str(tmp_path / "a.pdf"), stdout=out, stderr=err)
    assert "ページを作成中" in err.getvalue()
    assert "ページを作成中" not in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "report", "pdf", "-o", str(tmp_path / "b.pdf"), verbosity=0, stdout=out, stderr=err
    )
    assert err.getvalue() == ""
    assert "b.pdf" in out.getvalue()
