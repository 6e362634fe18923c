"""Checking the child-level dataset against its schema.

The rules, each a name a user sees next to the problem:

- ``missing_table``, ``unreadable``: a table's Parquet file is absent or cannot be read
  (found when reading a folder, see ``dataset.io``);
- ``missing_column``, ``unknown_column``, ``wrong_type``: the table's columns are not
  exactly the schema's, with the schema's types;
- ``required``: a required column is null (or, for text, blank);
- ``code``: a value is not in the column's code list in any year;
- ``code_year``: a code is in the list but not valid in the collection year of the row's
  date (``CODE_DATES``), e.g. placement K3 in 2022-23; a row without that date may use
  a code of any year;
- ``date_order``: of the schema's ``date_order`` pairs, the later date is before the earlier;
- ``unique_key``: a row repeats the key of an earlier row;
- ``reference``: a value is not in the table it refers to for the same authority; every
  table's ``la_code`` refers to ``authorities``.

Every check is one Polars expression (or join) over a whole table, because a national
dataset has tens of millions of rows. Only the problems shown, at most ``limit`` of each
rule, become Python objects; all of them are counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import polars as pl

from childrenmatter.dataset.codes import CODE_LISTS, Code, CodeList, collection_year, year_label
from childrenmatter.dataset.schema import STR, TABLES, Column, Table
from childrenmatter.errors import UserError

DEFAULT_LIMIT = 1000

RULES: dict[str, str] = {
    "missing_table": "the table's Parquet file is not in the folder",
    "unreadable": "the table's file is not a readable Parquet file",
    "missing_column": "a column of the schema is absent",
    "unknown_column": "a column that is not in the schema is present",
    "wrong_type": "a column's type is not the schema's",
    "required": "a required value is missing",
    "code": "a value is not a code of the column's code list",
    "code_year": "a code is not valid in the collection year of the row's date",
    "date_order": "a date is before the date it must follow",
    "unique_key": "a row repeats the key of an earlier row",
    "reference": "a value is not in the table it refers to, for the same authority",
}

# The date whose collection year decides which codes a row may use: the date the row's
# facts were true, as the DfE's return for that year would report them.
CODE_DATES: dict[str, str] = {
    "contacts": "contact_datetime",
    "early_help_episodes": "start_date",
    "referrals": "referral_date",
    "assessments": "start_date",
    "strategy_discussions": "discussion_date",
    "section_47_enquiries": "start_date",
    "cp_plans": "start_date",
    "cp_conferences": "conference_date",
    "cin_plans": "start_date",
    "visits": "visit_date",
    "episodes": "decom",
    "cla_reviews": "review_date",
    "missing_episodes": "start_date",
    "adoption": "date_decision",
    "care_leaver_contacts": "contact_date",
    "workers": "start_date",
    "allocations": "start_date",
}

# Codes that describe an ending are judged in the year of the ending (the return for that
# year is the one that reports them), falling back to the table's date when it is missing.
# The 903 records the reason for a placement change on the episode that ends.
CODE_DATE_OVERRIDES: dict[tuple[str, str], str] = {
    ("early_help_episodes", "end_reason"): "end_date",
    ("referrals", "closure_reason"): "closure_date",
    ("assessments", "factors"): "authorised_date",
    ("episodes", "rec"): "dec",
    ("episodes", "reason_place_change"): "dec",
    ("adoption", "reason_decision_ceased"): "date_decision_ceased",
    ("allocations", "reason_ended"): "end_date",
}

AUTHORITY_REFERENCE = ("authorities", "la_code")

_ROW = "__childrenmatter_row"  # a name no table of the schema uses
_DATE = "__childrenmatter_date"
_FIRST = "__childrenmatter_first"


@dataclass(frozen=True)
class Problem:
    table: str
    row: int | None  # 0-based row of the table, None for a problem with the whole table
    column: str | None
    rule: str
    message: str
    child_id: str | None = None

    def __str__(self) -> str:
        # The message names the column itself; the row is what it cannot know.
        where = self.table if self.row is None else f"{self.table} row {self.row}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Problems(list[Problem]):
    """The problems found: at most ``limit`` shown for each rule, all of them counted."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        super().__init__()
        self.limit = limit
        self.counts: dict[str, int] = {}
        self._shown: dict[str, int] = {}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def room(self, rule: str) -> int:
        return max(0, self.limit - self._shown.get(rule, 0))

    def record(self, rule: str, count: int, found: Iterable[Problem]) -> None:
        """Count ``count`` problems of ``rule`` and keep those of ``found`` there is room for."""
        if count <= 0:
            return
        self.counts[rule] = self.counts.get(rule, 0) + count
        for problem in found:
            if not self.room(rule):
                break
            self.append(problem)
            self._shown[rule] = self._shown.get(rule, 0) + 1

    def add(self, problem: Problem) -> None:
        self.record(problem.rule, 1, [problem])

    def merge(self, other: Problems) -> None:
        for rule, count in other.counts.items():
            self.record(rule, count, (p for p in other if p.rule == rule))

    def put_in_reading_order(self) -> None:
        """Tables in the schema's order, whole-table problems first, then by row."""
        order = {name: i for i, name in enumerate(TABLES)}
        self.sort(key=lambda p: (order.get(p.table, len(order)),
                                 -1 if p.row is None else p.row))

    def summary(self, first: int = 3) -> str:
        """One line: how many problems, and the first few."""
        if not self.total:
            return "no problems"
        noun = "problem" if self.total == 1 else "problems"
        head = "; ".join(str(p) for p in self[:first])
        rest = self.total - min(first, len(self))
        more = f"; and {rest} more" if rest else ""
        return f"{self.total} {noun}: {head}{more}"


