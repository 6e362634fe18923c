"""An authority's figures beside England's, its statistical neighbours', a target and a RAG.

``comparison(tables, *, authority, months, neighbours=None, published=None, targets=None)``
returns one row per (month, indicator) with the columns of ``COLUMNS``:

- ``period`` (YYYY-MM), ``indicator`` (a registry name), ``unit`` (``Unit`` value);
- ``value``: the headline number in the unit: ``rate_per_10k``, ``percent``, ``days``,
  ``average`` or ``count``;
- ``count``, ``numerator``, ``denominator``: what the value is made of (null where the
  unit has none: a percentage has no ``count``, a count no ``numerator``);
- ``england``: every authority of the dataset counted together (numerators, denominators
  and populations added, medians over all the records), when the dataset holds more than
  one authority; a figure for (period, indicator, ``england``) in ``published`` takes its
  place;
- ``neighbours``: the authority's ``statistical_neighbours`` (authorities table), or the
  ``neighbours`` given, counted together the same way when every one of them is in the
  dataset; otherwise the mean of their published figures for that period (the DfE's
  "statistical neighbour average" is a mean of the neighbours' figures); null when
  neither is there;
- ``target`` and ``rag``: from ``insight.targets`` (defaults, or ``targets`` given).

A dataset of one authority with no published CSV gives null ``england`` and
``neighbours``, not an error.

Published figures (``read_published``): a CSV with a header ``period,indicator,area,value``;
``period`` YYYY-MM, ``indicator`` a registry name, ``area`` ``england`` or an LA code,
``value`` in the indicator's headline unit (a percentage as 22.6, not 0.226). Example:
``docs/examples/published-figures.csv``.

``comparisons_by_authority(tables, months, ...)`` gives the same rows for every authority
of the dataset at once (column ``la_code`` first), computing each indicator once: every
authority's counts are worked out together and England's and each authority's
neighbours' figures are added up from them, so the comparisons cost little more than the
figures. No Django import.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

import polars as pl

from childrenmatter.errors import UserError
from childrenmatter.insight.registry import (
    EvaluationTables,
    Indicator,
    Tables,
    Unit,
    compute_rows,
    month_periods,
    populations,
)
from childrenmatter.insight.targets import DEFAULT_TARGETS, Target, load_targets

COLUMNS = ("period", "indicator", "unit", "value", "count", "numerator", "denominator",
           "england", "neighbours", "target", "rag")

PUBLISHED_COLUMNS = ("period", "indicator", "area", "value")
ENGLAND = "england"

# The column whose median a Unit.DAYS (or HOURS) indicator reports: counting by authority and by
# that value gives each authority's distribution, from which the median of any group of
# authorities is exact (a median cannot be added up like a count).
DAYS_VALUES: dict[str, str] = {
    "assessment_median_working_days": "working_days",
    "contact_median_hours_to_decision": "hours_to_decision",
}

# Units whose figure is a median.
MEDIANS = (Unit.DAYS, Unit.HOURS)

_MONTH = re.compile(r"\d{4}-\d{2}")
_FLOAT = pl.Float64


def periods_of(months: Iterable[str]) -> pl.DataFrame:
    """Periods (label, window_start, window_end) of the months given as YYYY-MM."""
    labels = sorted(set(months))
    if not labels:
        raise UserError("no months asked for")
    frames = []
    for label in labels:
        if not _MONTH.fullmatch(label):
            raise UserError(f"{label!r} is not a month in the form YYYY-MM")
        first = date.fromisoformat(f"{label}-01")
        frames.append(month_periods(first, first))
    return pl.concat(frames)


# --- Rounding as figure() does, on whole columns ---------------------------------------


def _half_up_tenths(numerator: pl.Expr, denominator: pl.Expr, scale: int) -> pl.Expr:
    """numerator × scale ÷ denominator, rounded half-up to one decimal, in integers so the
    result is exactly ``registry.figure``'s (which uses Decimal)."""
    top = numerator.cast(pl.Int64) * (scale * 10)
    bottom = denominator.cast(pl.Int64)
    quotient = top // bottom
    remainder = top - quotient * bottom
    rounded = quotient + (remainder * 2 >= bottom).cast(pl.Int64)
    # round(1): the float nearest the tenths, as Python's float(Decimal) gives.
    return pl.when(bottom > 0).then((rounded / 10).round(1)).otherwise(None)


