"""The engine's vocabulary and results: event kinds, indicators, summaries, scores."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class WatchError(ValueError):
    """Base of the engine's errors; the message is fit to show the user (English)."""


class FormatError(WatchError):
    """A file is refused whole: it cannot be read in the format given, no record of it can,
    or too many cannot. Nothing of it is stored.

    ``code`` names the problem (a key of ``REFUSAL_TEXT``); ``expected`` and ``found`` are the
    columns (or keys) the format needs and those the file has; ``suggestion`` is the format
    the file looks like; ``records``, ``bad`` and ``errors`` (the first lines at fault) count
    what was read. ``text(language)`` is the message for the user.
    """

    def __init__(
        self,
        code: str,
        detail: str = "",
        *,
        fmt: str = "",
        expected: tuple[str, ...] = (),
        found: tuple[str, ...] = (),
        suggestion: str | None = None,
        records: int = 0,
        bad: int = 0,
        errors: tuple[LineError, ...] = (),
        share: float = 0.0,
    ) -> None:
        self.code, self.detail, self.fmt = code, detail, fmt
        self.expected, self.found, self.suggestion = expected, found, suggestion
        self.records, self.bad, self.errors, self.share = records, bad, errors, share
        super().__init__(self.text("en"))

    def with_context(self, **changes: object) -> FormatError:
        values = {
            name: getattr(self, name)
            for name in (
                "fmt",
                "expected",
                "found",
                "suggestion",
                "records",
                "bad",
                "errors",
                "share",
            )
        }
        values.update(changes)
        return FormatError(self.code, self.detail, **values)  # type: ignore[arg-type]

    def text(self, language: str = "ja") -> str:
        english = language.startswith("en")
        ja, en = REFUSAL_TEXT.get(self.code, REFUSAL_TEXT["format"])
        names = FORMAT_TEXT.get(self.fmt, (self.fmt, self.fmt))
        sep = ", " if english else "、"
        parts = [
            (en if english else ja).format(
                detail=self.detail,
                format=names[1] if english else names[0],
                records=self.records,
                bad=self.bad,
                share=round(self.share * 100),
            )
        ]
        if self.expected:
            label = "Expected columns: " if english else "必要な列: "
            parts.append(label + sep.join(self.expected) + ("." if english else "。"))
        if self.code == "columns":
            label = "Columns found: " if english else "ファイルの列: "
            shown = sep.join(self.found[:15]) or ("none" if english else "なし")
            parts.append(label + shown + ("." if english else "。"))
        if self.suggestion and self.suggestion != self.fmt:
            other = FORMAT_TEXT.get(self.suggestion, (self.suggestion, self.suggestion))
            parts.append(
                f"The file looks like {other[1]} (format “{self.suggestion}”)."
                if english
                else f"このファイルは{other[0]}（形式「{self.suggestion}」）のようです。"
            )
        return " ".join(parts) if english else "".join(parts)


class StoreBusyError(WatchError):
    """The analytic store is in use by another process (an import or a run)."""


class Kind(IntEnum):
    """What an event did, as stored (one small integer per event)."""

    OTHER = 0  # sign-ins and everything that touches no file
    ACCESS = 1  # open, read, edit, create, delete, rename...
    DOWNLOAD = 2
    REMOVABLE = 3  # copy to a USB stick or another removable medium
    CLOUD = 4  # upload to a cloud service, or share outside the company
    PRINT = 5
    EMAIL = 6  # e-mail sent out with an attachment
    DEVICE = 7  # a device plugged in (USB stick, phone): never a file access


FILE_KINDS = (Kind.ACCESS, Kind.DOWNLOAD, Kind.REMOVABLE, Kind.CLOUD, Kind.PRINT, Kind.EMAIL)
EXFILTRATION_KINDS = (Kind.REMOVABLE, Kind.CLOUD, Kind.EMAIL)


