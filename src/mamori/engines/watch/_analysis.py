"""The analysis: daily indicators per person, robust scores, sequences, a risk score.

How a score is made (docs/watch-formats.md says the same in prose):

1. Every event of a matched account is counted per person and day into eight indicators:
   downloads, copies to removable media, cloud uploads, printing, e-mail with
   attachments, activity outside working hours, access to assets the person holds no
   grant for, access to 極秘 assets.
2. Baselines use only the days a person was active (logged any event). The person's own
   baseline is their days outside the window; their department's is every member's days
   outside a window (the whole company when the department has too few). For each
   indicator a baseline has a centre, the median, and a spread, the larger of 1.4826 × MAD
   and (90th percentile − median) / 1.2816, and at least one event. Both are robust: a
   few extreme days do not move them, so the behaviour looked for cannot hide itself.
3. A day in the window scores z = (count − median) / spread against each baseline, and
   counts as unusual by the smaller of the two (unusual for the person *and* for their
   department); without an own baseline (fewer than ``min_baseline_days`` days), by the
   department's alone.
4. An indicator earns weight × Σ √(z − 2) over its unusual days (z > 2): many
   slightly unusual days (a slow drip) and one extreme day (a night's bulk copy) both
   count, neither without bound.
5. A collection spike (downloads, 極秘 or ungranted access, z ≥ 3) followed within
   ``sequence_days`` by an exfiltration spike (removable media, cloud, e-mail, z ≥ 3)
   adds 5 points per exfiltration day, at most 15.
6. The risk score is 100 × (1 − e^(−points / 20)), 0 to 100; the reasons are the parts
   with the most points, in plain words.
"""

from __future__ import annotations

import datetime
import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from mamori.engines.watch._model import (
    COLLECTION,
    EXFILTRATION,
    INDICATORS,
    WEIGHTS,
    Analysis,
    DayPoint,
    Directory,
    Indicator,
    IndicatorSummary,
    Kind,
    PersonResult,
    Reason,
    Settings,
    TopEvent,
    UnmatchedAccount,
)


class Store(Protocol):
    """What the analysis reads from ``_store.Store``: its DuckDB connection (a protocol,
    so that this module does not import the store that calls it)."""

    con: Any


# ruff: noqa: S608 - SQL is built from indicator names and integers only; values are bound.

UNUSUAL_Z = 2.0
SPIKE_Z = 3.0
SCALE_POINTS = 20.0
SEQUENCE_POINTS = 5.0
SEQUENCE_MAX = 15.0
BASELINE_SAMPLE = 200_000  # person-days behind department baselines at most
TOP_EVENTS_PER_CLASS = 8  # events kept per person and class (exfiltration, ...)
MIN_REASON_POINTS = 1.0
COLUMNS = [indicator.value for indicator in INDICATORS]


@dataclass(frozen=True)
class Baseline:
    median: float
    spread: float
    days: int

    def z(self, value: float) -> float:
        return (value - self.median) / self.spread


