"""The watch's pages as the officer uses them."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mamori.watch.models import AccountAlias, AnalysisRun, AssetPath, LogImport, WatchSettings

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_leaver_with_score_and_reasons(analysed, officer, client_as):
    page = client_as(officer).get(reverse("watch:index")).content.decode()
    assert f'data-watch-person="{analysed.leaver.pk}"' in page
    assert "USBメモリなど外部記録媒体へのコピー" in page
    run = AnalysisRun.objects.get()
    assert f'data-score="{analysed.leaver.watch_results.get().score}"' in page
    assert run.unmatched == 1


def test_the_list_filters(analysed, officer, client_as):
    client = client_as(officer)
    assert (
        "data-watch-person"
        not in client.get(reverse("watch:index"), {"q": "中村"}).content.decode()
    )
    assert (
        "data-watch-person" in client.get(reverse("watch:index"), {"flagged": "1"}).content.decode()
    )


def test_before_any_run_the_list_says_what_to_do(world, officer, client_as):
    page = client_as(officer).get(reverse("watch:index")).content.decode()
    assert "mamori watch import" in page and reverse("watch:imports") in page


def test_the_person_page_has_reasons_a_timeline_with_the_notice_and_events(
    analysed, officer, client_as
):
    page = client_as(officer).get(reverse("watch:person", kwargs={"pk": analysed.leaver.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-reason="removable"' in html and 'data-reason="no_grant"' in html
    assert "<svg" in html and "data-notice" in html and 'data-unusual="1"' in html
    assert html.count("data-indicator-row") == 8
    assert 'data-event-kind="3"' in html and "給与一覧" in html
    # What an event did reads as a label; the log's own action name is on hover only.
    assert "<span title=" in html and ">外部記録媒体へのコピー</span>" in html
    assert "style=" not in html.split("<main")[1]  # the CSP allows no inline style


def test_the_person_page_of_someone_not_watched(analysed, officer, client_as):
    page = client_as(officer).get(reverse("watch:person", kwargs={"pk": analysed.stayer.pk}))
    assert page.status_code == 200 and "<svg" not in page.content.decode()


def test_an_alias_is_added_on_the_person_page_and_errors_are_shown(world, officer, client_as):
    client = client_as(officer)
    url = reverse("watch:person", kwargs={"pk": world.leaver.pk})
    response = client.post(url, {"account": "CORP\\yamamoto", "note": "PC"})
    assert response.status_code == 302
    assert AccountAlias.objects.filter(person=world.leaver, account="corp\\yamamoto").exists()
    again = client.post(url, {"account": "corp\\YAMAMOTO"})
    assert again.status_code == 400 and "山本 翔太" in again.content.decode()
    alias = AccountAlias.objects.get(person=world.leaver)
    delete = reverse("watch:alias_delete", kwargs={"pk": alias.pk})
    assert "corp\\yamamoto" in client.get(delete).content.decode()
    client.post(delete)
    assert not AccountAlias.objects.filter(person=world.leaver).exists()


def test_uploading_a_log_shows_what_was_skipped_and_by_line(world, officer, client_as):
    client = client_as(officer)
    good = b"".join(b"2026-03-02 09:%02d,a@x.jp,read,/a\n" % minute for minute in range(10))
    content = b"time,user,action,object\n2026-03-02,a@x.jp\n" + good
    response = client.post(
        reverse("watch:imports"),
        {"file": SimpleUploadedFile("log.csv", content), "format": "generic"},
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert 'data-line-error="2"' in detail and "<dd data-skipped>1</dd>" in detail
    again = client.post(
        reverse("watch:imports"),
        {"file": SimpleUploadedFile("copy.csv", content), "format": "generic"},
    )
    assert 'data-status="already"' in client.get(again["Location"]).content.decode()


def test_a_file_in_the_wrong_format_is_shown_again_with_the_reason(world, officer, client_as):
    response = client_as(officer).post(
        reverse("watch:imports"),
        {"file": SimpleUploadedFile("log.csv", b"a,b\n1,2\n"), "format": "windows"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "TimeCreated" in page and "a、b" in page
    assert not LogImport.objects.exists()  # a refused file leaves no row


def test_running_the_analysis_from_the_page(world, officer, client_as):
    client = client_as(officer)
    client.post(
        reverse("watch:imports"),
        {"file": SimpleUploadedFile("log.csv", world.log.read_bytes()), "format": "generic"},
    )
    response = client.post(reverse("watch:run"), follow=True)
    assert AnalysisRun.objects.count() == 1
    assert "messages" in response.content.decode()


def test_an_unmatched_account_is_matched_to_a_person(analysed, officer, client_as):
    client = client_as(officer)
    page = client.get(reverse("watch:unmatched")).content.decode()
    assert 'data-unmatched="svc-backup@example.co.jp"' in page
    response = client.post(
        reverse("watch:unmatched"),
        {"account": "svc-backup@example.co.jp", "person": analysed.colleague.pk},
    )
    assert response.status_code == 302
    assert AccountAlias.objects.get(account="svc-backup@example.co.jp").person == analysed.colleague
    assert client.post(reverse("watch:unmatched"), {"account": "x"}).status_code == 400


def test_settings_are_checked_and_saved(world, officer, client_as):
    client = client_as(officer)
    url = reverse("watch:settings")
    values = {
        "before_days": 60,
        "after_days": 14,
        "work_start_hour": 9,
        "work_end_hour": 8,
        "threshold": 40,
    }
    wrong = client.post(url, values)
    assert wrong.status_code == 400 and 'value="60"' in wrong.content.decode()
    client.post(url, {**values, "work_end_hour": 19})
    saved = WatchSettings.objects.get()
    assert (saved.before_days, saved.work_end_hour, saved.threshold) == (60, 19, 40)


def test_asset_paths_are_added_and_removed(world, officer, client_as):
    client = client_as(officer)
    url = reverse("watch:settings")
    client.post(url, {"action": "path", "asset": world.conditions.pk, "pattern": "成膜条件"})
    path = AssetPath.objects.get(pattern="成膜条件")
    duplicate = client.post(
        url, {"action": "path", "asset": world.conditions.pk, "pattern": "成膜条件"}
    )
    assert duplicate.status_code == 400
    client.post(reverse("watch:path_delete", kwargs={"pk": path.pk}))
    assert not AssetPath.objects.filter(pk=path.pk).exists()


def test_the_api_lists_the_watched_people(analysed, officer, client_as):
    data = json.loads(client_as(officer).get(reverse("watch:api_people"), {"lang": "en"}).content)
    assert data["people"][0]["name"] == "山本 翔太"
    assert data["people"][0]["above_threshold"] is True
    assert any("removable" in r["text"] for r in data["people"][0]["reasons"])
