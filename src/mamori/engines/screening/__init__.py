"""End-user list screening: is a counterparty on METI's 外国ユーザーリスト (or a list like it)?

Names are normalised (width, case, punctuation, legal-form words such as Co., Ltd.,
株式会社 and 有限公司; kana romanized so that kana and Latin spellings meet) and compared
with rapidfuzz's edit similarity, on the name as written and with its words sorted (word
order does not count). A ``Screener`` files the list's names under blocking keys (each
word with its one-letter deletions, CJK character pairs) so that a name is compared only
with the few names that could match. Thresholds and legal-form words are data
(``screening.yaml``), read and checked once by ``load_config``. Nothing here imports Django.
"""

from mamori.engines.screening._config import (
    DEFAULT_CONFIG,
    ScreeningConfig,
    ScreeningError,
    default_config,
    load_config,
    parse_config,
)
from mamori.engines.screening._matcher import (
    ALIAS,
    COUNTRY_DIFFERS,
    COUNTRY_SAME,
    COUNTRY_UNKNOWN,
    EXACT,
    SIMILAR,
    TRANSLITERATED,
    WORD_ORDER,
    ListEntry,
    Match,
    Screener,
    blocking_keys,
    compare,
)
from mamori.engines.screening._normalize import NameKeys, fold_text, normalize_name, romanize

__all__ = [
    "ALIAS",
    "COUNTRY_DIFFERS",
    "COUNTRY_SAME",
    "COUNTRY_UNKNOWN",
    "DEFAULT_CONFIG",
    "EXACT",
    "SIMILAR",
    "TRANSLITERATED",
    "WORD_ORDER",
    "ListEntry",
    "Match",
    "NameKeys",
    "Screener",
    "ScreeningConfig",
    "ScreeningError",
    "blocking_keys",
    "compare",
    "default_config",
    "fold_text",
    "load_config",
    "normalize_name",
    "parse_config",
    "romanize",
]