def analyse(
    store: Store,
    directory: Directory,
    settings: Settings,
    today: datetime.date,
    *,
    progress: Callable[[float, str], None] | None = None,
) -> Analysis:
    """Score the watched people of ``directory`` on the events in ``store``.

    Watched people are those with a departure notice (or, without one, a departure) whose
    window — ``before_days`` before to ``after_days`` after — overlaps the logs. Return
    their results, highest score first, and the accounts no person matched.
    ``progress(fraction, stage)`` is called as the stages finish, fraction 0 to 1.
    """
    report = progress or (lambda fraction, stage: None)
    started = time.perf_counter()
    con = store.con
    report(0.0, "accounts")
    total, first, last = con.execute("SELECT count(*), min(ts), max(ts) FROM events").fetchone()
    first_day = first.date() if first else None
    last_day = last.date() if last else None
    accounts = con.execute(
        "SELECT account, count(*), min(ts), max(ts) FROM events GROUP BY account"
    ).fetchall()
    mapping, unmatched = _match_accounts(accounts, directory.accounts)
    watched = _watched(directory, settings, first_day, last_day, today)
    report(0.15, "tables")
    _load_tables(con, directory, mapping, watched, settings)
    matched = con.execute("SELECT count(*) FROM events JOIN acct USING (account)").fetchone()[0]
    results: list[PersonResult] = []
    if watched and matched:
        report(0.3, "daily")
        _daily(con, directory, settings)
        report(0.6, "baselines")
        baselines = _baselines(con, settings)
        window_days = _window_days(con)
        departments = {p.id: p.department for p in directory.people}
        report(0.8, "scores")
        for number, (person, (anchor, start, end)) in enumerate(watched.items(), start=1):
            results.append(
                _score(
                    person,
                    anchor,
                    start,
                    min(end, last_day or end),
                    window_days.get(person, {}),
                    baselines,
                    settings,
                    departments.get(person),
                )
            )
            report(0.8 + 0.15 * number / len(watched), "scores")
        results = _with_top_events(con, results)
    else:
        results = [
            _score(person, anchor, start, end, {}, {}, settings)
            for person, (anchor, start, end) in watched.items()
        ]
    results.sort(key=lambda r: (-r.score, r.anchor, r.person))
    report(1.0, "done")
    return Analysis(
        settings=settings,
        today=today,
        events=total,
        matched_events=matched,
        first_day=first_day,
        last_day=last_day,
        results=tuple(results),
        unmatched=tuple(unmatched),
        seconds=time.perf_counter() - started,
    )


# --- people and accounts ------------------------------------------------------------------


def _match_accounts(
    rows: list[tuple], known: dict[str, int]
) -> tuple[dict[str, int], list[UnmatchedAccount]]:
    """Match log accounts (as written) to people: case and surrounding spaces ignored,
    exactly, or ``DOMAIN\\name`` by an alias ``name``. Return the mapping and the
    accounts nobody matched (spelling variants of one account merged)."""
    aliases = {key.strip().lower(): person for key, person in known.items() if key.strip()}
    mapping: dict[str, int] = {}
    unmatched: dict[str, list] = {}
    for account, count, first, last in rows:
        if account is None:
            continue
        key = account.strip().lower()
        person = aliases.get(key)
        if person is None and "\\" in key:
            person = aliases.get(key.rsplit("\\", 1)[1])
        if person is not None:
            mapping[account] = person
        elif key in unmatched:
            entry = unmatched[key]
            entry[0] += count
            entry[1], entry[2] = min(entry[1], first), max(entry[2], last)
        else:
            unmatched[key] = [count, first, last]
    listed = [UnmatchedAccount(key, *values) for key, values in unmatched.items()]
    listed.sort(key=lambda u: (-u.events, u.account))
    return mapping, listed


def _watched(
    directory: Directory,
    settings: Settings,
    first_day: datetime.date | None,
    last_day: datetime.date | None,
    today: datetime.date,
) -> dict[int, tuple[datetime.date, datetime.date, datetime.date]]:
    watched = {}
    for person in directory.people:
        anchor = person.anchor
        if anchor is None or anchor > today:
            continue
        start = anchor - datetime.timedelta(days=settings.before_days)
        end = min(anchor + datetime.timedelta(days=settings.after_days), today)
        if person.departed_on:
            end = min(end, max(person.departed_on, anchor))
        if first_day is not None and (end < first_day or start > (last_day or end)):
            continue
        watched[person.id] = (anchor, start, end)
    return watched


