"""Text helpers: numbers, durations, sentences, normalisation."""

from __future__ import annotations

import pytest

from mamori.engines.clauses._text import (
    clean,
    durations_in_months,
    join_lines,
    kanji_number,
    normalise,
    sentences,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3),
        ("１２", 12),
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十三", 23),
        ("百", 100),
        ("x", None),
        ("", None),
    ],
)
def test_kanji_number(text, value):
    assert kanji_number(text) == value


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("終了後5年間存続する", [60]),
        ("終了後も二年間", [24]),
        ("6か月", [6]),
        ("18ヶ月間", [18]),
        ("survive for five (5) years", [60]),
        ("for a period of one (1) year", [12]),
        ("six months after", [6]),
        ("36 months", [36]),
        ("期間の定めなく", []),
    ],
)
def test_durations_in_months(text, months):
    assert durations_in_months(normalise(text)) == months


def test_sentences_keep_a_full_stop_inside_brackets():
    text = "株式会社A（以下「甲」という。）と株式会社B（以下「乙」という。）は、契約する。第二文。"
    assert sentences(text) == [
        "株式会社A（以下「甲」という。）と株式会社B（以下「乙」という。）は、契約する。",
        "第二文。",
    ]


def test_english_sentences_and_abbreviations():
    text = "The Recipient shall keep it, e.g. in a safe. It shall not copy it. Acme Inc. agrees."
    assert sentences(text) == [
        "The Recipient shall keep it, e.g. in a safe.",
        "It shall not copy it.",
        "Acme Inc. agrees.",
    ]


def test_clean_and_join_treat_japanese_and_english_lines_alike():
    assert (
        clean("乙は、 秘密情報を\u3000第三者に  開示しない。")
        == "乙は、秘密情報を第三者に開示しない。"
    )
    assert (
        join_lines("乙は、秘密情報を", "第三者に開示しない。")
        == "乙は、秘密情報を第三者に開示しない。"
    )
    assert join_lines("The Recipient shall", "not disclose") == "The Recipient shall not disclose"


def test_normalise_is_nfkc_lower_case_without_the_stop_that_closes_a_bracket():
    assert normalise("（以下「甲」という。）ＡＢＣ　Ｄ") == "(以下「甲」という)abc d"
