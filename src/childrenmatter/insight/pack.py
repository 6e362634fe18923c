"""The councillors' monthly briefing pack: what goes in it (docs/pack.md).

``build_pack(tables, *, authority, month, commentary, fmt, ...) -> bytes`` makes the pack as
PDF, XLSX or one self-contained HTML file, so the command line and the web app give the
same document. This module works out the content — the 24 months, each area's figures
beside England's, the neighbours' and the target, which areas the dataset cannot fill, the
commentary — and ``pack_render`` lays it out.

A dataset read from another system's returns holds only what the returns carry: the 903
has no contacts, child protection or workforce records (its social workers are a
placeholder team), the CIN census no contacts, early help or children in care. An area
with nothing to count says so; it never shows zeros that were not counted.

Plain Python and Polars: no Django import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from childrenmatter.errors import UserError
from childrenmatter.insight.areas import AREA_BY_KEY, AREAS, Area
from childrenmatter.insight.figures import INDICATOR_TABLES
from childrenmatter.insight.targets import Target

FORMATS = ("pdf", "xlsx", "html")
MONTHS_SHOWN = 24  # councillors asked for "the trend over the past 2 years" (issue 6)
_MONTH = re.compile(r"\d{4}-\d{2}")


# The tables the pack reads: the indicators', and teams, to tell a real workforce from
# the 903's placeholder team (missing_tables).
PACK_TABLES: tuple[str, ...] = tuple(sorted({*INDICATOR_TABLES, "teams"}))

# How each unit's figure is labelled beside the number (chart axis, tables).
UNIT_LABELS = {
    "count": "count",
    "rate_per_10k": "per 10,000 children",
    "percent": "%",
    "days": "working days (median)",
    "hours": "hours (median)",
    "average": "average",
}
RAG_WORDS = {"green": "Green: on target", "amber": "Amber: near target",
             "red": "Red: off target"}


@dataclass(frozen=True)
class Figure:
    """One indicator in the pack's month, with its 24-month series."""

    name: str
    title: str
    unit: str
    available: bool  # False: the dataset holds none of the records it counts
    value: float | None
    count: int | None
    numerator: int | None
    denominator: int | None
    england: float | None
    neighbours: float | None
    target: float | None
    rag: str | None
    series: pl.DataFrame  # the comparison rows of the 24 months, oldest first

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS.get(self.unit, self.unit)

    @property
    def rag_words(self) -> str:
        if not self.available:
            return "Not in this dataset"
        return RAG_WORDS.get(self.rag or "", "No target")


@dataclass(frozen=True)
class AreaPage:
    area: Area
    figures: tuple[Figure, ...]
    commentary: str  # Markdown-lite text; "" when none was given
    missing_reason: str  # why the dataset cannot fill the area; "" when it can

    @property
    def available(self) -> bool:
        """Whether any of the area's figures can be given."""
        return any(figure.available for figure in self.figures)

    @property
    def headline(self) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.name in self.area.headline)


@dataclass(frozen=True)
class Pack:
    authority: str
    authority_name: str
    month: str  # YYYY-MM
    months: tuple[str, ...]  # the months of the trends, oldest first
    pages: tuple[AreaPage, ...]
    has_england: bool
    has_neighbours: bool
    notes: tuple[str, ...] = field(default=())

    @property
    def month_title(self) -> str:
        return f"{date.fromisoformat(self.month + '-01'):%B %Y}"


# --- Commentary ------------------------------------------------------------------------