def _load_tables(con, directory, mapping, watched, settings) -> None:
    people = list(directory.people)
    con.execute("DROP TABLE IF EXISTS acct")
    con.execute(
        "CREATE TEMP TABLE acct AS SELECT unnest(?::VARCHAR[]) AS account, "
        "unnest(?::INTEGER[]) AS person",
        [list(mapping), list(mapping.values())],
    )
    con.execute("DROP TABLE IF EXISTS people")
    con.execute(
        """
        CREATE TEMP TABLE people AS SELECT unnest(?::INTEGER[]) AS person,
            unnest(?::INTEGER[]) AS dept, unnest(?::DATE[]) AS wstart, unnest(?::DATE[]) AS wend
        """,
        [
            [p.id for p in people],
            [p.department if p.department is not None else -1 for p in people],
            [watched[p.id][1] if p.id in watched else None for p in people],
            [watched[p.id][2] if p.id in watched else None for p in people],
        ],
    )
    con.execute("DROP TABLE IF EXISTS assets")
    con.execute(
        "CREATE TEMP TABLE assets AS SELECT unnest(?::INTEGER[]) AS asset, "
        "unnest(?::INTEGER[]) AS rank",
        [[a.id for a in directory.assets], [a.rank for a in directory.assets]],
    )
    grants = _merged_grants(directory)
    con.execute("DROP TABLE IF EXISTS grants")
    con.execute(
        """
        CREATE TEMP TABLE grants AS SELECT unnest(?::INTEGER[]) AS person,
            unnest(?::INTEGER[]) AS asset, unnest(?::DATE[]) AS gfrom, unnest(?::DATE[]) AS gto
        """,
        [
            [g[0] for g in grants],
            [g[1] for g in grants],
            [g[2] for g in grants],
            [g[3] for g in grants],
        ],
    )
    paths, names = [], []
    for pattern in directory.patterns:
        text = _normalise(pattern.pattern)
        if not text:
            continue
        (paths if "/" in text else names).append((pattern.asset, text))
    con.execute("DROP TABLE IF EXISTS path_patterns")
    con.execute(
        "CREATE TEMP TABLE path_patterns AS SELECT unnest(?::INTEGER[]) AS asset, "
        "unnest(?::VARCHAR[]) AS pattern",
        [[a for a, _ in paths], [p for _, p in paths]],
    )
    con.execute("DROP TABLE IF EXISTS name_patterns")
    con.execute(
        "CREATE TEMP TABLE name_patterns AS SELECT unnest(?::INTEGER[]) AS asset, "
        "unnest(?::VARCHAR[]) AS pattern",
        [[a for a, _ in names], [p for _, p in names]],
    )


EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)


