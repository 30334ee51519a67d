"""The departure watch engine: log import, analysis and synthetic data (no Django).

``Store`` keeps imported events in a DuckDB file and imports log files
(``Store.import_file``: the generic CSV / JSON-lines schema, the Microsoft 365 unified
audit log, the Google Workspace Drive audit, Windows removable-storage events).
``Store.analyse`` scores the people of a ``Directory`` (what the registers know: people,
departments, notices, accounts, assets, grants) and returns an ``Analysis``; its module
docstring and docs/watch-formats.md explain the statistics. ``generate`` writes synthetic
logs with planted exfiltration and the truth beside them.
"""

from mamori.engines.watch._generate import (
    SHAPE_INDICATORS,
    SHAPES,
    Generated,
    Planted,
    generate,
    load_directory,
)
from mamori.engines.watch._model import (
    INDICATORS,
    Analysis,
    Asset,
    AssetPattern,
    DayPoint,
    Directory,
    Format,
    FormatError,
    Grant,
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
from mamori.engines.watch._readers import parse_time
from mamori.engines.watch._store import Store, fingerprint

__all__ = [
    "INDICATORS",
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
    "fingerprint",
    "generate",
    "load_directory",
    "parse_time",
]
