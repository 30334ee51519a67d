"""The handbook pages show what the catalog holds where the handbook prints it (issue 18):
the stage's importance heading, the checklist notes and the pointer to the measures, the
STEP 2 figure label, the issuer and date; and pointer targets chosen by mamori say so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from mamori.catalog.loader import load_catalog
from tests.catalog.test_handbook_coverage import HANDBOOK

pytestmark = pytest.mark.django_db


def test_the_stage_page_shows_importance_heading_checklist_notes_and_pointer(client_as, employee):
    page = client_as(employee).get(reverse("catalog:stage", args=["seed_early"]))
    text = page.content.decode()
    assert "シード～アーリー期に技術流出対策に取り組む重要性" in text
    assert "※DD：デュー・ディリジェンス(Due Diligence)" in text
    assert '<a href="#measures">詳細は7、8ページへ▶</a>' in text and 'id="measures"' in text
    assert 'data-chosen-by="mamori"' in text  # the column's 「詳細はこちら」 target


def test_the_handbook_page_shows_the_step_figure_links_and_the_issuer(client_as, employee):
    text = client_as(employee).get(reverse("catalog:handbook")).content.decode()
    assert "［技術の重要性の評価］" in text
    assert "[発行] 2026(令和8)年4月" in text
    assert "経済産業省 貿易経済安全保障局 技術調査・流出対策室" in text
    assert "〒100-8901 東京都千代田区霞が関1-3-1" in text and "03-3501-1511" in text
    assert text.count('data-chosen-by="mamori"') == 2  # STEP 1 and STEP 3 pointers


@pytest.mark.skipif(not HANDBOOK.exists(), reason="the handbook text is not beside the repo")
def test_every_link_is_a_url_the_handbook_prints():
    printed = re.sub(r"\s+", "", Path(HANDBOOK).read_text(encoding="utf-8"))
    for link in load_catalog().links:
        assert link.url in printed, link.id
