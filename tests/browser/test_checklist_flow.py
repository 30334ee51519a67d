"""From sign-in to a completed row with evidence, as an officer does it in the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mamori.assessment.models import ChecklistAnswer, Evidence
from mamori.audit.services import audit_verify
from mamori.company.selectors import stage_decision_current
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_officer_runs_the_wizard_and_completes_a_row_with_evidence(
    page, officer, officer_appointed, tmp_path
):
    sign_in(page, "officer", PASSWORD)
    expect(page.locator("h1")).to_have_text("ダッシュボード")

    # Company profile first, as the dashboard suggests.
    page.get_by_role("link", name="会社情報を入力する").click()
    page.get_by_label("会社名").fill("株式会社テスト技研")
    page.get_by_role("button", name="保存").click()

    # The stage wizard: not commercial yet → seed/early.
    expect(page.locator("h1")).to_have_text("成長ステージの判定")
    page.get_by_role("group", name="製品やサービスを本格的に販売").get_by_label("いいえ").check()
    page.get_by_role("button", name="ステージを提案してもらう").click()
    expect(page.locator(".big-number")).to_have_text("シード～アーリー期")
    page.get_by_role("button", name="ステージを確定").click()
    assert stage_decision_current().stage == "seed_early"

    # The checklist of the stage, grouped by channel.
    progress = page.locator("[data-channel-progress=common]")
    expect(progress).to_have_text("0/3 完了")
    page.get_by_role("link", name="組織体制の構築を検討する").click()
    expect(page.locator("h1")).to_have_text("組織体制の構築を検討する")
    expect(page.get_by_text("経営層のリーダーシップ")).to_be_visible()

    # Mark it done and upload the evidence.
    page.locator("#answer").get_by_label("完了").check()
    page.locator("#answer").get_by_role("button", name="保存").click()
    expect(page.get_by_text("項目を更新しました。")).to_be_visible()
    evidence = tmp_path / "責任者任命書.txt"
    evidence.write_text("技術流出対策の責任者として佐藤美咲を任命する。", encoding="utf-8")
    upload = page.locator("form:has(input[value=evidence_file])")
    upload.locator("input[type=file]").set_input_files(str(evidence))
    upload.get_by_label("件名").fill("責任者任命書")
    upload.get_by_role("button", name="アップロード").click()
    expect(page.get_by_text("エビデンスのファイルを保存しました。")).to_be_visible()
    expect(page.get_by_role("link", name="責任者任命書")).to_be_visible()

    # The channel's progress has moved, on the checklist and on the dashboard chart.
    page.get_by_role("link", name="チェックリスト", exact=True).first.click()
    expect(progress).to_have_text("1/3 完了")
    page.get_by_role("link", name="ダッシュボード").click()
    expect(page.locator("svg.chart [data-channel=common]")).to_have_text("1/3 (33%)")

    answer = ChecklistAnswer.objects.get(row_id="urn:mamori:row:common:organisation")
    assert answer.status == "done"
    assert Evidence.objects.get(answer=answer).original_name == "責任者任命書.txt"
    assert audit_verify().ok


def test_not_applicable_asks_for_the_reason(page, editor):
    sign_in(page, "editor", PASSWORD)
    page.goto(f"{page.base_url}/checklist/rows/urn:mamori:row:people:access-control/")
    reason = page.get_by_label("該当しない理由")
    expect(reason).to_be_hidden()
    page.locator("#answer").get_by_label("該当なし").check()
    expect(reason).to_be_visible()
    page.locator("#answer").get_by_role("button", name="保存").click()
    expect(page.get_by_text("この項目が自社に該当しない理由を記入してください。")).to_be_visible()
    assert not ChecklistAnswer.objects.exists()