def read_commentary(path: str | Path) -> dict[str, str]:
    """The commentary for each area from a YAML file (``area_key: text``) or a Markdown
    file (a heading ``## area_key`` or ``## Area title`` before each area's text)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise UserError(f"commentary file {file}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise UserError(f"commentary file {file}: not UTF-8 text") from None
    where = f"commentary file {file}"
    if file.suffix.lower() in (".yml", ".yaml"):
        commentary = _commentary_from_yaml(text, where)
    elif file.suffix.lower() in (".md", ".markdown"):
        commentary = _commentary_from_markdown(text, where)
    else:
        raise UserError(f"{where}: expected a .yml or .md file")
    return check_commentary(commentary, where)


def _commentary_from_yaml(text: str, where: str) -> dict[str, str]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise UserError(f"{where}: not valid YAML ({' '.join(str(error).split())})") from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise UserError(f"{where}: expected a mapping of area keys to text, such as "
                        "'front_door: Contacts rose in March...'")
    commentary = {}
    for key, value in data.items():
        if value is None:
            continue
        if not isinstance(value, str):
            raise UserError(f"{where}: {key}: expected text, not {type(value).__name__}")
        commentary[str(key)] = value
    return commentary


_HEADING = re.compile(r"^#{1,3}\s+(.*?)\s*#*\s*$")


def _commentary_from_markdown(text: str, where: str) -> dict[str, str]:
    by_title = {area.title.lower(): area.key for area in AREAS}
    commentary: dict[str, list[str]] = {}
    current: str | None = None
    # Only a line feed ends a line: commentary may hold any other character.
    lines = text.replace("\r\n", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        heading = _HEADING.match(line)
        if heading:
            name = heading.group(1).strip()
            current = by_title.get(name.lower(), name)
            if current in commentary:
                raise UserError(f"{where}, line {number}: a second heading for {current!r}")
            commentary[current] = []
        elif current is None:
            if line.strip():
                raise UserError(f"{where}, line {number}: text before the first area heading "
                                "(start each area's commentary with '## area_key')")
        else:
            commentary[current].append(line)
    return {key: "\n".join(lines).strip() for key, lines in commentary.items()}


def check_commentary(commentary: Mapping[str, str], where: str = "commentary") -> dict[str, str]:
    """The commentary with every key an area's, or a UserError naming the unknown key."""
    for key in commentary:
        if key not in AREA_BY_KEY:
            raise UserError(f"{where}: {key!r} is not an area; the areas are "
                            f"{', '.join(area.key for area in AREAS)}")
    return {key: text.strip() for key, text in commentary.items() if text and text.strip()}


# --- Datasets --------------------------------------------------------------------------