class Indicator(StrEnum):
    """A daily count the analysis scores; the order is the order of charts and tables."""

    DOWNLOAD = "download"
    REMOVABLE = "removable"
    CLOUD = "cloud"
    PRINT = "print"
    EMAIL = "email"
    AFTER_HOURS = "after_hours"
    NO_GRANT = "no_grant"
    TOP_SECRET = "top_secret"  # noqa: S105 - an indicator name

    @property
    def ja(self) -> str:
        return INDICATOR_TEXT[self][0]

    @property
    def en(self) -> str:
        return INDICATOR_TEXT[self][1]

    def label(self, language: str) -> str:
        return self.en if language.startswith("en") else self.ja

    def short(self, language: str) -> str:
        ja, en = INDICATOR_SHORT[self]
        return en if language.startswith("en") else ja


INDICATORS: tuple[Indicator, ...] = tuple(Indicator)

INDICATOR_TEXT: dict[Indicator, tuple[str, str]] = {
    Indicator.DOWNLOAD: ("ダウンロード", "Downloads"),
    Indicator.REMOVABLE: ("USBメモリなど外部記録媒体へのコピー", "Copies to removable media"),
    Indicator.CLOUD: (
        "クラウドへのアップロード・社外への共有",
        "Cloud uploads and outside sharing",
    ),
    Indicator.PRINT: ("印刷", "Printing"),
    Indicator.EMAIL: ("添付ファイル付きメールの社外送信", "E-mail sent out with attachments"),
    Indicator.AFTER_HOURS: ("勤務時間外の操作", "Activity outside working hours"),
    Indicator.NO_GRANT: (
        "アクセス権のない情報資産へのアクセス",
        "Access to assets without a grant",
    ),
    Indicator.TOP_SECRET: ("極秘の情報資産へのアクセス", "Access to 極秘 assets"),
}
# Short names, for the rows of a chart.
INDICATOR_SHORT: dict[Indicator, tuple[str, str]] = {
    Indicator.DOWNLOAD: ("ダウンロード", "Downloads"),
    Indicator.REMOVABLE: ("USB等へのコピー", "Removable media"),
    Indicator.CLOUD: ("クラウド・社外共有", "Cloud, sharing"),
    Indicator.PRINT: ("印刷", "Printing"),
    Indicator.EMAIL: ("添付メールの送信", "E-mail attachments"),
    Indicator.AFTER_HOURS: ("勤務時間外", "After hours"),
    Indicator.NO_GRANT: ("権限のない資産", "Without a grant"),
    Indicator.TOP_SECRET: ("極秘の資産", "極秘 assets"),
}

# How much an unusual day of each indicator weighs in the risk score: taking data out
# weighs most, collecting it less, the context (hours) least.
WEIGHTS: dict[Indicator, float] = {
    Indicator.DOWNLOAD: 0.5,
    Indicator.REMOVABLE: 1.0,
    Indicator.CLOUD: 1.0,
    Indicator.PRINT: 0.6,
    Indicator.EMAIL: 0.8,
    Indicator.AFTER_HOURS: 0.4,
    Indicator.NO_GRANT: 0.9,
    Indicator.TOP_SECRET: 0.6,
}
COLLECTION = (Indicator.DOWNLOAD, Indicator.NO_GRANT, Indicator.TOP_SECRET)
EXFILTRATION = (Indicator.REMOVABLE, Indicator.CLOUD, Indicator.EMAIL)


class Format(StrEnum):
    GENERIC = "generic"
    M365 = "m365"
    GWS = "gws"
    WINDOWS = "windows"


# Earlier names of a format, still accepted.
FORMAT_ALIASES = {"winusb": "windows"}

# What an event did, as people read it: (Japanese, English) by ``Kind``.
KIND_TEXT: dict[int, tuple[str, str]] = {
    Kind.OTHER: ("その他の操作", "other operation"),
    Kind.ACCESS: ("ファイルの閲覧・編集", "file opened or edited"),
    Kind.DOWNLOAD: ("ダウンロード", "download"),
    Kind.REMOVABLE: ("外部記録媒体へのコピー", "copy to removable media"),
    Kind.CLOUD: ("クラウドへのアップロード・社外共有", "upload or sharing outside"),
    Kind.PRINT: ("印刷", "print"),
    Kind.EMAIL: ("添付ファイル付きメールの送信", "e-mail with an attachment"),
    Kind.DEVICE: ("機器の接続", "device connected"),
}

