"""The screening engine: normalisation, matching and the acceptance list (2,000 entries in
Latin, kana and kanji; planted respellings found with the top score; unrelated names
without a hit)."""

from __future__ import annotations

import functools
import random

import pytest

from mamori.engines.screening import (
    ALIAS,
    COUNTRY_DIFFERS,
    COUNTRY_SAME,
    EXACT,
    SIMILAR,
    TRANSLITERATED,
    WORD_ORDER,
    ListEntry,
    Screener,
    ScreeningError,
    default_config,
    load_config,
    normalize_name,
    parse_config,
)
from tests.engines.screening.names import KINDS, generate_list, unrelated_names, variant


@functools.cache
def _acceptance():
    generated = generate_list(2000)
    return generated, Screener([g.entry for g in generated])


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Nova Dynamics Co., Ltd.", "ＮＯＶＡ　ＤＹＮＡＭＩＣＳ"),
        ("Nova Dynamics Co., Ltd.", "nova dynamics limited"),
        ("Nova Dynamics Co., Ltd.", "Nova-Dynamics, Inc."),
        ("S.A. Nova Dynamics", "Nova Dynamics SA"),
        ("株式会社サクラ電子", "サクラ電子(株)"),
        ("株式会社サクラ電子", "ｻｸﾗ電子㈱"),
        ("株式会社サクラ電子", "さくら電子株式会社"),
        ("北京星光精密光学科技有限公司", "北京星光精密光学科技股份有限公司"),
        ("北京星光精密光学科技有限公司", "北京・星光精密光学科技"),
    ],
)
def test_normalisation_sets_aside_width_case_punctuation_and_legal_form(one, other):
    config = default_config()
    a, b = normalize_name(one, config), normalize_name(other, config)
    assert (a.compact, a.cjk) == (b.compact, b.cjk)


def test_kana_is_romanized_so_kana_and_latin_spellings_meet():
    keys = normalize_name("サクラ電子工業株式会社", default_config())
    assert keys.transliterated and keys.compact == "sakuradenshikogyo"
    screener = Screener([ListEntry("1", ("サクラ電子工業株式会社",), "JP")])
    [match] = screener.screen("Sakura Denshi Kogyo Co., Ltd.", country="JP")
    assert match.score == 100 and TRANSLITERATED in match.basis


def test_word_order_alias_and_country_are_in_the_reason():
    screener = Screener(
        [ListEntry("7", ("Korvantis Precision Instruments", "KPI Group Holdings"), "CN")]
    )
    [match] = screener.screen("Precision Instruments Korvantis", country="CN")
    assert match.score == 100 and WORD_ORDER in match.basis and COUNTRY_SAME in match.basis
    assert "another order" in match.reason and "same country (CN)" in match.reason
    [alias] = screener.screen("KPI Group Holdings Ltd.", country="JP")
    assert ALIAS in alias.basis and COUNTRY_DIFFERS in alias.basis
    assert alias.score == 100 - default_config().country_mismatch_penalty
    assert alias.as_dict() == {
        "entry": "7",
        "matched_name": "KPI Group Holdings",
        "score": alias.score,
        "reason": alias.reason,
    }


def test_hits_are_sorted_best_first_and_cut_at_the_threshold():
    screener = Screener(
        [
            ListEntry("a", ("Delmaro Optics",)),
            ListEntry("b", ("Delmaro Optical",)),
            ListEntry("c", ("Quotrex Machinery",)),
        ]
    )
    hits = screener.screen("Delmaro Optics Inc.", threshold=50)
    assert [h.entry.key for h in hits][:2] == ["a", "b"]
    assert hits[0].score > hits[1].score
    assert all(h.entry.key != "c" for h in screener.screen("Delmaro Optics"))