def combine_datasets(datasets: Sequence[Mapping[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """Several datasets of the same authorities as one, such as one read from the 903 and
    one from the CIN census: each table's rows together, a record held by more than one
    (a child in both returns) kept once, from the first dataset that has it."""
    from childrenmatter.dataset.schema import TABLES

    if len(datasets) == 1:
        return dict(datasets[0])
    combined = {}
    for name in datasets[0]:
        frames = [d[name] for d in datasets if name in d and d[name].height]
        if not frames:
            combined[name] = datasets[0][name]
            continue
        frame = pl.concat(frames, how="vertical_relaxed")
        key = list(TABLES[name].key) if TABLES[name].key else None
        if name == "authorities":
            # The same authority from each return: keep what any of them knows. The records
            # are complete only where every dataset's are (a CIN census of one year beside
            # two years of 903): a month outside one of them would show its counts as 0.
            frame = frame.group_by("la_code", maintain_order=True).agg(
                pl.col("la_name").drop_nulls().first(),
                pl.col("region").drop_nulls().first(),
                pl.col("statistical_neighbours").drop_nulls().first(),
                pl.col("period_start").max(),
                pl.col("period_end").min(),
            ).select(frame.columns)
        elif key:
            frame = frame.unique(subset=key, keep="first", maintain_order=True)
        combined[name] = frame
    return combined


def choose_authority(tables: Mapping[str, pl.DataFrame], authority: str | None) -> str:
    codes = tables["authorities"]["la_code"].to_list()
    if authority is None:
        if len(codes) != 1:
            raise UserError(f"the dataset holds {len(codes)} authorities: give --authority "
                            "CODE (one of " + ", ".join(sorted(codes)[:10])
                            + (" ..." if len(codes) > 10 else "") + ")")
        return codes[0]
    if authority not in codes:
        raise UserError(f"--authority {authority}: not in the dataset, which holds "
                        + ", ".join(sorted(codes)[:10]) + (" ..." if len(codes) > 10 else ""))
    return authority


def _month_start(text: str) -> date:
    if not _MONTH.fullmatch(text):
        raise UserError(f"--month {text!r}: expected a month in the form YYYY-MM")
    try:
        return date.fromisoformat(text + "-01")
    except ValueError:
        raise UserError(f"--month {text!r}: expected a month in the form YYYY-MM") from None


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return date.fromordinal(_add_months(first, 1).toordinal() - 1)


def pack_months(tables: Mapping[str, pl.DataFrame], authority: str, month: str) -> list[str]:
    """The months of the trends: the 24 ending with ``month``, from the first whole month
    of the dataset's records. A month the records do not cover to its last day is refused,
    as ``indicators --from/--to`` refuses it (a part month would look like a fall)."""
    last = _month_start(month)
    row = tables["authorities"].filter(pl.col("la_code") == authority).row(0, named=True)
    start, end = row.get("period_start"), row.get("period_end")
    first_whole = None
    if start is not None:
        first_whole = start if start.day == 1 else _add_months(start.replace(day=1), 1)
    last_whole = None
    if end is not None:
        last_whole = end.replace(day=1) if _month_end(end) == end else _add_months(
            end.replace(day=1), -1)
    covered = (f", which cover the whole months {first_whole:%Y-%m} to {last_whole:%Y-%m}"
               if first_whole and last_whole else "")
    if end is not None and _month_end(last) > end:
        raise UserError(f"--month {month}: runs past the dataset's records, which end on "
                        f"{end}{covered}")
    if start is not None and last < start:
        raise UserError(f"--month {month}: before the dataset's records, which start on "
                        f"{start}{covered}")
    first = _add_months(last, -(MONTHS_SHOWN - 1))
    if first_whole is not None and first < first_whole:
        first = first_whole
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [f"{_add_months(first, n):%Y-%m}" for n in range(count)]


# --- What the dataset cannot fill ---------------------------------------------------------


def _has_records(tables: Mapping[str, pl.DataFrame], name: str, authority: str) -> bool:
    frame = tables.get(name)
    if frame is None or frame.height == 0:
        return False
    if "la_code" in frame.columns:
        return frame.filter(pl.col("la_code") == authority).height > 0
    return True


def missing_tables(tables: Mapping[str, pl.DataFrame], authority: str) -> set[str]:
    """Tables with no records for the authority. Workers who are only the 903's placeholder
    team are not a workforce: the 903 names the social workers of children looked after,
    not the service's staff, its agency workers or its newly qualified workers."""
    from childrenmatter.insight.indicators import REGISTRY
    from childrenmatter.returns.read903 import IMPORTED_TEAM

    needed = {"population", *(t for indicator in REGISTRY.values() for t in indicator.tables)}
    missing = {t for t in needed if not _has_records(tables, t, authority)}
    teams = tables.get("teams")
    if teams is not None and teams.height:
        own = teams.filter(pl.col("la_code") == authority)["team_id"].unique().to_list()
        if own == [IMPORTED_TEAM]:
            missing |= {"workers", "allocations"}
    return missing


def _tables_counted(indicator) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """The tables an indicator's figure needs: a rate also needs the population."""
    from childrenmatter.insight.registry import Unit

    if indicator.unit is Unit.RATE:
        return (*indicator.tables, "population")
    return indicator.tables


RECORDS = {"population": "population figures (for rates per 10,000 children)"}


def _missing_reason(area: Area, unavailable: set[str], missing: set[str]) -> str:
    """Why some or all of an area's figures cannot be given; "" when they all can."""
    from childrenmatter.insight.indicators import REGISTRY

    lacking = [name for name in area.indicators if name in unavailable]
    if not lacking:
        return ""
    tables = sorted({t for name in lacking for t in _tables_counted(REGISTRY[name])
                     if t in missing})
    records = " or ".join(RECORDS.get(t, t.replace("_", " ")) for t in tables)
    if len(lacking) == len(area.indicators):
        return (f"This dataset holds no records for {area.title.lower()} (no {records}), so "
                "there are no figures here rather than zeros. A dataset read from the 903 "
                "and CIN census returns does not carry contacts, early help or the workforce.")
    return (f"This dataset holds no {records}: {len(lacking)} of this area's "
            f"{len(area.indicators)} figures cannot be given and are marked "
            "\"Not in this dataset\" rather than shown as zeros.")


# --- The pack's content ----------------------------------------------------------------


def _optional_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _optional_int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def pack_content(
    tables: Mapping[str, pl.DataFrame],
    *,
    authority: str | None,
    month: str,
    commentary: Mapping[str, str] | None = None,
    published: pl.DataFrame | None = None,
    targets: Mapping[str, Target] | None = None,
    neighbours: list[str] | None = None,
) -> Pack:
    """Everything the pack shows, worked out once for every format."""
    from childrenmatter.insight.compare import comparison
    from childrenmatter.insight.indicators import REGISTRY

    commentary = check_commentary(commentary or {})
    authority = choose_authority(tables, authority)
    months = pack_months(tables, authority, month)
    rows = comparison(tables, authority=authority, months=months, neighbours=neighbours,
                      published=published, targets=targets)
    missing = missing_tables(tables, authority)
    unavailable = {name for name, indicator in REGISTRY.items()
                   if any(t in missing for t in _tables_counted(indicator))}
    by_indicator = rows.partition_by("indicator", as_dict=True, maintain_order=True)
    pages = []
    for area in AREAS:
        figures = []
        for name in area.indicators:
            series = by_indicator[(name,)].sort("period")
            latest = series.filter(pl.col("period") == month).row(0, named=True)
            available = name not in unavailable
            figures.append(Figure(
                name=name, title=REGISTRY[name].title, unit=latest["unit"],
                available=available,
                value=_optional_float(latest["value"]) if available else None,
                count=_optional_int(latest["count"]) if available else None,
                numerator=_optional_int(latest["numerator"]) if available else None,
                denominator=_optional_int(latest["denominator"]) if available else None,
                england=_optional_float(latest["england"]),
                neighbours=_optional_float(latest["neighbours"]),
                target=_optional_float(latest["target"]),
                rag=latest["rag"] if available else None,
                series=series if available else series.with_columns(
                    pl.lit(None, pl.Float64).alias("value")),
            ))
        pages.append(AreaPage(area=area, figures=tuple(figures),
                              commentary=commentary.get(area.key, ""),
                              missing_reason=_missing_reason(area, unavailable, missing)))
    name = tables["authorities"].filter(pl.col("la_code") == authority)["la_name"][0]
    notes = []
    if "population" in missing:
        notes.append("The dataset has no population figures, so rates per 10,000 children "
                     "cannot be given.")
    if len(months) < MONTHS_SHOWN:
        notes.append(f"The dataset's records begin in {months[0]}, so the trends show "
                     f"{len(months)} months rather than {MONTHS_SHOWN}.")
    return Pack(
        authority=authority, authority_name=name or authority, month=month,
        months=tuple(months), pages=tuple(pages),
        has_england=rows["england"].is_not_null().any(),
        has_neighbours=rows["neighbours"].is_not_null().any(),
        notes=tuple(notes),
    )


def build_pack(
    tables: Mapping[str, pl.DataFrame],
    *,
    authority: str | None,
    month: str,
    commentary: Mapping[str, str] | None,
    fmt: str,
    published: pl.DataFrame | None = None,
    targets: Mapping[str, Target] | None = None,
    neighbours: list[str] | None = None,
) -> bytes:
    """The pack as the bytes of a PDF, XLSX or HTML file (``fmt``)."""
    from childrenmatter.insight import pack_render

    if fmt not in FORMATS:
        raise UserError(f"pack format {fmt!r}: expected one of {', '.join(FORMATS)}")
    pack = pack_content(tables, authority=authority, month=month, commentary=commentary,
                        published=published, targets=targets, neighbours=neighbours)
    if fmt == "xlsx":
        return pack_render.xlsx(pack)
    if fmt == "html":
        return pack_render.html(pack).encode("utf-8")
    return pack_render.pdf(pack)


def write_pack(path: str | Path, data: bytes) -> Path:
    """Write the pack beside its target and rename it into place: whole or not at all."""
    import os
    import tempfile

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        # mkstemp makes the file private (0600); the pack is read like any other file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