def _value(unit: pl.Expr) -> pl.Expr:
    count, numerator, denominator = pl.col("count"), pl.col("numerator"), pl.col("denominator")
    return (
        pl.when(unit == Unit.COUNT.value).then(count.cast(_FLOAT))
        .when(unit == Unit.RATE.value).then(_half_up_tenths(count, pl.col("population"),
                                                            10_000))
        .when(unit == Unit.PERCENT.value).then(_half_up_tenths(numerator, denominator, 100))
        .when(unit == Unit.AVERAGE.value).then(_half_up_tenths(numerator, denominator, 1))
        # Unit.DAYS and Unit.HOURS: a median (in the "days" column here, whichever unit),
        # half-up; the tiny addition undoes binary fractions such as 1.15 = 1.1499999...
        .otherwise(((pl.col("days") * 10 + 0.5 + 1e-9).floor() / 10).round(1))
    )


# --- Rows per authority -------------------------------------------------------------------


def _long(indicator: Indicator, rows: pl.DataFrame) -> pl.DataFrame:
    """An indicator's rows in one shape: la_code, period, indicator, count, numerator,
    denominator, days."""
    present = set(rows.columns)
    return rows.select(
        pl.col("area").alias("la_code"), "period",
        pl.lit(indicator.name).alias("indicator"),
        *(pl.col(c).cast(_FLOAT) if c in present else pl.lit(None, _FLOAT).alias(c)
          for c in ("count", "numerator", "denominator", "days")),
    )


