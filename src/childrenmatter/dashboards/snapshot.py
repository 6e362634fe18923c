"""The snapshot the dashboards read: every authority's 24-month comparison, taken at a time.

The pages never compute figures while someone waits: ``take_snapshot`` (run by
``childrenmatter refresh``, on a schedule with ``--every``, or by the "Refresh now" button)
works out each authority's comparison with England and its neighbours for the last 24
months of its data, and writes it with the time it was taken into a folder of its own:

    snapshot.json       when it was taken, from where, each authority's name and months
    comparison.parquet  insight.compare.comparison's rows, with la_code, for every authority
    charts.parquet      the trend charts (SVG) drawn ahead for the authorities asked for
    dataset/            the extracted dataset, when the source is the store

The folder is written beside its replacement and swapped in whole
(``dataset.io.replace_folder``), so a page reads the old snapshot or the new one, never half
of one. Where the figures come from is ``CHILDRENMATTER_DASHBOARD_SOURCE``: ``dataset``
(the default until the store holds casework: issue 4) reads the configured dataset folder
(``CHILDRENMATTER_DATASET``); ``store`` extracts the operational store first
(``store.extract.extract_dataset``).
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from childrenmatter.dataset.io import DatasetError, read_dataset, replace_folder
from childrenmatter.errors import UserError

SOURCES = ("dataset", "store")
SOURCE_VARIABLE = "CHILDRENMATTER_DASHBOARD_SOURCE"
MONTHS_SHOWN = 24  # councillors asked for "the trend over the past 2 years" (issue 6)
SNAPSHOT_FILE = "snapshot.json"
COMPARISON_FILE = "comparison.parquet"
CHARTS_FILE = "charts.parquet"
DATASET_FOLDER = "dataset"


@dataclass(frozen=True)
class Snapshot:
    folder: Path
    taken_at: datetime  # aware, UTC
    source: str
    dataset_folder: Path  # where the figures were computed from (for the children behind)
    authorities: dict[str, dict]  # la_code -> {"name": ..., "months": ["YYYY-MM", ...]}
    comparison: pl.DataFrame
    problems: str | None = None  # what the dataset's checks found, if they failed
    charts: dict[tuple[str, str], str] | None = None  # (la_code, indicator) -> SVG drawn ahead

    def chart(self, la_code: str, indicator: str) -> str | None:
        return (self.charts or {}).get((la_code, indicator))

    def months(self, la_code: str) -> list[str]:
        return self.authorities.get(la_code, {}).get("months", [])

    def latest_month(self, la_code: str) -> str | None:
        months = self.months(la_code)
        return months[-1] if months else None

    def rows(self, la_code: str, indicator: str) -> pl.DataFrame:
        """One authority's rows for one indicator, oldest month first."""
        return self.comparison.filter(
            (pl.col("la_code") == la_code) & (pl.col("indicator") == indicator)
        ).sort("period")


# --- Where -----------------------------------------------------------------------------


def dashboard_source(value: str | None = None) -> str:
    source = value or os.environ.get(SOURCE_VARIABLE) or "dataset"
    if source not in SOURCES:
        raise UserError(f"{SOURCE_VARIABLE}={source!r}: expected one of {', '.join(SOURCES)}")
    return source


def snapshot_folder_for(dataset_folder: Path) -> Path:
    """The default place of the snapshot: beside the dataset folder, named after it."""
    dataset_folder = Path(dataset_folder).resolve()
    return dataset_folder.with_name(f"{dataset_folder.name}-dashboards")


# --- Taking a snapshot -------------------------------------------------------------------