class DatasetError(UserError):
    """A dataset that cannot be used: not a dataset at all, or one with ``problems``."""

    def __init__(self, message: str, problems: Problems | None = None) -> None:
        super().__init__(message)
        self.problems = problems if problems is not None else Problems()


def code_date(table: str, column: str) -> list[str]:
    """The dates, first found first, whose collection year decides ``column``'s codes."""
    dates = [CODE_DATE_OVERRIDES.get((table, column)), CODE_DATES.get(table)]
    return [d for d in dict.fromkeys(dates) if d is not None]


def validate_dataset(
    tables: Mapping[str, pl.DataFrame],
    *,
    limit: int = DEFAULT_LIMIT,
    context: Mapping[str, pl.DataFrame] | None = None,
) -> Problems:
    """Every problem with ``tables`` (a name -> frame map, some or all of the schema's).

    A reference to a table not given is checked against ``context`` (frames holding at
    least the referenced columns, e.g. read from the same folder), or not at all.
    """
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise ValueError(f"not tables of the dataset: {', '.join(unknown)}")
    problems = Problems(limit)
    usable: dict[str, set[str]] = {}
    for name, frame in tables.items():
        usable[name] = _check_structure(problems, TABLES[name], frame)
    for name, frame in tables.items():
        table, ok = TABLES[name], usable[name]
        _check_rows(problems, table, frame, ok)
        _check_unique_key(problems, table, frame, ok)
    targets = _ReferenceTargets(tables, usable, context or {})
    for name, frame in tables.items():
        _check_references(problems, TABLES[name], frame, usable[name], targets)
    problems.put_in_reading_order()
    return problems


# --- structure -----------------------------------------------------------------------------


def _check_structure(problems: Problems, table: Table, frame: pl.DataFrame) -> set[str]:
    """Report missing, unknown and mistyped columns; the columns fit to check further."""
    ok: set[str] = set()
    schema = frame.schema
    for col in table.columns:
        if col.name not in schema:
            problems.add(Problem(table.name, None, col.name, "missing_column",
                                 f"no column {col.name} ({_type_name(col.dtype)})"))
        elif schema[col.name] != col.dtype:
            problems.add(Problem(
                table.name, None, col.name, "wrong_type",
                f"{col.name} is {_type_name(schema[col.name])}, should be "
                f"{_type_name(col.dtype)}",
            ))
        else:
            ok.add(col.name)
    for name in schema:
        if name not in table.column_names:
            problems.add(Problem(table.name, None, name, "unknown_column",
                                 f"{name} is not a column of {table.name}"))
    return ok


def _type_name(dtype: Any) -> str:
    return str(dtype() if isinstance(dtype, type) else dtype)


# --- row checks: one boolean expression each, all counted in one pass ----------------------


@dataclass(frozen=True)
class _Check:
    rule: str
    column: str | None
    broken: pl.Expr  # true on a row that breaks the rule
    shown: tuple[pl.Expr, ...]  # what the message needs, as named columns
    describe: Callable[[dict[str, Any]], str]


def _check_rows(problems: Problems, table: Table, frame: pl.DataFrame, ok: set[str]) -> None:
    checks = [
        *_required_checks(table, ok),
        *_code_checks(table, ok),
        *_date_order_checks(table, ok),
    ]
    if not checks or frame.is_empty():
        return
    counts = frame.select(
        c.broken.fill_null(False).sum().alias(str(i)) for i, c in enumerate(checks)
    ).row(0)
    child = _child_column(ok)
    for check, count in zip(checks, counts, strict=True):
        if not count:
            continue
        found: list[Problem] = []
        room = problems.room(check.rule)
        if room:
            rows = (
                frame.lazy()
                .with_row_index(_ROW)
                .filter(check.broken.fill_null(False))
                .head(room)
                .select(pl.col(_ROW), *child, *check.shown)
                .collect()
            )
            found = [_problem(table, check.rule, check.column, r, check.describe(r))
                     for r in rows.iter_rows(named=True)]
        problems.record(check.rule, int(count), found)