def authority_rows(
    indicators: Iterable[Indicator], tables: Tables, periods: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows, distributions): every indicator's figures' parts for each authority and
    period, and for the Unit.DAYS indicators the count of records at each value
    (la_code, period, indicator, value, count)."""
    indicators = list(indicators)
    # One memo for every call below, so work the indicators share (a period's contacts,
    # its authorised assessments) is done once, not again for each median.
    tables = tables if isinstance(tables, EvaluationTables) else EvaluationTables(tables)
    days = [i for i in indicators if i.unit in MEDIANS]
    others = [i for i in indicators if i.unit not in MEDIANS]
    frames = [_long(i, rows) for i, rows in compute_rows(others, tables, periods).items()]
    distributions = []
    for indicator in days:
        column = DAYS_VALUES[indicator.name]
        by_value = pl.struct(pl.col("la_code"), pl.col(column).alias("_value"))
        rows = compute_rows([indicator], tables, periods, area=by_value)[indicator]
        distributions.append(rows.filter(pl.col(indicator.unit.value).is_not_null()).select(
            pl.col("area").struct.field("la_code"), "period",
            pl.lit(indicator.name).alias("indicator"),
            pl.col("area").struct.field("_value").cast(_FLOAT).alias("value"),
            pl.col("count").cast(_FLOAT)))
    schema = {"la_code": pl.String, "period": pl.String, "indicator": pl.String,
              "value": _FLOAT, "count": _FLOAT}
    distribution = (pl.concat(distributions) if distributions
                    else pl.DataFrame(schema=schema))
    return pl.concat([*frames, _medians(distribution, ["la_code"])], how="diagonal_relaxed"
                     ) if frames or distributions else pl.DataFrame(), distribution


def _medians(distribution: pl.DataFrame, group: list[str]) -> pl.DataFrame:
    """The median and the count of the records of each group, from their distribution
    (value, count): the middle value(s) found by running counts, not by writing out a
    row per record, which for many groups of many records takes gigabytes. Text keys are
    numbered first: sorting and running sums over millions of rows go several times
    faster by number than by text."""
    keys = [*group, "period", "indicator"]
    if distribution.height == 0:
        return pl.DataFrame(schema={**{c: pl.String for c in group}, "period": pl.String,
                                    "indicator": pl.String, "count": _FLOAT, "days": _FLOAT})
    numbered, labels = _numbered(distribution, keys)
    counted = (numbered.group_by(*keys, "value").agg(pl.col("count").sum())
               .sort(*keys, "value")
               .with_columns(pl.col("count").cum_sum().over(keys).alias("_so_far"),
                             pl.col("count").sum().over(keys).alias("_total")))
    # The records at positions floor((n+1)/2) and floor(n/2)+1 (1-based) are the middle
    # ones: the same record when n is odd.
    low = (pl.col("_total") + 1).floordiv(2)
    high = pl.col("_total").floordiv(2) + 1
    medians = counted.group_by(*keys).agg(
        pl.col("_total").first().alias("count"),
        ((pl.col("value").filter(pl.col("_so_far") >= low).min()
          + pl.col("value").filter(pl.col("_so_far") >= high).min()) / 2).alias("days"))
    return _labelled(medians, labels)


def _numbered(frame: pl.DataFrame, columns: list[str]) -> tuple[pl.DataFrame, dict[str, pl.Series]]:
    """``frame`` with each text column of ``columns`` as numbers, and the text of each
    number (``_labelled`` turns them back)."""
    labels: dict[str, pl.Series] = {}
    out = []
    for column in frame.columns:
        if column in columns and frame.schema[column] == pl.String:
            values = frame[column].unique().sort()
            labels[column] = values
            out.append(pl.col(column).replace_strict(
                values, pl.Series(range(values.len()), dtype=pl.UInt32)).alias(column))
        else:
            out.append(pl.col(column))
    return frame.select(out), labels


def _labelled(frame: pl.DataFrame, labels: Mapping[str, pl.Series]) -> pl.DataFrame:
    return frame.with_columns(pl.lit(values).gather(pl.col(column)).alias(column)
                              for column, values in labels.items())


def _neighbour_medians(members: pl.DataFrame, distribution: pl.DataFrame) -> pl.DataFrame:
    """The medians of each authority's neighbours' records together: each member's
    distribution added into every group it is in, one indicator at a time, with the
    authorities and months as numbers (the groups make tens of millions of rows)."""
    if distribution.height == 0 or members.height == 0:
        return _medians(distribution.clear(), ["la_code"])
    codes = pl.concat([members["la_code"], members["member"], distribution["la_code"]]
                      ).unique().sort()
    number = pl.Series(range(codes.len()), dtype=pl.UInt32)
    numbered = members.select(pl.col("la_code", "member").replace_strict(codes, number))
    periods = distribution["period"].unique().sort()
    frames = []
    for part in distribution.partition_by("indicator"):
        rows = part.select(
            pl.col("la_code").replace_strict(codes, number).alias("member"),
            pl.col("period").replace_strict(
                periods, pl.Series(range(periods.len()), dtype=pl.UInt32)),
            pl.lit(0, pl.UInt8).alias("indicator"), "value", "count")
        grouped = numbered.join(rows, on="member").drop("member")
        medians = _labelled(_medians(grouped, ["la_code"]), {"la_code": codes,
                                                            "period": periods})
        frames.append(medians.with_columns(pl.lit(part["indicator"][0]).alias("indicator")))
    return pl.concat(frames).select("la_code", "period", "indicator", "count", "days")


def _sum_parts(frame: pl.DataFrame, group: list[str]) -> pl.DataFrame:
    return frame.group_by(*group, "period", "indicator").agg(
        pl.col("count", "numerator", "denominator").sum(),
        pl.col("population").sum())


# --- Putting it together ------------------------------------------------------------------


def _grid(indicators: list[Indicator], codes: list[str], labels: list[str]) -> pl.DataFrame:
    # Typed, so that an empty list of codes (no complete neighbours) still joins.
    return (pl.DataFrame({"la_code": codes}, schema={"la_code": pl.String})
            .join(pl.DataFrame({"period": labels}), how="cross")
            .join(pl.DataFrame({"indicator": [i.name for i in indicators],
                                "unit": [i.unit.value for i in indicators]}), how="cross"))


def _figures(grid: pl.DataFrame, parts: pl.DataFrame, group: list[str]) -> pl.DataFrame:
    """Value, count, numerator and denominator for each row of the grid (nothing
    counted is 0, a median of nothing null)."""
    full = grid.join(parts, on=[*group, "period", "indicator"], how="left")
    unit = pl.col("unit")
    has = {
        "count": unit.is_in([Unit.COUNT.value, Unit.RATE.value, Unit.DAYS.value,
                             Unit.HOURS.value]),
        "numerator": unit.is_in([Unit.PERCENT.value, Unit.AVERAGE.value]),
    }
    full = full.with_columns(
        pl.when(has["count"]).then(pl.col("count").fill_null(0)).alias("count"),
        pl.when(has["numerator"]).then(pl.col("numerator").fill_null(0)).alias("numerator"),
        pl.when(has["numerator"]).then(pl.col("denominator").fill_null(0)).alias(
            "denominator"),
    )
    return full.with_columns(_value(unit).alias("value"))


def _neighbour_lists(tables: Tables, given: Mapping[str, list[str]] | None) -> pl.DataFrame:
    """(la_code, member): each authority's neighbours."""
    authorities = tables["authorities"]
    if given is not None:
        pairs = [(code, member) for code, members in given.items() for member in members]
    elif "statistical_neighbours" in authorities.columns:
        pairs = [(code, member) for code, members in authorities.select(
            "la_code", "statistical_neighbours").iter_rows() for member in (members or [])]
    else:
        pairs = []
    return pl.DataFrame(pairs, schema={"la_code": pl.String, "member": pl.String},
                        orient="row").unique()