def _merged_grants(directory: Directory) -> list[tuple[int, int, datetime.date, datetime.date]]:
    """Grants as non-overlapping periods per person and asset, so that an event joins at
    most one of them."""
    periods: dict[tuple[int, int], list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for grant in directory.grants:
        periods[(grant.person, grant.asset)].append(
            (grant.valid_from or EARLIEST, grant.valid_to or LATEST)
        )
    merged = []
    day = datetime.timedelta(days=1)
    for (person, asset), spans in periods.items():
        spans.sort()
        current_start, current_end = spans[0]
        for span_start, span_end in spans[1:]:
            if span_start <= current_end + day:
                current_end = max(current_end, span_end)
            else:
                merged.append((person, asset, current_start, current_end))
                current_start, current_end = span_start, span_end
        merged.append((person, asset, current_start, current_end))
    return merged


def _normalise(text: str) -> str:
    """Lower case, forward slashes, no trailing slash: how paths are compared."""
    return text.strip().lower().replace("\\", "/").rstrip("/")


NORMALISE_SQL = "rtrim(replace(lower(object), '\\', '/'), '/')"


# --- daily counts ------------------------------------------------------------------------------


def _daily(con, directory: Directory, settings: Settings) -> None:
    """Count every matched event into ``daily`` (person, day, the eight indicators), in
    one pass over the events."""
    start, end = int(settings.work_start_hour), int(settings.work_end_hour)
    outside = f"(isodow(e.ts) >= 6 OR hour(e.ts) < {start} OR hour(e.ts) >= {end})"
    counts = ", ".join(
        f"count(*) FILTER (WHERE e.kind = {int(kind)}) AS {name}"
        for kind, name in (
            (Kind.DOWNLOAD, "download"),
            (Kind.REMOVABLE, "removable"),
            (Kind.CLOUD, "cloud"),
            (Kind.PRINT, "print"),
            (Kind.EMAIL, "email"),
        )
    )
    has_patterns = con.execute(
        "SELECT (SELECT count(*) FROM path_patterns) + (SELECT count(*) FROM name_patterns)"
    ).fetchone()[0]
    if has_patterns:
        _object_assets(con)
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE objmap (object VARCHAR, asset INTEGER)")
    # Collection only: a copy of a 極秘 file to USB counts as a copy, not also as access.
    collection = f"e.kind IN ({int(Kind.ACCESS)}, {int(Kind.DOWNLOAD)}) AND m.asset IS NOT NULL"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE daily AS
        SELECT a.person, e.ts::DATE AS day, count(*) AS events, {counts},
               count(*) FILTER (WHERE {outside}) AS after_hours,
               count(*) FILTER (WHERE {collection} AND g.person IS NULL) AS no_grant,
               count(*) FILTER (WHERE {collection} AND s.rank = 1) AS top_secret
        FROM events e JOIN acct a USING (account)
        LEFT JOIN objmap m ON m.object = e.object
        LEFT JOIN assets s ON s.asset = m.asset
        LEFT JOIN grants g ON g.person = a.person AND g.asset = m.asset
             AND e.ts::DATE BETWEEN g.gfrom AND g.gto
        GROUP BY ALL
        """
    )


def _object_assets(con) -> None:
    """Map each distinct object to at most one asset: the longest path pattern that is
    the object or one of its folders, else a name pattern its file name contains."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE objs AS
        SELECT object, {NORMALISE_SQL} AS norm
        FROM (SELECT DISTINCT object FROM events JOIN acct USING (account)
              WHERE object <> '')
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE folder_assets AS
        WITH folders AS (
            SELECT DISTINCT regexp_replace(norm, '/[^/]*$', '') AS folder FROM objs
        ), ancestors AS (
            SELECT folder, array_to_string(parts[1:i], '/') AS prefix
            FROM (SELECT folder, string_split(folder, '/') AS parts FROM folders),
                 LATERAL (SELECT unnest(range(1, len(parts) + 1)) AS i)
        )
        SELECT folder, arg_max(p.asset, length(p.pattern)) AS asset
        FROM ancestors JOIN path_patterns p ON p.pattern = ancestors.prefix
        GROUP BY folder
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE objmap AS
        SELECT o.object, coalesce(exact.asset, f.asset, named.asset) AS asset
        FROM objs o
        LEFT JOIN (SELECT pattern, min(asset) AS asset FROM path_patterns GROUP BY pattern)
            exact ON exact.pattern = o.norm
        LEFT JOIN folder_assets f ON f.folder = regexp_replace(o.norm, '/[^/]*$', '')
        LEFT JOIN (
            SELECT o2.object, arg_max(n.asset, length(n.pattern)) AS asset
            FROM objs o2 JOIN name_patterns n
              ON contains(regexp_extract(o2.norm, '[^/]*$'), n.pattern)
            GROUP BY o2.object
        ) named ON named.object = o.object
        WHERE coalesce(exact.asset, f.asset, named.asset) IS NOT NULL
        """
    )


# --- baselines -------------------------------------------------------------------------------


def _baselines(con, settings: Settings) -> dict[tuple[str, Any], dict[Indicator, Baseline]]:
    """Return baselines keyed ("own", person), ("dept", dept) and ("all", None).

    Department and company baselines are medians and percentiles of up to a few hundred
    thousand person-days: beyond that, a fixed pseudo-random sample of the days (the same
    every run) estimates them as well and much faster. Watched people's days are all kept.
    """
    days = con.execute("SELECT count(*) FROM daily").fetchone()[0]
    keep = min(1000, math.ceil(1000 * BASELINE_SAMPLE / max(days, 1)))
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE base_values AS
        SELECT person, dept, watched, indicator, value FROM (
            SELECT d.*, p.dept, p.wstart IS NOT NULL AS watched
            FROM daily d JOIN people p USING (person)
            WHERE (p.wstart IS NULL AND hash(d.person, d.day) % 1000 < {keep})
               OR (p.wstart IS NOT NULL AND d.day NOT BETWEEN p.wstart AND p.wend)
        ) UNPIVOT (value FOR indicator IN ({", ".join(COLUMNS)}))
        """
    )
    groups = {
        "own": ("person", "WHERE watched"),
        "dept": ("dept", "WHERE dept >= 0"),
        "all": ("NULL::INTEGER", ""),
    }
    baselines: dict[tuple[str, Any], dict[Indicator, Baseline]] = defaultdict(dict)
    for scope, (key, where) in groups.items():
        rows = con.execute(
            f"""
            WITH v AS (SELECT {key} AS k, indicator, value FROM base_values {where}),
            m AS (SELECT k, indicator, median(value) AS med, quantile_cont(value, 0.9) AS q90,
                         count(*) AS n FROM v GROUP BY ALL)
            SELECT m.k, m.indicator, m.med, m.q90, m.n, median(abs(v.value - m.med)) AS mad
            FROM v JOIN m ON m.k IS NOT DISTINCT FROM v.k AND m.indicator = v.indicator
            GROUP BY ALL
            """
        ).fetchall()
        for k, indicator, med, q90, n, mad in rows:
            spread = max(1.4826 * float(mad), (float(q90) - float(med)) / 1.2816, 1.0)
            baselines[(scope, k)][Indicator(indicator)] = Baseline(float(med), spread, int(n))
    return baselines