FORMAT_TEXT: dict[str, tuple[str, str]] = {
    "generic": ("汎用CSV・JSON lines", "generic CSV / JSON lines"),
    "m365": ("Microsoft 365 監査ログ", "Microsoft 365 audit log"),
    "gws": ("Google Workspace ドライブ監査ログ", "Google Workspace Drive audit log"),
    "windows": ("Windows イベントログ", "Windows event log"),
}

REFUSAL_TEXT: dict[str, tuple[str, str]] = {
    "unknown_format": (
        "形式「{detail}」は扱えません（generic、m365、gws、windows のいずれか）。",
        "Unknown format “{detail}” (use generic, m365, gws or windows).",
    ),
    "not_file": ("{detail} はファイルではありません。", "{detail} is not a file."),
    "columns": (
        "ファイルの列が{format}の列と合いません。",
        "The file's columns are not those of a {format}.",
    ),
    "json": (
        "{format}として読めるJSONではありません（{detail}）。",
        "The file is not JSON of a {format} ({detail}).",
    ),
    "evtx": (
        ".evtx ファイルとして読めません（{detail}）。",
        "The file cannot be read as an .evtx event log ({detail}).",
    ),
    "empty": ("ファイルに記録がありません。", "The file has no records."),
    "no_rows": (
        "読み込める記録が1件もありません（{records}件中{bad}件が不正）。何も取り込んでいません。",
        "No record of the file could be read ({bad} of {records} malformed); nothing was imported.",
    ),
    "bad_share": (
        "{records}件中{bad}件の記録を読めません（{share}%を超えています）。何も取り込んでいません。",
        "{bad} of {records} records could not be read (more than {share}%); nothing was imported.",
    ),
    "dates_ambiguous": (
        "日付がすべて「日/月」とも「月/日」とも読めます（例: {detail}）。日付の順序（dmy または "
        "mdy）を指定してください。",
        "Every date could be read as day/month or as month/day (e.g. {detail}); give the "
        "date order (dmy or mdy).",
    ),
    "dates_conflict": (
        "日付の順序が行によって違います（{detail}）。何も取り込んでいません。",
        "The dates are written in both orders ({detail}); nothing was imported.",
    ),
    "date_order": (
        "日付の順序「{detail}」は扱えません（dmy または mdy）。",
        "Unknown date order “{detail}” (use dmy or mdy).",
    ),
    "format": (
        "{format}として読めません（{detail}）。",
        "The file cannot be read as a {format} ({detail}).",
    ),
}


@dataclass(frozen=True)
class ImportOptions:
    """How an import reads a file: the company's own e-mail domains (anything else is
    outside the company), the order of day and month in dates without a year first
    (``dmy``, ``mdy``, or ``None`` to detect it), and the share of malformed records above
    which a file is refused."""

    company_domains: tuple[str, ...] = ()
    date_order: str | None = None
    max_bad_share: float = 0.1


# --- import --------------------------------------------------------------------------------


LINE_ERROR_TEXT: dict[str, tuple[str, str]] = {
    "columns": ("列の数が見出しと合いません（{detail}）", "wrong number of columns ({detail})"),
    "json": ("JSONとして読めません{detail}", "not valid JSON{detail}"),
    "missing": ("{detail}がありません", "{detail} is missing"),
    "time": ("日時「{detail}」を読めません", "cannot read the time “{detail}”"),
    "value": ("{detail}の値を読めません", "cannot read the value of {detail}"),
    "record": ("行を読めません（{detail}）", "cannot read the line ({detail})"),
}


@dataclass(frozen=True)
class LineError:
    """A record that could not be read: the line it starts on (1 = the file's first line),
    what is wrong (a code of ``LINE_ERROR_TEXT``) and the column or value at fault."""

    line: int
    code: str
    detail: str = ""

    def text(self, language: str = "ja") -> str:
        ja, en = LINE_ERROR_TEXT.get(self.code, LINE_ERROR_TEXT["record"])
        detail = self.detail
        if self.code == "json" and detail:
            detail = f"（{detail}）" if not language.startswith("en") else f" ({detail})"
        template = en if language.startswith("en") else ja
        return template.format(detail=detail)