def _published_lookup(published: pl.DataFrame | None) -> pl.DataFrame:
    schema = {"period": pl.String, "indicator": pl.String, "area": pl.String,
              "value": _FLOAT}
    if published is None:
        return pl.DataFrame(schema=schema)
    return published.select(pl.col(c).cast(t) for c, t in schema.items())


def _targets_frame(targets: Mapping[str, Target]) -> pl.DataFrame:
    rows = [(t.indicator, t.target, t.direction, t.amber_margin) for t in targets.values()]
    return pl.DataFrame(rows, schema={"indicator": pl.String, "target": _FLOAT,
                                      "direction": pl.String, "amber_margin": _FLOAT},
                        orient="row")


def _rag() -> pl.Expr:
    """``targets.rag`` on whole columns."""
    value, target, margin = pl.col("value"), pl.col("target"), pl.col("amber_margin")
    higher = pl.col("direction") == "higher_is_better"
    lower = pl.col("direction") == "lower_is_better"
    return (
        pl.when(value.is_null() | target.is_null()).then(None)
        .when(higher & (value >= target)).then(pl.lit("green"))
        .when(higher & (value >= target - margin)).then(pl.lit("amber"))
        .when(higher).then(pl.lit("red"))
        .when(lower & (value <= target)).then(pl.lit("green"))
        .when(lower & (value <= target + margin)).then(pl.lit("amber"))
        .when(lower).then(pl.lit("red"))
        .otherwise(None)
    )


def comparisons_by_authority(
    tables: Tables,
    months: list[str],
    *,
    neighbours: Mapping[str, list[str]] | None = None,
    published: pl.DataFrame | None = None,
    targets: Mapping[str, Target] | None = None,
    indicators: Iterable[Indicator] | None = None,
    authorities: list[str] | None = None,
) -> pl.DataFrame:
    """``la_code`` and ``COLUMNS`` for every authority of the dataset (or those in
    ``authorities``) and month; ``neighbours`` maps an LA code to its neighbours' codes
    (default: the authorities table's ``statistical_neighbours``)."""
    from childrenmatter.insight.indicators import INDICATORS

    indicators = list(INDICATORS if indicators is None else indicators)
    targets = load_targets() if targets is None else targets
    periods = periods_of(months)
    labels = periods["period"].to_list()
    codes = sorted(tables["authorities"]["la_code"].unique().to_list())
    shown = codes if authorities is None else sorted(authorities)

    rows, distribution = authority_rows(indicators, tables, periods)
    population = populations(tables["population"], periods, together=False).rename(
        {"area": "la_code"})
    rows = rows.join(population, on=["la_code", "period"], how="left")
    if rows.height == 0:
        rows = rows.with_columns(pl.lit(None, pl.Int64).alias("population"))
    # Every authority's population for every indicator, so a rate of nothing counted
    # still has a denominator when the authority's count is added to its group's.
    grid_all = _grid(indicators, codes, labels).join(population, on=["la_code", "period"],
                                                     how="left")
    parts = grid_all.join(rows.drop("population"), on=["la_code", "period", "indicator"],
                          how="left")
    own = _figures(_grid(indicators, shown, labels), parts.filter(
        pl.col("la_code").is_in(shown)).drop("unit"), ["la_code"])

    # England: every authority together, when there is more than one.
    if len(codes) > 1:
        england = _sum_parts(parts, []).join(
            _medians(distribution, []), on=["period", "indicator"], how="left",
            suffix="_median").with_columns(
            pl.coalesce("count_median", "count").alias("count"),
            pl.col("days")).drop("count_median")
        grid_e = _grid(indicators, ["x"], labels).drop("la_code")
        england = _figures(grid_e, england, []).select(
            "period", "indicator", pl.col("value").alias("england"))
    else:
        england = pl.DataFrame(schema={"period": pl.String, "indicator": pl.String,
                                       "england": _FLOAT})

    # Neighbours: counted together when every neighbour is in the dataset.
    lists = _neighbour_lists(tables, neighbours).filter(pl.col("la_code").is_in(shown))
    complete = (lists.with_columns(pl.col("member").is_in(codes).alias("_in"))
                .group_by("la_code").agg(pl.col("_in").all()).filter("_in")["la_code"])
    members = lists.filter(pl.col("la_code").is_in(complete.implode()))
    grouped = members.join(parts.rename({"la_code": "member"}), on="member").drop("member")
    summed = _sum_parts(grouped, ["la_code"])
    # Each authority's distribution added into each group it is a neighbour in, one
    # indicator at a time to keep the rows few.
    days = _neighbour_medians(members, distribution)
    summed = summed.join(days, on=["la_code", "period", "indicator"], how="left",
                         suffix="_median").with_columns(
        pl.coalesce("count_median", "count").alias("count")).drop("count_median")
    together = _figures(_grid(indicators, complete.to_list(), labels), summed,
                        ["la_code"]).select("la_code", "period", "indicator",
                                            pl.col("value").alias("neighbours"))

    lookup = _published_lookup(published)
    published_england = lookup.filter(pl.col("area") == ENGLAND).select(
        "period", "indicator", pl.col("value").alias("_published_england"))
    published_neighbours = (
        lists.filter(~pl.col("la_code").is_in(complete.implode()))
        .join(lookup.rename({"area": "member"}), on="member")
        .group_by("la_code", "period", "indicator")
        .agg(pl.col("value").mean().alias("_published_neighbours")))

    targets_frame = _targets_frame(targets)
    out = (
        own.join(england, on=["period", "indicator"], how="left")
        .join(published_england, on=["period", "indicator"], how="left")
        .join(together, on=["la_code", "period", "indicator"], how="left")
        .join(published_neighbours, on=["la_code", "period", "indicator"], how="left")
        .join(targets_frame, on="indicator", how="left")
        .with_columns(
            pl.coalesce("_published_england", "england").alias("england"),
            pl.coalesce("neighbours", "_published_neighbours").alias("neighbours"),
        )
        .with_columns(_rag().alias("rag"))
    )
    order = {i.name: n for n, i in enumerate(indicators)}
    return out.with_columns(
        pl.col("indicator").replace_strict(order, return_dtype=pl.UInt32).alias("_order"),
        pl.col("count", "numerator", "denominator").cast(pl.Int64),
    ).sort("la_code", "period", "_order").select("la_code", *COLUMNS)


