"""The engine's vocabulary and results: event kinds, indicators, summaries, scores."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class WatchError(ValueError):
    """Base of the engine's errors; the message is fit to show the user (English)."""


class FormatError(WatchError):
    """A file cannot be read in the format given (not a line: the whole file)."""


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
    WINUSB = "winusb"


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
    skipped: int  # malformed records, each reported in ``errors`` (up to a limit)
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