def test_an_exact_match_outranks_reorderings_and_a_reordering_a_fuzzy_match():
    # Issue 18: a counterparty in full-width letters, identical to a listed name once width
    # is set aside, ranked below two entries with the same words in another order, all
    # at 100. The names are chosen so that the alphabetical tie-break would put the
    # reorderings first.
    screener = Screener(
        [
            ListEntry("r1", ("Instruments Korvantis Precision",), "CN"),
            ListEntry("r2", ("Instruments Precision Korvantis",), "CN"),
            ListEntry("x", ("Korvantis Precision Instruments",), "CN"),
            ListEntry("f", ("Korvantis Precision Instrument",), "CN"),
        ]
    )
    full_width = "ＫＯＲＶＡＮＴＩＳ　ＰＲＥＣＩＳＩＯＮ　ＩＮＳＴＲＵＭＥＮＴＳ"
    hits = screener.screen(full_width, country="CN")
    assert [h.entry.key for h in hits] == ["x", "r1", "r2", "f"]
    assert [h.score for h in hits[:3]] == [100, 100, 100]
    assert [h.kind for h in hits] == [EXACT, WORD_ORDER, WORD_ORDER, SIMILAR]
    assert hits[0].reason.startswith("exact match")
    assert hits[1].reason.startswith("reordering") and hits[3].reason.startswith("fuzzy match")


def test_within_one_entry_an_exact_alias_beats_a_reordered_name():
    screener = Screener(
        [ListEntry("7", ("Precision Korvantis Instruments", "Korvantis Precision Instruments"))]
    )
    [match] = screener.screen("Korvantis Precision Instruments Ltd.")
    assert match.kind == EXACT and ALIAS in match.basis
    assert match.matched_name == "Korvantis Precision Instruments"


def test_an_entry_needs_a_name():
    with pytest.raises(ScreeningError):
        ListEntry("x", ("  ",))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 2}, "version: 1"),
        ({"thresholds": {"default": 140}}, "thresholds.default"),
        ({"blocking": {"max_block": 0}}, "max_block"),
        (
            {
                "legal_forms": {
                    "source": "x",
                    "verified": "no",
                    "cjk": ["株式会社"],
                    "latin": ["co"],
                }
            },
            "verified",
        ),
        (
            {
                "legal_forms": {
                    "source": "",
                    "verified": False,
                    "cjk": ["株式会社"],
                    "latin": ["co"],
                }
            },
            "source",
        ),
        ({"legal_forms": {"source": "x", "verified": False, "cjk": [], "latin": ["co"]}}, "cjk"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(change, message):
    import yaml

    from mamori.engines.screening import DEFAULT_CONFIG

    document = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    document.update(change)
    with pytest.raises(ScreeningError, match=message):
        parse_config(document, "screening.yaml")


def test_the_shipped_settings_name_their_source_and_are_marked_unverified():
    config = load_config()
    assert config.legal_forms_source and config.legal_forms_verified is False
    assert "株式会社" in config.cjk_legal_forms and "ltd" in config.latin_legal_forms
    assert config.threshold == 80


def test_acceptance_every_planted_respelling_is_found_with_the_top_score():
    generated, screener = _acceptance()
    assert {g.script for g in generated} == {"latin", "kana", "kanji"}
    rng = random.Random(3)
    missed = []
    for index, item in enumerate(generated):
        kind = KINDS[index % len(KINDS)]  # every kind meets every script
        name = variant(item, kind, rng)
        hits = screener.screen(name, country=item.entry.country)
        top = hits[0] if hits else None
        # Best first: nothing scores higher (equal scores are ranked by the other forms).
        if (
            top is None
            or top.entry.key != item.entry.key
            or (hits[1:2] and hits[1].score > top.score)
        ):
            missed.append(
                (kind, name, item.entry.names[0], [(h.entry.key, h.score) for h in hits[:2]])
            )
    assert missed == []


def test_acceptance_unrelated_company_names_give_no_hit_above_the_threshold():
    _, screener = _acceptance()
    names = unrelated_names(200)
    assert len(names) == 200
    hits = {name: screener.screen(name) for name in names}
    assert {name: h for name, h in hits.items() if h} == {}
