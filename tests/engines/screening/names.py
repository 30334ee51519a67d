"""Generated end-user lists and counterparty names for the screening tests and benchmark.

Entries are made-up organisations written in Latin letters, in kana (with a romaji alias)
or in kanji, each with a legal form; ``variant`` respells a name the ways a counterparty
register does (width, legal form, punctuation, word order, one typo). ``unrelated_names``
are real-looking company names built from words the entries never use. Everything is
seeded, so a failing case can be reproduced.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from mamori.engines.screening import ListEntry

SYLLABLES = [
    "kor",
    "van",
    "tis",
    "del",
    "mar",
    "zen",
    "quo",
    "bre",
    "lux",
    "tor",
    "vex",
    "nim",
    "dra",
    "gul",
    "pax",
    "ryn",
    "sol",
    "tek",
    "ul",
    "vor",
    "xan",
    "yel",
    "zor",
    "kel",
    "mir",
    "nov",
    "ost",
    "pra",
    "qui",
    "rav",
    "sev",
    "tam",
    "urb",
    "vil",
    "wex",
    "zak",
]
INDUSTRY = [
    "Precision Instruments",
    "Electronics",
    "Aerospace",
    "Advanced Materials",
    "Machinery",
    "Optics",
    "Propulsion",
    "Nuclear Engineering",
    "Semiconductor",
    "Research Institute",
    "Trading",
    "Industrial",
    "Chemical Works",
    "Navigation Systems",
]
LATIN_FORMS = ["Co., Ltd.", "Ltd.", "Inc.", "Corporation", "LLC", "GmbH", "Limited"]
COUNTRIES = ["CN", "IR", "KP", "RU", "PK", "SY", "AE", "HK", "IN", "IL"]

KANA = {
    "ka": "カ",
    "ki": "キ",
    "ku": "ク",
    "ke": "ケ",
    "ko": "コ",
    "sa": "サ",
    "shi": "シ",
    "su": "ス",
    "se": "セ",
    "so": "ソ",
    "ta": "タ",
    "te": "テ",
    "to": "ト",
    "na": "ナ",
    "ni": "ニ",
    "nu": "ヌ",
    "ne": "ネ",
    "no": "ノ",
    "ha": "ハ",
    "hi": "ヒ",
    "ho": "ホ",
    "ma": "マ",
    "mi": "ミ",
    "mu": "ム",
    "me": "メ",
    "mo": "モ",
    "ra": "ラ",
    "ri": "リ",
    "ru": "ル",
    "re": "レ",
    "ro": "ロ",
    "ga": "ガ",
    "gi": "ギ",
    "go": "ゴ",
    "za": "ザ",
    "zo": "ゾ",
    "da": "ダ",
    "de": "デ",
    "do": "ド",
    "ba": "バ",
    "bi": "ビ",
    "bo": "ボ",
    "pa": "パ",
    "pi": "ピ",
    "po": "ポ",
}
KANA_INDUSTRY = [("電子", "denshi"), ("精機", "seiki"), ("光学", "kogaku"), ("工業", "kogyo")]
PLACES = ["北京", "上海", "深圳", "西安", "成都", "天津", "南京", "大連", "瀋陽", "武漢", "長沙"]
HANZI = list("星光華東遠宏泰豊盛鼎晟創澤瑞峰恒嘉辰耀昊森淼鑫旭冠達昌隆凱瀚")
HANZI_FIELD = ["精密", "光電", "航天", "電子", "材料", "機械", "化工", "儀器", "動力", "通信"]
HANZI_KIND = ["科技", "技術", "研究所", "工業"]
HANZI_FORMS = ["有限公司", "股份有限公司", "有限責任公司", "集団公司"]

UNRELATED_JA = [
    "東日本ケミカル",
    "みなと精工",
    "ひかり物流",
    "あおば食品",
    "やまと電設",
    "つばさ不動産",
    "北陸メディカル",
    "中央印刷",
    "大和ソフトウェア",
    "瀬戸内マリン",
    "富士見商事",
    "花園製菓",
    "青葉建設",
    "朝日テキスタイル",
    "新宿システム",
    "若葉ケアサービス",
]
UNRELATED_WORDS = [
    "Sunrise",
    "Blue Harbor",
    "Green Valley",
    "Maple Leaf",
    "Golden Gate",
    "Silverline",
    "Riverside",
    "Northwind",
    "Evergreen",
    "Bright Path",
    "Cedar Hill",
    "Oakwood",
    "Harborview",
    "Lakeshore",
    "Summit Peak",
    "Redwood",
]
UNRELATED_TRADES = [
    "Foods",
    "Logistics",
    "Consulting",
    "Apparel",
    "Pharma",
    "Retail",
    "Software",
    "Energy",
    "Hotels",
    "Dental Supplies",
    "Coffee Roasters",
    "Insurance",
]


def _word(rng: random.Random, parts: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


@dataclass(frozen=True)
class Generated:
    entry: ListEntry
    script: str  # "latin", "kana" or "kanji"


def generate_list(count: int = 2000, seed: int = 7) -> list[Generated]:
    """Return ``count`` distinct entries: half Latin, a quarter kana, a quarter kanji."""
    rng = random.Random(seed)
    seen: set[str] = set()
    result: list[Generated] = []
    while len(result) < count:
        script = ("latin", "latin", "kana", "kanji")[len(result) % 4]
        country = rng.choice(COUNTRIES)
        if script == "latin":
            core = f"{_word(rng)} {_word(rng, 2)}"
            name = f"{core} {rng.choice(INDUSTRY)} {rng.choice(LATIN_FORMS)}"
            aliases = (f"{core.split()[0]} {rng.choice(INDUSTRY)}",) if rng.random() < 0.3 else ()
        elif script == "kana":
            syllables = rng.sample(list(KANA), rng.randint(4, 5))
            industry, reading = rng.choice(KANA_INDUSTRY)
            core = "".join(KANA[s] for s in syllables) + industry
            name = f"{core}株式会社"
            aliases = ("".join(syllables).capitalize() + f" {reading.capitalize()} Co., Ltd.",)
            country = "JP" if rng.random() < 0.3 else country
            key = core
        else:
            core = (
                rng.choice(PLACES)
                + "".join(rng.sample(HANZI, 2))
                + rng.choice(HANZI_FIELD)
                + rng.choice(HANZI_KIND)
            )
            name = core + rng.choice(HANZI_FORMS)
            aliases = ()
        key = core.lower()
        if key in seen:
            continue
        seen.add(key)
        entry = ListEntry(
            key=f"E{len(result) + 1:05d}",
            names=(name, *aliases),
            country=country,
            category=rng.choice(["核", "ミサイル", "生物", "化学"]),
        )
        result.append(Generated(entry=entry, script=script))
    return result


# --- respelling ---------------------------------------------------------------------------

_HALF_WIDTH: dict[str, str] = {}
for _code in range(0xFF66, 0xFF9E):
    _half = chr(_code)
    _HALF_WIDTH.setdefault(unicodedata.normalize("NFKC", _half), _half)
    for _mark in ("ﾞ", "ﾟ"):
        _full = unicodedata.normalize("NFKC", _half + _mark)
        if len(_full) == 1:
            _HALF_WIDTH.setdefault(_full, _half + _mark)


def full_width(text: str) -> str:
    return "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text
    )


def half_width_kana(text: str) -> str:
    return "".join(_HALF_WIDTH.get(c, c) for c in text)


def _typo(word: str, rng: random.Random, alphabet: str) -> str:
    position = rng.randrange(1, len(word) - 1)
    replacement = rng.choice([c for c in alphabet if c != word[position]])
    return word[:position] + replacement + word[position + 1 :]


KINDS = ("width", "legal_form", "punctuation", "word_order", "typo")


def variant(generated: Generated, kind: str, rng: random.Random) -> str:
    """Return the entry's first name respelled one way (see ``KINDS``)."""
    name = generated.entry.names[0]
    if generated.script == "latin":
        words = name.split()
        core, rest = words[:2], words[2:]
        industry = [w for w in rest if w not in " ".join(LATIN_FORMS).split()]
        if kind == "width":
            return full_width(name)
        if kind == "legal_form":
            return " ".join([*core, *industry, "Kabushiki Kaisha"])
        if kind == "punctuation":
            return f"{core[0]}-{core[1]}, {' '.join(industry)} (Ltd)"
        if kind == "word_order":
            return " ".join([*industry, *core])
        return " ".join([_typo(core[0], rng, "aeioulnrst"), core[1], *industry])
    if generated.script == "kana":
        core = name.removesuffix("株式会社")
        if kind == "width":
            return half_width_kana(core) + "(株)"
        if kind == "legal_form":
            return "株式会社" + core
        if kind == "punctuation":
            return f"{core[:2]}・{core[2:]}（株）"
        if kind == "word_order":
            return generated.entry.names[1].replace("Co., Ltd.", "").strip()
        kana = len(core) - 2  # the industry word (電子, 精機...) is the last two characters
        return (
            _typo(core[:kana] + "_", rng, "アイウエオカキクケコ")[:kana] + core[kana:] + "株式会社"
        )
    core = name
    for form in ("股份有限公司", "有限責任公司", "有限公司", "集団公司"):
        if core.endswith(form):
            core = core.removesuffix(form)
            break
    if kind == "width":
        return core + "（有限公司）"
    if kind == "legal_form":
        return core + "股份有限公司"
    if kind == "punctuation":
        return f"{core[:2]}・{core[2:]}有限公司"
    if kind == "word_order":
        return f"{core}有限責任公司"
    return _typo(core, rng, "甲乙丙丁戊己庚辛壬癸") + "有限公司"


def unrelated_names(count: int = 200, seed: int = 11) -> list[str]:
    """Return ``count`` distinct real-looking company names unrelated to any entry."""
    rng = random.Random(seed)
    names: set[str] = set()
    for _ in range(count * 50):
        if len(names) == count:
            break
        if rng.random() < 0.4:
            core = rng.choice(UNRELATED_JA) + rng.choice(["", "サービス", "ホールディングス"])
            names.add(rng.choice([f"株式会社{core}", f"{core}株式会社", f"{core}(株)"]))
        else:
            trade = rng.choice(UNRELATED_TRADES)
            form = rng.choice(["Inc.", "Co., Ltd.", "K.K.", "LLC", "Pte. Ltd."])
            names.add(f"{rng.choice(UNRELATED_WORDS)} {trade} {form}")
    if len(names) < count:
        raise ValueError(f"only {len(names)} distinct unrelated names can be made")
    return sorted(names)
