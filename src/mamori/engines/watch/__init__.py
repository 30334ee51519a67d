"""The departure watch engine: log import, analysis and synthetic data (no Django).

``Store`` keeps imported events in a DuckDB file and imports log files
(``Store.import_file``: the generic CSV / JSON-lines schema, the Microsoft 365 unified
audit log, the Google Workspace Drive audit log, Windows security events — each in the
layouts docs/watch-formats.md lists; event kinds from the catalogue ``kinds.yaml``).
``Store.analyse`` scores the people of a ``Directory`` (what the registers know: people,
departments, notices, accounts, assets, grants) and returns an ``Analysis``; its module
docstring and docs/watch-formats.md explain the statistics. ``generate`` writes synthetic
logs with planted exfiltration and the truth beside them.
"""

from mamori.engines.watch._catalogue import entries as catalogue_entries
from mamori.engines.watch._generate import (
    SHAPE_INDICATORS,
    SHAPES,
    Generated,
    Planted,
    generate,
    load_directory,
)
from mamori.engines.watch._model import (
    FORMAT_TEXT,
    INDICATORS,
    KIND_TEXT,
    Analysis,
    Asset,
    AssetPattern,
    DayPoint,
    Directory,
    Format,
    FormatError,
    Grant,
    ImportOptions,
    ImportSummary,
    Indicator,
    IndicatorSummary,
    Kind,
    LineError,
    PersonInfo,
    PersonResult,
    Reason,
    Settings,
    StoreBusyError,
    StoreStats,
    TopEvent,
    UnmatchedAccount,
    WatchError,
)
from mamori.engines.watch._sniff import guess_format
from mamori.engines.watch._store import MAX_ERRORS, Store, fingerprint
from mamori.engines.watch._times import DATE_ORDERS, parse_time

__all__ = [
    "DATE_ORDERS",
    "FORMAT_TEXT",
    "INDICATORS",
    "KIND_TEXT",
    "MAX_ERRORS",
    "SHAPES",
    "SHAPE_INDICATORS",
    "Analysis",
    "Asset",
    "AssetPattern",
    "DayPoint",
    "Directory",
    "Format",
    "FormatError",
    "Generated",
    "Grant",
    "ImportOptions",
    "ImportSummary",
    "Indicator",
    "IndicatorSummary",
    "Kind",
    "LineError",
    "PersonInfo",
    "PersonResult",
    "Planted",
    "Reason",
    "Settings",
    "Store",
    "StoreBusyError",
    "StoreStats",
    "TopEvent",
    "UnmatchedAccount",
    "WatchError",
    "catalogue_entries",
    "fingerprint",
    "generate",
    "guess_format",
    "load_directory",
    "parse_time",
]