def _window_days(con) -> dict[int, dict[datetime.date, tuple[int, ...]]]:
    rows = con.execute(
        f"""
        SELECT d.person, d.day, {", ".join("d." + c for c in COLUMNS)}
        FROM daily d JOIN people p USING (person)
        WHERE p.wstart IS NOT NULL AND d.day BETWEEN p.wstart AND p.wend
        """
    ).fetchall()
    days: dict[int, dict[datetime.date, tuple[int, ...]]] = defaultdict(dict)
    for person, day, *counts in rows:
        days[person][day] = tuple(int(c) for c in counts)
    return days


# --- scoring ---------------------------------------------------------------------------------


def _score(
    person: int,
    anchor: datetime.date,
    start: datetime.date,
    end: datetime.date,
    days: dict[datetime.date, tuple[int, ...]],
    baselines: dict[tuple[str, Any], dict[Indicator, Baseline]],
    settings: Settings,
    department_id: int | None = None,
) -> PersonResult:
    own = baselines.get(("own", person), {})
    own_ok = bool(own) and min(b.days for b in own.values()) >= settings.min_baseline_days
    department = _department_baseline(department_id, baselines, settings)
    points: dict[Indicator, float] = defaultdict(float)
    unusual_days: dict[Indicator, list[datetime.date]] = defaultdict(list)
    zs: dict[tuple[Indicator, datetime.date], float] = {}
    for day, counts in sorted(days.items()):
        for indicator, count in zip(INDICATORS, counts, strict=True):
            if not count:
                continue
            dept = department.get(indicator)
            z = dept.z(count) if dept else float(count)
            if own_ok and indicator in own:
                z = min(z, own[indicator].z(count))
            zs[(indicator, day)] = z
            if z > UNUSUAL_Z:
                points[indicator] += WEIGHTS[indicator] * math.sqrt(z - UNUSUAL_Z)
                unusual_days[indicator].append(day)
    sequence = _sequence(zs, settings)
    total_points = sum(points.values()) + (sequence[0] if sequence else 0.0)
    score = round(100 * (1 - math.exp(-total_points / SCALE_POINTS)))
    summaries = []
    for index, indicator in enumerate(INDICATORS):
        series = [(day, counts[index]) for day, counts in days.items()]
        peak_day, peak = max(series, key=lambda item: (item[1], item[0]), default=(None, 0))
        usual = (own[indicator].median if own_ok and indicator in own else None) or (
            department[indicator].median if indicator in department else 0.0
        )
        summaries.append(
            IndicatorSummary(
                indicator=indicator,
                total=sum(count for _, count in series),
                usual=usual,
                unusual_days=len(unusual_days[indicator]),
                peak=peak,
                peak_day=peak_day if peak else None,
                points=round(points[indicator], 2),
            )
        )
    reasons = _reasons(summaries, unusual_days, anchor, sequence, own if own_ok else {}, department)
    day_points = []
    day = start
    while day <= end:
        counts = days.get(day, (0,) * len(INDICATORS))
        flags = tuple(zs.get((indicator, day), 0.0) > UNUSUAL_Z for indicator in INDICATORS)
        day_points.append(DayPoint(day=day, counts=counts, unusual=flags))
        day += datetime.timedelta(days=1)
    return PersonResult(
        person=person,
        anchor=anchor,
        window_start=start,
        window_end=end,
        score=score,
        reasons=reasons,
        indicators=tuple(summaries),
        days=tuple(day_points),
        own_baseline=own_ok,
    )


