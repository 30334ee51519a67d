"""Text, Markdown and CSV files: encodings detected and kept, line endings kept, every
byte outside a replaced term kept; places given as lines (and CSV columns); markings."""

from __future__ import annotations

import codecs

import pytest

from mamori.engines.codenames import (
    Category,
    Dictionary,
    DictionaryError,
    DocumentError,
    Term,
    load_markings,
    next_codename,
    restore,
    sanitize,
    scan,
)

TEXT = "社外秘\r\n東日本ケミカル株式会社から\r\nＰＦ‐２００を購入する。\r\n"


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    return Dictionary(
        [
            Term("東日本ケミカル株式会社", Category.SUPPLIER, "供給元A"),
            Term("PF-200", Category.MATERIAL, "素材A"),
        ]
    )


@pytest.mark.parametrize(
    ("encoding", "bom", "label"),
    [
        ("utf-8", b"", "UTF-8"),
        ("utf-8", codecs.BOM_UTF8, "UTF-8 (BOM)"),
        ("cp932", b"", "Shift_JIS (CP932)"),
        ("euc_jp", b"", "EUC-JP"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16 (LE) (BOM)"),
    ],
)
def test_the_encoding_is_detected_and_kept_with_the_line_endings(dictionary, encoding, bom, label):
    data = bom + TEXT.encode(encoding)
    result = sanitize(data, "memo.txt", dictionary)
    assert result.encoding == label
    expected = TEXT.replace("東日本ケミカル株式会社", "供給元A").replace("ＰＦ‐２００", "素材A")
    assert result.data == bom + expected.encode(encoding)
    assert result.data.count(b"\r\n" if "16" not in encoding else "\r\n".encode(encoding)) == 3
    assert [(r.location.ref, r.found, r.replacement) for r in result.replacements] == [
        ("2", "東日本ケミカル株式会社", "供給元A"),
        ("3", "ＰＦ‐２００", "素材A"),
    ]


def test_shift_jis_bytes_outside_the_terms_are_copied_as_they_were(dictionary):
    # 0xED40 and 0xFA5C are two CP932 encodings of the same kanji (纊); re-encoding
    # would write 0xFA5C for both. The original bytes must stay.
    original = "纊".encode("cp932")
    data = b"\xed\x40" + "とPF-200".encode("cp932") + original
    assert data.decode("cp932")[0] == "纊"
    result = sanitize(data, "a.txt", dictionary)
    assert result.data == b"\xed\x40" + "と素材A".encode("cp932") + original


def test_a_file_without_a_term_comes_back_byte_for_byte(dictionary):
    data = "改行だけ\n\n末尾に改行なし".encode()
    result = sanitize(data, "a.md", dictionary)
    assert result.data == data and result.total == 0 and result.format == "markdown"


def test_csv_places_are_row_and_column(dictionary):
    data = 'id,仕入先,品番\r\n1,"東日本ケミカル株式会社, 本社",PF-200\r\n'.encode("cp932")
    result = sanitize(data, "parts.csv", dictionary)
    assert [r.location.describe("en") for r in result.replacements] == ["2:2", "2:3"]
    assert result.data.decode("cp932") == 'id,仕入先,品番\r\n1,"供給元A, 本社",素材A\r\n'


def test_scan_lists_terms_and_markings_with_their_lines(dictionary):
    report = scan(TEXT.encode(), "memo.txt", dictionary)
    assert [(f.kind, f.location.ref, f.text) for f in report.findings] == [
        ("marking", "1", "社外秘"),
        ("term", "2", "東日本ケミカル株式会社"),
        ("term", "3", "ＰＦ‐２００"),
    ]
    assert len(report.secrets) == 3 and not report.reviews
    cleaned = sanitize(TEXT.encode(), "memo.txt", dictionary).data
    assert [f.kind for f in scan(cleaned, "memo.txt", dictionary).findings] == ["marking"]


@pytest.mark.parametrize(
    "text",
    ["CONFIDENTIAL", "Internal Use Only", "取扱注意", "㊙", "ＣＯＮＦＩＤＥＮＴＩＡＬ"],
)
def test_markings_are_found_in_any_width_and_case(dictionary, text):
    report = scan(f"表紙 {text} 本文".encode(), "a.txt", dictionary)
    assert [f.kind for f in report.findings] == ["marking"]


def test_a_word_containing_a_latin_marking_is_not_one(dictionary):
    assert scan(b"confidentiality agreement", "a.txt", dictionary).findings == ()


def test_markings_are_data_checked_when_loaded(tmp_path):
    assert "社外秘" in load_markings().entries
    path = tmp_path / "markings.yaml"
    path.write_text(
        "version: 1\nmarkings:\n  - text: 社外秘\n  - text: ＳＨＡＧＡＩ\n    variants: [shagai]\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="listed twice"):
        load_markings(path)


def test_restore_turns_codenames_back(dictionary):
    data = "供給元Aの素材Ａについて\n".encode()
    assert restore(data, "reply.txt", dictionary).data.decode() == (
        "東日本ケミカル株式会社のPF-200について\n"
    )


def test_binary_and_undecodable_files_are_refused(dictionary):
    with pytest.raises(DocumentError) as binary:
        sanitize(b"\x00\x01\x02\xff\xfe\x00" * 10, "a.txt", dictionary)
    assert binary.value.code == "binary"
    with pytest.raises(DocumentError) as pdf:
        sanitize(b"%PDF-1.4\n", "a.pdf", dictionary)
    assert pdf.value.code == "corrupt"


# --- the dictionary ----------------------------------------------------------------------------


def test_codenames_are_generated_per_category():
    assert next_codename("material", []) == "素材A"
    assert next_codename("supplier", ["供給元A", "供給元Ｂ"]) == "供給元C"
    taken = [f"顧客{chr(code)}" for code in range(ord("A"), ord("Z") + 1)]
    assert next_codename("customer", taken) == "顧客AA"


@pytest.mark.parametrize(
    ("terms", "code"),
    [
        ([Term("1250", Category.PROCESS, "条件A")], "no_letter"),
        ([Term("銅", Category.MATERIAL, "素材A")], "too_short"),
        ([Term("改行\nあり", Category.OTHER, "項目A")], "control"),
        (
            [
                Term("PF-200", Category.MATERIAL, "素材A"),
                Term("ｐｆ－２００", Category.MATERIAL, "素材B"),
            ],
            "duplicate",
        ),
        (
            [Term("炭素", Category.MATERIAL, "素材A"), Term("窒素", Category.MATERIAL, "素材A")],
            "codename_taken",
        ),
        ([Term("素材", Category.MATERIAL, "新素材A")], "codename_contains_term"),
    ],
)
def test_a_dictionary_that_cannot_work_is_refused_with_the_reason(terms, code):
    with pytest.raises(DictionaryError) as error:
        Dictionary(terms)
    assert code in [problem.code for problem in error.value.problems]