def months_to_show(period_start: date | None, period_end: date | None) -> list[str]:
    """The last 24 whole months the data covers, as YYYY-MM, oldest first.

    A month counts only when the data runs to its last day and starts on or before its
    first, so no month's figure is made from part of it.
    """
    if period_end is None:
        return []
    last_year, last_month = period_end.year, period_end.month
    if _month_after(period_end.year, period_end.month) != _next_day(period_end):
        last_year, last_month = _month_before(last_year, last_month)
    months: list[tuple[int, int]] = []
    year, month = last_year, last_month
    while len(months) < MONTHS_SHOWN:
        if period_start is not None and date(year, month, 1) < period_start:
            break
        months.append((year, month))
        year, month = _month_before(year, month)
    return [f"{y:04d}-{m:02d}" for y, m in reversed(months)]


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _month_after(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def _next_day(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def read_tables(folder: Path) -> tuple[dict[str, pl.DataFrame], str | None]:
    """Every table of the dataset, checked; unchecked with the problems if the checks fail.

    As on the home page: figures from a dataset that breaks a rule somewhere are still worth
    seeing, under a warning. A folder that cannot be read at all is a ``UserError``.
    """
    try:
        return read_dataset(folder), None
    except DatasetError as error:
        try:
            return read_dataset(folder, validate=False), str(error)
        except DatasetError as unreadable:
            raise UserError(f"dataset {folder}: {unreadable}") from None


def compute_comparison(tables: dict[str, pl.DataFrame], published: pl.DataFrame | None = None,
                       ) -> tuple[pl.DataFrame, dict[str, dict]]:
    """Each authority's 24-month comparison, stacked, and each authority's name and months.

    Authorities whose data covers the same months (every one, in a simulated England) are
    computed together: ``comparisons_by_authority`` counts each indicator once for them all.
    ``published``: figures from a CSV (``insight.compare.read_published``) for England and
    neighbours the dataset does not hold, as for a single authority's own dataset.
    """
    from childrenmatter.insight.compare import comparisons_by_authority

    authorities: dict[str, dict] = {}
    by_months: dict[tuple[str, ...], list[str]] = {}
    for row in tables["authorities"].sort("la_code").iter_rows(named=True):
        months = months_to_show(row.get("period_start"), row.get("period_end"))
        authorities[row["la_code"]] = {"name": row["la_name"], "months": months}
        if months:
            by_months.setdefault(tuple(months), []).append(row["la_code"])
    frames = [comparisons_by_authority(tables, list(months), authorities=codes,
                                       published=published)
              for months, codes in by_months.items()]
    stacked = pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame(
        schema={"la_code": pl.String, "period": pl.String, "indicator": pl.String})
    return stacked, authorities


def take_snapshot(target: Path, *, source: str = "dataset", dataset_folder: Path | None = None,
                  now: datetime | None = None, compute=None,
                  draw_for: list[str] | None = None) -> Snapshot:
    """Compute the dashboards' figures and swap them in at ``target``, whole or not at all.

    ``compute(tables) -> (rows, authorities)`` is ``compute_comparison`` unless given.
    ``draw_for``: LA codes whose charts are drawn now (about a fifth of a second each), so
    their pages open without drawing any; other authorities' charts are drawn when first
    shown.
    Two refreshes at once take turns (a lock file beside the snapshot), so the second does
    not throw away the first one's work half-way.
    """
    target = Path(target).resolve()
    source = dashboard_source(source)
    compute = compute or (lambda tables: compute_comparison(tables))
    if source == "dataset" and dataset_folder is None:
        raise UserError("no dataset folder to take the dashboards' figures from")
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)

        def fill(staging: Path) -> None:
            if source == "store":
                from childrenmatter.store.extract import extract_dataset

                extract_dataset(staging / DATASET_FOLDER)
                read_from = target / DATASET_FOLDER  # where it will be once swapped in
                tables, problems = read_tables(staging / DATASET_FOLDER)
            else:
                read_from = Path(dataset_folder).resolve()
                tables, problems = read_tables(read_from)
            rows, authorities = compute(tables)
            write_snapshot(staging, rows, authorities, source=source, dataset_folder=read_from,
                           taken_at=now or datetime.now(UTC), problems=problems)
            if draw_for:
                from childrenmatter.dashboards.drawing import draw_ahead

                draw_ahead(rows, list(draw_for)).write_parquet(staging / CHARTS_FILE)

        replace_folder(target, fill)
    return load_snapshot(target)


def write_snapshot(folder: Path, rows: pl.DataFrame, authorities: dict[str, dict], *,
                   source: str, dataset_folder: Path, taken_at: datetime,
                   problems: str | None = None) -> None:
    """Write a snapshot's files into ``folder`` (a staging folder: see ``take_snapshot``)."""
    rows.write_parquet(folder / COMPARISON_FILE)
    (folder / SNAPSHOT_FILE).write_text(json.dumps({
        "taken_at": taken_at.astimezone(UTC).isoformat(),
        "source": source,
        "dataset": str(dataset_folder),
        "authorities": authorities,
        "problems": problems,
    }, indent=2), encoding="utf-8")


# --- Reading it --------------------------------------------------------------------------

_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, int], Snapshot]] = {}


def load_snapshot(folder: Path) -> Snapshot | None:
    """The snapshot at ``folder``, or None if none has been taken; read once per version."""
    folder = Path(folder).resolve()
    try:
        stat = folder.stat()
    except FileNotFoundError:
        return None
    version = (stat.st_mtime_ns, stat.st_ino)
    with _lock:
        cached = _cache.get(folder)
        if cached and cached[0] == version:
            return cached[1]
        about_file = folder / SNAPSHOT_FILE
        if not about_file.is_file():
            return None
        about = json.loads(about_file.read_text(encoding="utf-8"))
        snapshot = Snapshot(
            folder=folder,
            taken_at=datetime.fromisoformat(about["taken_at"]),
            source=about["source"],
            dataset_folder=Path(about["dataset"]),
            authorities=about["authorities"],
            comparison=pl.read_parquet(folder / COMPARISON_FILE),
            problems=about.get("problems"),
            charts=_read_charts(folder / CHARTS_FILE),
        )
        _cache[folder] = (version, snapshot)
        return snapshot


def _read_charts(file: Path) -> dict[tuple[str, str], str] | None:
    if not file.is_file():
        return None
    return {(row[0], row[1]): row[2]
            for row in pl.read_parquet(file).select("la_code", "indicator", "svg").iter_rows()}


_tables_lock = threading.Lock()
_tables_cache: dict[tuple[Path, str], tuple[tuple[int, int], dict[str, pl.DataFrame]]] = {}


def snapshot_tables(snapshot: Snapshot, la_code: str) -> dict[str, pl.DataFrame]:
    """One authority's records in the dataset the snapshot was taken from, for listing the
    children behind a count. Only that authority's rows are read: a web process does not
    hold a whole country's records to list one authority's children."""
    from childrenmatter.dataset.schema import TABLES

    folder = snapshot.dataset_folder
    stat = folder.stat()
    version = (stat.st_mtime_ns, stat.st_ino)
    with _tables_lock:
        cached = _tables_cache.get((folder, la_code))
        if cached and cached[0] == version:
            return cached[1]
        tables = {}
        for name in TABLES:
            file = folder / f"{name}.parquet"
            if not file.is_file():
                continue
            frame = pl.scan_parquet(file)
            if "la_code" in frame.collect_schema().names():
                frame = frame.filter(pl.col("la_code") == la_code)
            tables[name] = frame.collect()
        if len(_tables_cache) > 8:
            _tables_cache.clear()
        _tables_cache[(folder, la_code)] = (version, tables)
        return tables
