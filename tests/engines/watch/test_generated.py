"""Acceptance on synthetic data: 500 people over six months, 20 planted departures with
exfiltration of four shapes and 40 innocent departures."""

from __future__ import annotations

import datetime

import pytest

from mamori.engines.watch import SHAPES, Settings, Store, generate, load_directory


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    data = generate(folder, people=500, days=182, planted=20, innocent=40, events_per_day=6)
    with Store(folder / "store") as store:
        summary = store.import_file(data.events_path, "generic")
        analysis = store.analyse(data.directory, Settings(), datetime.date(2026, 7, 31))
    return data, summary, analysis


def test_the_data_is_what_was_asked_for(world):
    data, summary, analysis = world
    assert summary.skipped == 0 and summary.added == data.events > 300_000
    assert {p.shape for p in data.planted} == set(SHAPES)
    assert len(data.planted) == 20 and len(data.innocent) == 40
    assert len(analysis.results) == 60  # every leaver is watched
    assert load_directory(data.directory_path) == data.directory
    assert data.truth_path.read_text(encoding="utf-8").count('"shape"') == 20


def test_the_top_twenty_hold_at_least_eighteen_planted_scenarios(world):
    data, _, analysis = world
    planted = {p.person for p in data.planted}
    top = [r.person for r in analysis.results[:20]]
    assert len(planted & set(top)) >= 18


def test_every_finding_names_the_planted_behaviour(world):
    data, _, analysis = world
    truth = {p.person: p for p in data.planted}
    flagged = analysis.above_threshold()
    assert {r.person for r in flagged} >= set(truth) - {r.person for r in analysis.results[20:]}
    for result in flagged:
        if result.person in truth:
            assert set(truth[result.person].indicators) <= result.codes, (
                truth[result.person].shape,
                result.codes,
            )


def test_innocent_leavers_stay_below_the_threshold_mostly(world):
    data, _, analysis = world
    innocent = set(data.innocent)
    flagged_innocent = [r for r in analysis.above_threshold() if r.person in innocent]
    assert len(flagged_innocent) <= 2


def test_the_same_seed_writes_the_same_log(tmp_path):
    one = generate(tmp_path / "a", people=20, days=30, planted=2, innocent=2, seed=3)
    two = generate(tmp_path / "b", people=20, days=30, planted=2, innocent=2, seed=3)
    assert sorted(one.events_path.read_text().splitlines()) == sorted(
        two.events_path.read_text().splitlines()
    )
    assert one.planted == two.planted