def _department_baseline(
    department: int | None, baselines: dict, settings: Settings
) -> dict[Indicator, Baseline]:
    """The department's baseline, or the whole company's when it has too few days."""
    dept = baselines.get(("dept", department), {}) if department is not None else {}
    if dept and min(b.days for b in dept.values()) >= settings.min_baseline_days:
        return dept
    return baselines.get(("all", None), {})


def _sequence(
    zs: dict[tuple[Indicator, datetime.date], float], settings: Settings
) -> tuple[float, datetime.date, Indicator, datetime.date, Indicator] | None:
    """Find collection spikes followed by exfiltration spikes; return the points and the
    first such pair."""
    collected = sorted(
        (day, indicator)
        for (indicator, day), z in zs.items()
        if indicator in COLLECTION and z >= SPIKE_Z
    )
    taken = sorted(
        (day, indicator)
        for (indicator, day), z in zs.items()
        if indicator in EXFILTRATION and z >= SPIKE_Z
    )
    if not collected or not taken:
        return None
    window = datetime.timedelta(days=settings.sequence_days)
    pairs = []
    for out_day, out_indicator in taken:
        for in_day, in_indicator in collected:
            if datetime.timedelta(0) <= out_day - in_day <= window:
                strength = zs[(in_indicator, in_day)] + zs[(out_indicator, out_day)]
                pairs.append((strength, (in_day, in_indicator), (out_day, out_indicator)))
    if not pairs:
        return None
    days_out = {pair[2][0] for pair in pairs}
    _, (c_day, c_ind), (e_day, e_ind) = max(pairs, key=lambda pair: (pair[0], pair[2][0]))
    return min(SEQUENCE_MAX, SEQUENCE_POINTS * len(days_out)), c_day, c_ind, e_day, e_ind


# --- reasons, in plain words ------------------------------------------------------------------


def _ja_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _en_date(day: datetime.date) -> str:
    return day.strftime("%-d %b %Y")


def _relative(day: datetime.date, anchor: datetime.date) -> tuple[str, str]:
    offset = (day - anchor).days
    count = abs(offset)
    days_en = f"{count} day{'s' if count != 1 else ''}"
    if offset < 0:
        return f"退職申出の{count}日前", f"{days_en} before the notice"
    if offset == 0:
        return "退職申出の当日", "the day of the notice"
    return f"退職申出の{count}日後", f"{days_en} after the notice"


def _span(days: list[datetime.date], anchor: datetime.date) -> tuple[str, str]:
    first_ja, first_en = _relative(days[0], anchor)
    if len(days) == 1:
        return first_ja, first_en
    last_ja, last_en = _relative(days[-1], anchor)
    last_ja = last_ja.removeprefix("退職申出の")
    last_en = last_en.removesuffix(" the notice") if first_en.endswith("notice") else last_en
    return f"{first_ja}から{last_ja}まで", f"from {first_en} to {last_en}"


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _reasons(
    summaries: list[IndicatorSummary],
    unusual_days: dict[Indicator, list[datetime.date]],
    anchor: datetime.date,
    sequence: tuple | None,
    own: dict[Indicator, Baseline],
    department: dict[Indicator, Baseline],
) -> tuple[Reason, ...]:
    reasons = []
    for summary in summaries:
        indicator = summary.indicator
        if summary.points < MIN_REASON_POINTS or not unusual_days[indicator]:
            continue
        days = unusual_days[indicator]
        span_ja, span_en = _span(days, anchor)
        usual_ja, usual_en = [], []
        if indicator in own:
            usual_ja.append(f"本人は通常1日{_number(own[indicator].median)}件")
            usual_en.append(f"{_number(own[indicator].median)} a day for this person")
        if indicator in department:
            usual_ja.append(f"部署では通常1日{_number(department[indicator].median)}件")
            usual_en.append(f"{_number(department[indicator].median)} for the department")
        peak_day = summary.peak_day or days[0]
        ja = (
            f"{indicator.ja}：{span_ja}に、通常より多い日が{len(days)}日ありました。"
            f"期間中の合計は{summary.total}件（{'、'.join(usual_ja)}）で、"
            f"最も多かったのは{_ja_date(peak_day)}の{summary.peak}件です。"
        )
        en = (
            f"{indicator.en}: more than usual on {len(days)} day(s), {span_en}; "
            f"{summary.total} in the window (usually {', '.join(usual_en)}). "
            f"The most was {summary.peak} on {_en_date(peak_day)}."
        )
        reasons.append(Reason(code=indicator.value, points=summary.points, ja=ja, en=en))
    if sequence:
        points, c_day, c_ind, e_day, e_ind = sequence
        gap = (e_day - c_day).days
        when_ja = "同じ日に" if gap == 0 else f"その{gap}日後の{_ja_date(e_day)}に"
        when_en = "the same day" if gap == 0 else f"{gap} day(s) later, on {_en_date(e_day)}"
        reasons.append(
            Reason(
                code="sequence",
                points=points,
                ja=(
                    f"収集のあとに持ち出し：{_ja_date(c_day)}に{c_ind.ja}が急増し、"
                    f"{when_ja}{e_ind.ja}が急増しました。"
                ),
                en=(
                    f"Collection, then taking out: {c_ind.en.lower()} surged on "
                    f"{_en_date(c_day)}, and {e_ind.en.lower()} surged {when_en}."
                ),
            )
        )
    reasons.sort(key=lambda r: -r.points)
    return tuple(reasons)