def _child_column(ok: set[str]) -> list[pl.Expr]:
    return [pl.col("child_id").alias("__child")] if "child_id" in ok else []


def _problem(table: Table, rule: str, column: str | None, row: dict[str, Any],
             message: str) -> Problem:
    return Problem(table.name, int(row[_ROW]), column, rule, message, row.get("__child"))


def _required_checks(table: Table, ok: set[str]) -> list[_Check]:
    checks = []
    for col in table.columns:
        if not col.required or col.name not in ok:
            continue
        missing = pl.col(col.name).is_null()
        if col.dtype == STR:
            # A blank identifier or code is as missing as a null one.
            missing = missing | (pl.col(col.name).str.strip_chars() == "")
        checks.append(_Check("required", col.name, missing, (),
                             lambda _r, c=col.name: f"{c} is required but empty"))
    return checks


def _code_checks(table: Table, ok: set[str]) -> list[_Check]:
    checks = []
    for col in table.columns:
        if col.codes is None or col.name not in ok:
            continue
        codes = CODE_LISTS[col.codes]
        is_list = isinstance(col.dtype, pl.List)
        value = pl.col(col.name)
        allowed = pl.Series(sorted(codes.all_codes), dtype=pl.String).implode()
        if is_list:
            # A null inside a list is no code either.
            invalid = value.list.eval(pl.element().is_in(allowed).fill_null(False).not_())
            invalid = invalid.list.any()
        else:
            invalid = value.is_not_null() & value.is_in(allowed).not_()
            if col.required:
                # A blank required code is reported once, as missing.
                invalid = invalid & (value.str.strip_chars() != "")
        shown = (value.alias("__value"),)
        checks.append(_Check("code", col.name, invalid, shown,
                             _describe_bad_code(col, codes)))

        dates = [d for d in code_date(table.name, col.name) if d in ok]
        if not dates or not codes.has_years:
            continue
        when = pl.coalesce([pl.col(d) for d in dates])
        year = when.dt.year() + (when.dt.month() >= 4).cast(pl.Int32)
        out_of_years = [
            (value.list.contains(c.code) if is_list else value == c.code) & _outside(c, year)
            for c in codes.codes
            if c.first_year is not None or c.last_year is not None
        ]
        broken = when.is_not_null() & pl.any_horizontal(out_of_years)
        shown = (value.alias("__value"), when.alias(_DATE))
        checks.append(_Check("code_year", col.name, broken, shown,
                             _describe_code_year(col, codes)))
    return checks


def _outside(code: Code, year: pl.Expr) -> pl.Expr:
    """True where ``year`` is outside the collection years ``code`` may be used in."""
    before = (year < code.first_year) if code.first_year is not None else pl.lit(False)
    after = (year > code.last_year) if code.last_year is not None else pl.lit(False)
    return before | after


def _describe_bad_code(col: Column, codes: CodeList) -> Callable[[dict[str, Any]], str]:
    def describe(row: dict[str, Any]) -> str:
        value = row["__value"]
        if isinstance(value, list):
            bad = [v for v in value if v not in codes.all_codes]
            if len(bad) == 1:
                return f"{col.name} holds {bad[0]!r}, which is not a {codes.name} code"
            return f"{col.name} holds {_values(bad)}, which are not {codes.name} codes"
        return f"{col.name} {value!r} is not a {codes.name} code"
    return describe


def _describe_code_year(col: Column, codes: CodeList) -> Callable[[dict[str, Any]], str]:
    def describe(row: dict[str, Any]) -> str:
        when: date = row[_DATE]
        year = collection_year(when)
        values = row["__value"] if isinstance(row["__value"], list) else [row["__value"]]
        bad = [codes.get(v) for v in values
               if v in codes.all_codes and not codes.get(v).valid_in(year)]
        valid = "; ".join(f"{c.code} is valid {c.years}" for c in bad)
        shown = ", ".join(repr(c.code) for c in bad)
        return (f"{col.name} {shown} is not valid in {year_label(year)}, the collection year "
                f"of {_format(when)} ({valid})")
    return describe


