"""The child-level dataset as the pages see it: loaded once per process, reloaded when it changes.

A dataset folder is replaced whole when it is regenerated (``write_dataset`` swaps the
folder), so the folder's modification time and inode say whether our copy is current.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from childrenmatter.dataset.io import DatasetError, read_dataset
from childrenmatter.insight.stock import STOCK_TABLES


class DatasetMissing(Exception):
    """There is no dataset folder where the settings say."""


@dataclass(frozen=True)
class Dataset:
    folder: Path
    tables: dict[str, pl.DataFrame]
    produced_at: datetime  # when the files were written
    problems: str | None = None  # what validation found, if the tables were read without it

    def authority(self, la_code: str) -> dict | None:
        rows = self.tables["authorities"].filter(pl.col("la_code") == la_code)
        return rows.row(0, named=True) if rows.height else None

    def date_range(self, la_code: str) -> tuple[date | None, date]:
        """The first and last day the authority's records cover.

        As the dataset states them; where it gives no last day, the latest date in the
        authority's records stands in for it.
        """
        row = self.authority(la_code) or {}
        return row.get("period_start"), row.get("period_end") or self._latest_date(la_code)

    def _latest_date(self, la_code: str) -> date:
        found = []
        for frame in self.tables.values():
            mine = frame.filter(pl.col("la_code") == la_code)
            for name, dtype in mine.schema.items():
                if dtype == pl.Date and mine[name].null_count() < mine.height:
                    found.append(mine[name].max())
        return max(found, default=date.today())


_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, int], Dataset]] = {}


def load_dataset(folder: Path) -> Dataset:
    folder = Path(folder).resolve()
    try:
        stat = folder.stat()
    except FileNotFoundError:
        raise DatasetMissing(str(folder)) from None
    version = (stat.st_mtime_ns, stat.st_ino)
    with _lock:
        cached = _cache.get(folder)
        if cached and cached[0] == version:
            return cached[1]
        tables, problems = _read(folder)
        newest = max((f.stat().st_mtime for f in folder.glob("*.parquet")), default=stat.st_mtime)
        dataset = Dataset(folder, tables, datetime.fromtimestamp(newest, tz=UTC), problems)
        _cache[folder] = (version, dataset)
        return dataset


def _read(folder: Path) -> tuple[dict[str, pl.DataFrame], str | None]:
    """The tables, checked; or, if the checks fail, unchecked with what the checks found.

    A dataset that breaks a rule somewhere (a code used a year early, say) still gives
    figures worth seeing, so the page shows them under a warning rather than nothing.
    A folder whose files cannot be read at all raises ``DatasetError``.
    """
    try:
        return read_dataset(folder, tables=list(STOCK_TABLES)), None
    except DatasetError as error:
        return read_dataset(folder, tables=list(STOCK_TABLES), validate=False), str(error)