# --- top events ------------------------------------------------------------------------------


def _with_top_events(con, results: list[PersonResult]) -> list[PersonResult]:
    """Attach to each result the events of its most unusual days, exfiltration first."""
    day_rows = []
    for result in results:
        for point in result.days:
            if any(point.unusual):
                day_rows.append((result.person, point.day, sum(point.unusual)))
    if not day_rows:
        return results
    con.execute(
        "CREATE OR REPLACE TEMP TABLE hot_days AS SELECT unnest(?::INTEGER[]) AS person, "
        "unnest(?::DATE[]) AS day, unnest(?::INTEGER[]) AS weight",
        [[r[0] for r in day_rows], [r[1] for r in day_rows], [r[2] for r in day_rows]],
    )
    # Up to a few events of each class, so that one night of copying does not hide the
    # rest: exfiltration, ungranted access, printing, 極秘 access, downloads.
    rows = con.execute(
        f"""
        WITH hot AS (
            SELECT h.person, e.ts, e.kind, e.action, e.object, e.size, e.device, e.host,
                   h.weight
            FROM events e JOIN acct a USING (account)
            JOIN hot_days h ON h.person = a.person AND h.day = e.ts::DATE
        ), classified AS (
            SELECT hot.*, m.asset,
                   m.asset IS NOT NULL AND g.person IS NULL AS no_grant,
                   CASE WHEN hot.kind IN (3, 4, 6) THEN 0
                        WHEN m.asset IS NOT NULL AND g.person IS NULL THEN 1
                        WHEN hot.kind = 5 THEN 2 WHEN s.rank = 1 THEN 3
                        WHEN hot.kind = 2 THEN 4 ELSE 5 END AS class
            FROM hot
            LEFT JOIN objmap m ON m.object = hot.object
            LEFT JOIN assets s ON s.asset = m.asset
            LEFT JOIN grants g ON g.person = hot.person AND g.asset = m.asset
                 AND hot.ts::DATE BETWEEN g.gfrom AND g.gto
        )
        SELECT person, ts, kind, action, object, asset, no_grant, size, device, host
        FROM classified
        WHERE class < 5
        QUALIFY row_number() OVER (PARTITION BY person, class ORDER BY weight DESC, ts)
                <= {TOP_EVENTS_PER_CLASS}
        """
    ).fetchall()
    events: dict[int, list[TopEvent]] = defaultdict(list)
    for person, ts, kind, action, object_, asset, no_grant, size, device, host in rows:
        events[person].append(
            TopEvent(
                time=ts,
                kind=Kind(kind),
                action=action or "",
                object=object_ or "",
                asset=asset,
                no_grant=bool(no_grant),
                size=size,
                device=device or "",
                host=host or "",
            )
        )
    return [
        _replace(result, top_events=tuple(sorted(events.get(result.person, []), key=_event_key)))
        for result in results
    ]


def _event_key(event: TopEvent) -> tuple:
    return (event.time,)


def _replace(result: PersonResult, **changes: Any) -> PersonResult:
    from dataclasses import replace

    return replace(result, **changes)