def comparison(
    tables: Tables,
    *,
    authority: str,
    months: list[str],
    neighbours: list[str] | None = None,
    published: pl.DataFrame | None = None,
    targets: Mapping[str, Target] | None = None,
    indicators: Iterable[Indicator] | None = None,
) -> pl.DataFrame:
    """One authority's figures with England, neighbours, target and RAG (module
    docstring): one row per (month, indicator), the columns of ``COLUMNS``."""
    codes = tables["authorities"]["la_code"].to_list()
    if authority not in codes:
        raise UserError(f"--authority {authority}: not in the dataset, which holds "
                        f"{', '.join(sorted(codes))}")
    given = None if neighbours is None else {authority: list(neighbours)}
    rows = comparisons_by_authority(tables, months, neighbours=given, published=published,
                                    targets=targets, indicators=indicators,
                                    authorities=[authority])
    return rows.drop("la_code")


def read_published(path: str | Path) -> pl.DataFrame:
    """Published figures from a CSV of ``period,indicator,area,value`` (module docstring),
    checked row by row: a bad row is named with its line and the rule it breaks."""
    from childrenmatter.insight.indicators import REGISTRY

    file = Path(path)
    try:
        handle = file.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise UserError(f"published figures {file}: {error.strerror}") from None
    rows = []
    with handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        missing = [c for c in PUBLISHED_COLUMNS if c not in header]
        if missing:
            raise UserError(f"published figures {file}: the header lacks "
                            f"{', '.join(missing)} (expected {','.join(PUBLISHED_COLUMNS)})")
        for line, row in enumerate(reader, start=2):
            where = f"published figures {file}, line {line}"
            period, name = row["period"].strip(), row["indicator"].strip()
            area, text = row["area"].strip().lower(), row["value"].strip()
            if not _MONTH.fullmatch(period):
                raise UserError(f"{where}: period {period!r} is not a month YYYY-MM")
            if name not in REGISTRY:
                raise UserError(f"{where}: indicator {name!r} is not in docs/indicators.md")
            if area != ENGLAND and not re.fullmatch(r"\d{3}", area):
                raise UserError(f"{where}: area {area!r} is neither 'england' nor an LA code")
            if text == "":
                continue  # not published (suppressed): no figure
            try:
                value = float(text)
            except ValueError:
                raise UserError(f"{where}: value {text!r} is not a number") from None
            rows.append((period, name, area, value))
    return pl.DataFrame(rows, schema={"period": pl.String, "indicator": pl.String,
                                      "area": pl.String, "value": _FLOAT}, orient="row")


__all__ = ["COLUMNS", "DEFAULT_TARGETS", "comparison", "comparisons_by_authority",
           "read_published"]
