"""Every accepted layout, on real public records (tests/watch/samples, MANIFEST.yaml):
events stored, kinds right, times right with offsets, accounts as the log names them.

The labels (labels.yaml) were written from the records before the importer ran on them;
the `holdout` records were kept out of the work on the readers and are scored apart.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from mamori.engines.watch import ImportOptions, Kind, Store

SAMPLES = Path(__file__).parents[2] / "watch" / "samples"
LABELS = yaml.safe_load((SAMPLES / "labels.yaml").read_text(encoding="utf-8"))
KINDS = {kind.name.lower(): kind for kind in Kind}


def _events(store: Store) -> list[tuple]:
    return store.con.execute(
        "SELECT ts, account, kind, action FROM events ORDER BY ts, action"
    ).fetchall()


def _expected(labels: list[dict], name_key: str | None = None) -> list[tuple]:
    rows = []
    for label in labels:
        time = datetime.datetime.fromisoformat(label["time"])
        rows.append((time, label["account"], int(KINDS[label["kind"]])))
    return sorted(rows)


def _expected_in_file_order(labels: list[dict]) -> list[tuple]:
    return [
        (datetime.datetime.fromisoformat(x["time"]), x["account"], int(KINDS[x["kind"]]))
        for x in labels
    ]


def _import(tmp_path: Path, path: Path, fmt: str, domains: list[str], **options) -> list[tuple]:
    with Store(tmp_path / "store") as store:
        summary = store.import_file(
            path, fmt, options=ImportOptions(company_domains=tuple(domains), **options)
        )
        assert summary.skipped == 0, summary.errors
        return [(ts, account, kind) for ts, account, kind, _ in _events(store)]


M365_LAYOUTS = [
    "management-api.jsonl",
    "purview-export.csv",
    "sual-export.csv",
    "sual-export-ja-sjis.csv",
    "auditdata-columns.csv",
    "auditdata-array.json",
    "sual-objects.json",
]


@pytest.mark.parametrize("layout", M365_LAYOUTS)
def test_microsoft_365_layouts(tmp_path, layout):
    label = LABELS["m365"]
    got = _import(tmp_path, SAMPLES / "m365" / layout, "m365", label["company_domains"])
    assert sorted(got) == _expected(label["events"])


def test_microsoft_365_holdout(tmp_path):
    label = LABELS["m365"]
    path = SAMPLES / "m365" / "holdout-management-api.jsonl"
    got = _import(tmp_path, path, "m365", label["company_domains"])
    assert sorted(got) == _expected(label["holdout"])


GWS_LAYOUTS = [
    "reports-api.jsonl",
    "reports-api-array.json",
    "reports-api-pages.json",
    "gam-report-drive.csv",
    "admin-console-drive-log.csv",
]


@pytest.mark.parametrize("layout", GWS_LAYOUTS)
def test_google_drive_layouts(tmp_path, layout):
    label = LABELS["gws"]
    got = _import(tmp_path, SAMPLES / "gws" / layout, "gws", label["company_domains"])
    expected = _expected(label["events"])
    if layout == "admin-console-drive-log.csv":
        # The console writes times to the second, and no copy type: its copy is an access.
        expected = sorted(
            (t.replace(microsecond=0), a, int(Kind.ACCESS) if k == Kind.CLOUD and i == 3 else k)
            for i, (t, a, k) in enumerate(_expected_in_file_order(label["events"]))
        )
    assert sorted(got) == expected


def test_google_drive_holdout(tmp_path):
    label = LABELS["gws"]
    path = SAMPLES / "gws" / "holdout-reports-api.jsonl"
    got = _import(tmp_path, path, "gws", label["company_domains"])
    assert sorted(got) == _expected(label["holdout"])


def test_windows_evtx_read_directly(tmp_path):
    got = _import(
        tmp_path, SAMPLES / "windows" / "CA_chrome_firefox_opera_4663.evtx", "windows", []
    )
    assert sorted(got) == _expected(LABELS["windows"]["evtx"])


def test_windows_evtx_holdout(tmp_path):
    path = SAMPLES / "windows" / "holdout-CA_hashdump_4663_4656_lsass_access.evtx"
    got = _import(tmp_path, path, "windows", [])
    assert sorted(got) == _expected(LABELS["windows"]["holdout"])


WINDOWS_LAYOUTS = [
    ("get-winevent-recipe.csv", {}),
    ("eventviewer-en-us.csv", {}),
    ("eventviewer-en-gb.csv", {}),
    ("eventviewer-ja.csv", {}),
    ("get-winevent-export-csv-en-us.csv", {}),
    ("evtxecmd.csv", {}),
]


@pytest.mark.parametrize(("layout", "options"), WINDOWS_LAYOUTS)
def test_windows_csv_layouts(tmp_path, layout, options):
    got = _import(tmp_path, SAMPLES / "windows" / layout, "windows", [], **options)
    expected = _expected(LABELS["windows"]["documentation"])
    # Layouts written to the second; the recipe and EvtxECmd keep the fraction.
    assert [(t.replace(microsecond=0), a, k) for t, a, k in sorted(got)] == expected


def test_a_c_drive_write_is_an_access_and_not_a_copy_to_usb(tmp_path):
    with Store(tmp_path / "store") as store:
        store.import_file(SAMPLES / "windows" / "get-winevent-recipe.csv", "windows")
        rows = store.con.execute(
            "SELECT kind, action, object FROM events WHERE object LIKE 'C:%'"
        ).fetchall()
    assert rows == [(int(Kind.ACCESS), "file_write", "C:\\Documents\\HBI Data.txt")]