@dataclass(frozen=True)
class ImportSummary:
    file_name: str
    format: str
    fingerprint: str
    already_imported: bool
    records: int  # data records read (malformed ones included)
    added: int
    duplicates: int  # events already stored by an earlier import (same id)
    skipped: int  # malformed records, the first of them in ``errors``
    errors: tuple[LineError, ...]
    first_time: datetime.datetime | None
    last_time: datetime.datetime | None
    seconds: float


@dataclass(frozen=True)
class StoreStats:
    events: int
    imports: int
    first_time: datetime.datetime | None
    last_time: datetime.datetime | None


# --- what the analysis needs from the registers ----------------------------------------------


@dataclass(frozen=True)
class PersonInfo:
    id: int
    department: int | None
    notice_on: datetime.date | None = None
    departed_on: datetime.date | None = None

    @property
    def anchor(self) -> datetime.date | None:
        """The day the window is centred on: the notice, or the departure without one."""
        return self.notice_on or self.departed_on


@dataclass(frozen=True)
class Grant:
    person: int
    asset: int
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None  # last day the grant held, inclusive


@dataclass(frozen=True)
class Asset:
    id: int
    rank: int | None  # secrecy rank; 1 is 極秘, None for an unclassified asset


@dataclass(frozen=True)
class AssetPattern:
    """How log objects are recognised as an asset.

    A pattern with a ``/`` or ``\\`` (or a URL) is a path: it matches that file and
    everything in that folder. A pattern without one is a name: it matches every object
    whose file name contains it. Case is ignored; the longest matching pattern wins.
    """

    asset: int
    pattern: str


@dataclass(frozen=True)
class Directory:
    people: tuple[PersonInfo, ...]
    accounts: dict[str, int]  # lower-case account (e-mail, alias) -> person id
    assets: tuple[Asset, ...] = ()
    patterns: tuple[AssetPattern, ...] = ()
    grants: tuple[Grant, ...] = ()


@dataclass(frozen=True)
class Settings:
    before_days: int = 90
    after_days: int = 30
    work_start_hour: int = 8  # 08:00
    work_end_hour: int = 20  # until 20:00; weekends are outside working hours
    threshold: int = 50  # risk score from which a person is reported
    sequence_days: int = 7  # exfiltration this many days after a collection spike at most
    min_baseline_days: int = 20


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    code: str  # an Indicator value, or "sequence"
    points: float
    ja: str
    en: str

    def text(self, language: str) -> str:
        return self.en if language.startswith("en") else self.ja


@dataclass(frozen=True)
class IndicatorSummary:
    indicator: Indicator
    total: int  # in the window
    usual: float  # the baseline median per active day
    unusual_days: int
    peak: int
    peak_day: datetime.date | None
    points: float


@dataclass(frozen=True)
class DayPoint:
    day: datetime.date
    counts: tuple[int, ...]  # in INDICATORS order
    unusual: tuple[bool, ...]


@dataclass(frozen=True)
class TopEvent:
    time: datetime.datetime
    kind: Kind
    action: str
    object: str
    asset: int | None
    no_grant: bool
    size: int | None
    device: str
    host: str


@dataclass(frozen=True)
class PersonResult:
    person: int
    anchor: datetime.date
    window_start: datetime.date
    window_end: datetime.date
    score: int
    reasons: tuple[Reason, ...]
    indicators: tuple[IndicatorSummary, ...]
    days: tuple[DayPoint, ...]
    top_events: tuple[TopEvent, ...] = ()
    own_baseline: bool = True

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(reason.code for reason in self.reasons)


@dataclass(frozen=True)
class UnmatchedAccount:
    account: str
    events: int
    first_time: datetime.datetime | None
    last_time: datetime.datetime | None


@dataclass(frozen=True)
class Analysis:
    settings: Settings
    today: datetime.date
    events: int  # events in the store
    matched_events: int
    first_day: datetime.date | None
    last_day: datetime.date | None
    results: tuple[PersonResult, ...]  # watched people, highest score first
    unmatched: tuple[UnmatchedAccount, ...]
    seconds: float
    notes: tuple[str, ...] = field(default=())

    def above_threshold(self) -> tuple[PersonResult, ...]:
        return tuple(r for r in self.results if r.score >= self.settings.threshold)