def _date_order_checks(table: Table, ok: set[str]) -> list[_Check]:
    checks = []
    for earlier, later in table.date_order:
        if earlier not in ok or later not in ok:
            continue
        broken = (pl.col(earlier).is_not_null() & pl.col(later).is_not_null()
                  & (pl.col(later) < pl.col(earlier)))
        shown = (pl.col(earlier).alias("__earlier"), pl.col(later).alias("__later"))
        checks.append(_Check(
            "date_order", later, broken, shown,
            lambda r, e=earlier, lt=later: (
                f"{lt} {_format(r['__later'])} is before {e} {_format(r['__earlier'])}"
            ),
        ))
    return checks


def _format(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else repr(value)


def _values(values: Iterable[Any]) -> str:
    return ", ".join(repr(v) for v in values)


# --- keys and references: window functions and anti-joins -----------------------------------


def _check_unique_key(problems: Problems, table: Table, frame: pl.DataFrame,
                      ok: set[str]) -> None:
    key = list(table.key)
    if not all(k in ok for k in key) or frame.is_empty():
        return
    # Rows with a null key part are reported as "required"; leave them out here.
    complete = pl.all_horizontal(pl.col(k).is_not_null() for k in key)
    # Counting each key first is cheaper than numbering rows, and keys are nearly always
    # unique: only a dataset with repeats pays for finding where they are.
    repeated_keys = (frame.lazy().filter(complete).group_by(key).len()
                     .filter(pl.col("len") > 1).select(pl.len()).collect().item())
    if not repeated_keys:
        return
    repeats = (
        frame.lazy()
        .with_row_index(_ROW)
        .filter(complete)
        .with_columns(pl.col(_ROW).min().over(key).alias(_FIRST))
        .filter(pl.col(_ROW) != pl.col(_FIRST))
    )
    column = ", ".join(key)

    def describe(row: dict[str, Any]) -> str:
        values = ", ".join(f"{k} {_format(row[k])}" for k in key)
        return f"repeats the key of row {row[_FIRST]} ({values})"

    _emit(problems, table, "unique_key", column,
          repeats.select(pl.col(_ROW), pl.col(_FIRST), *_child_column(ok), *key), describe)


class _ReferenceTargets:
    """The (la_code, value) pairs a reference may point to, from the tables or the context."""

    def __init__(self, tables: Mapping[str, pl.DataFrame], usable: Mapping[str, set[str]],
                 context: Mapping[str, pl.DataFrame]) -> None:
        self._tables = tables
        self._usable = usable
        self._context = context

    def keys(self, table: str, column: str) -> pl.LazyFrame | None:
        wanted = {"la_code", column}
        if table in self._tables:
            if not wanted <= self._usable[table]:
                return None  # already reported as a column problem of that table
            frame = self._tables[table]
        elif table in self._context:
            frame = self._context[table]
            expected = TABLES[table]
            if any(frame.schema.get(c) != expected.column(c).dtype for c in wanted):
                return None
        else:
            return None
        return frame.lazy().select(sorted(wanted)).unique()


def _check_references(problems: Problems, table: Table, frame: pl.DataFrame, ok: set[str],
                      targets: _ReferenceTargets) -> None:
    if frame.is_empty() or "la_code" not in ok:
        return
    references = dict(table.references)
    if table.name != AUTHORITY_REFERENCE[0]:
        references = {"la_code": AUTHORITY_REFERENCE, **references}
    for column, (target, target_column) in references.items():
        if column not in ok:
            continue
        keys = targets.keys(target, target_column)
        if keys is None:
            continue
        join_on = ["la_code"] if column == "la_code" else ["la_code", column]
        keys = keys.rename({target_column: column}) if target_column != column else keys
        dangling = (
            frame.lazy()
            .with_row_index(_ROW)
            .filter(pl.all_horizontal(pl.col(c).is_not_null() for c in join_on))
            .join(keys.select(join_on).unique(), on=join_on, how="anti")
            .select(pl.col(_ROW), *_child_column(ok), *join_on)
        )

        def describe(row: dict[str, Any], c: str = column, t: str = target,
                     tc: str = target_column) -> str:
            if c == "la_code":
                return f"la_code {row['la_code']!r} is not an authority in {t}"
            return f"{c} {row[c]!r} is not a {tc} of {t} for la_code {row['la_code']!r}"

        _emit(problems, table, "reference", column, dangling, describe)


def _emit(problems: Problems, table: Table, rule: str, column: str,
          bad: pl.LazyFrame, describe: Callable[[dict[str, Any]], str]) -> None:
    count = bad.select(pl.len()).collect().item()
    if not count:
        return
    found: list[Problem] = []
    room = problems.room(rule)
    if room:
        rows = bad.head(room).collect().sort(_ROW)
        found = [_problem(table, rule, column, r, describe(r)) for r in rows.iter_rows(named=True)]
    problems.record(rule, int(count), found)
