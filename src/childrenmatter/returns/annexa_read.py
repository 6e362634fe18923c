"""Reading and checking an Annex A workbook.

``parse_workbook`` reads every list of a workbook (python-calamine) into frames of the
dataset's codes and says what is wrong with it, cell by cell: a missing sheet, a missing or
unknown header, a text where a date should be, a label the template does not have, a blank
where the template needs a value, dates out of order, a child listed twice on a list of one
row per child. ``validate_annex_a`` reports those; ``read_annex_a`` refuses a workbook with
any of them, and otherwise makes a child-level dataset of what the lists carry.

A workbook is a zip file of XML parts, so a hostile one can be small on disk and enormous
unpacked: files over ``MAX_FILE_BYTES``, or that unpack to more than ``MAX_UNPACKED_BYTES``,
are refused before any part is read.

Plain Python over Polars: no Django import.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from childrenmatter.dataset.codes import code_list, collection_year
from childrenmatter.dataset.io import conform
from childrenmatter.errors import UserError
from childrenmatter.returns.annexa_spec import (
    DATE_ORDER,
    LIST_TITLES,
    LISTS,
    ONE_ROW_PER_CHILD,
    READ_LABELS,
    AnnexColumn,
    code_of,
    header_key,
    normalise,
)
from childrenmatter.returns.findings import Finding

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024

# Rule codes of our own: Annex A has no published rule list.
RULES = {
    "sheet": "a list's sheet is missing",
    "header": "a column is missing or not a column of the list",
    "date": "a date is not a date",
    "number": "a number is not a whole number of 0 or more",
    "label": "a label is not one of the template's",
    "blank": "a cell the template needs is blank",
    "order": "dates are out of order",
    "repeat": "a child is listed twice on a list of one row per child",
}


def _check_file(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UserError(f"{path}: cannot be read: {error.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise UserError(f"{path}: the file is {size / 1024 / 1024:,.0f} MB; an Annex A workbook "
                        f"over {MAX_FILE_BYTES // 1024 // 1024} MB is refused")
    if not zipfile.is_zipfile(path):
        raise UserError(f"{path}: not an Excel workbook (.xlsx): it is not a zip file")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise UserError(f"{path}: not a readable Excel workbook: {error}") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UserError(f"{path}: the workbook unpacks to {unpacked / 1024 / 1024:,.0f} MB; "
                        f"over {MAX_UNPACKED_BYTES // 1024 // 1024} MB is refused "
                        "(a zip bomb, or far more rows than any authority has)")


def _sheets(path: Path) -> dict[str, list[list[Any]]]:
    from python_calamine import CalamineWorkbook

    _check_file(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except Exception as error:  # calamine raises its own error types for any bad file
        raise UserError(f"{path}: not a readable Excel workbook: {error}") from None
    sheets = {}
    for name in names:
        key = normalise(name)
        if key.startswith("list ") and key[5:].isdigit():
            try:
                rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as error:
                raise UserError(f"{path}: sheet {name!r} cannot be read: {error}") from None
            sheets[f"List {int(key[5:])}"] = rows
    return sheets


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


class _Sheet:
    def __init__(self, name: str, findings: list[Finding]) -> None:
        self.name = name
        self.findings = findings

    def problem(self, rule: str, row: int | None, child: str | None, field: str | None,
                message: str) -> None:
        self.findings.append(Finding(rule, self.name, row, child, field, message))

    def cell(self, col: AnnexColumn, value: Any, row: int, child: str | None) -> Any:
        if _blank(value):
            if col.required:
                self.problem("blank", row, child, col.header,
                             f"{col.header} is blank; every row of {self.name} needs it")
            return None
        if col.kind == "text":
            return _text(value)
        if col.kind == "date":
            if isinstance(value, datetime):
                return value.date()
            if isinstance(value, date):
                return value
            if isinstance(value, str):
                for fmt in _DATE_FORMATS:
                    try:
                        return datetime.strptime(value.strip(), fmt).date()
                    except ValueError:
                        continue
            self.problem("date", row, child, col.header,
                         f"{col.header}: {_text(value)!r} is not a date (a date cell, or "
                         "DD/MM/YYYY)")
            return None
        if col.kind == "int":
            number: float | None = None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                number = float(value)
            elif isinstance(value, str):
                try:
                    number = float(value.strip())
                except ValueError:
                    number = None
            if number is None or not number.is_integer() or number < 0:
                self.problem("number", row, child, col.header,
                             f"{col.header}: {_text(value)!r} is not a whole number of 0 or more")
                return None
            return int(number)
        assert col.labels is not None
        code = code_of(col.labels, _text(value))
        if code is None:
            known = sorted({label for label in READ_LABELS[col.labels]})
            hint = f" (for example {', '.join(repr(k) for k in known[:3])})" if known else ""
            self.problem("label", row, child, col.header,
                         f"{col.header}: {_text(value)!r} is not one of the template's labels"
                         f"{hint}")
        return code


def _parse_sheet(name: str, rows: list[list[Any]], findings: list[Finding]) -> pl.DataFrame:
    columns = LISTS[name]
    sheet = _Sheet(name, findings)
    header_row = rows[0] if rows else []
    found: dict[str, int] = {}
    wanted = {header_key(col.header): col for col in columns}
    for position, cell in enumerate(header_row):
        if _blank(cell):
            continue
        key = header_key(_text(cell))
        if key in wanted and key not in found:
            found[key] = position
        else:
            sheet.problem("header", 1, None, _text(cell),
                          f"{_text(cell)!r} (column {_column_letter(position)}) is not a "
                          f"column of {name} ({LIST_TITLES[name]})")
    for key, col in wanted.items():
        if key not in found:
            sheet.problem("header", 1, None, col.header,
                          f"the column {col.header!r} is missing from row 1")
    data: dict[str, list[Any]] = {col.header: [] for col in columns}
    lines: list[int] = []
    id_column = columns[0]
    for number, row in enumerate(rows[1:], start=2):
        if all(_blank(v) for v in row):
            continue
        lines.append(number)

        def value(col: AnnexColumn, row: list[Any] = row) -> Any:
            at = found.get(header_key(col.header))
            return row[at] if at is not None and at < len(row) else None

        child = None if _blank(value(id_column)) else _text(value(id_column))
        for col in columns:
            if header_key(col.header) not in found:
                data[col.header].append(None)
                continue
            data[col.header].append(sheet.cell(col, value(col), number, child))
    schema = {col.header: {"date": pl.Date, "int": pl.Int64}.get(col.kind, pl.String)
              for col in columns}
    frame = pl.DataFrame(data, schema=schema).with_columns(
        pl.Series("__line", lines, dtype=pl.Int64))
    _check_order(sheet, frame)
    if name in ONE_ROW_PER_CHILD:
        repeated = frame.filter(pl.col(id_column.header).is_not_null()
                                & pl.col(id_column.header).is_duplicated()
                                & ~pl.col(id_column.header).is_first_distinct())
        for line, child in repeated.select("__line", id_column.header).iter_rows():
            sheet.problem("repeat", line, child, id_column.header,
                          f"child {child} is listed more than once; {name} has one row per child")
    return frame


def _check_order(sheet: _Sheet, frame: pl.DataFrame) -> None:
    id_header = LISTS[sheet.name][0].header
    for earlier, later in DATE_ORDER.get(sheet.name, ()):
        wrong = frame.filter(pl.col(earlier) > pl.col(later))
        for line, child, first, second in wrong.select(
                "__line", id_header, earlier, later).iter_rows():
            sheet.problem("order", line, child, later,
                          f"{later} ({second:%d/%m/%Y}) is before {earlier} ({first:%d/%m/%Y})")


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def parse_workbook(path: str | Path) -> tuple[dict[str, pl.DataFrame], list[Finding]]:
    """Every list of the workbook as codes, and every problem found reading it."""
    path = Path(path)
    sheets = _sheets(path)
    findings: list[Finding] = []
    lists: dict[str, pl.DataFrame] = {}
    for name in LISTS:
        if name not in sheets:
            findings.append(Finding("sheet", name, None, None, None,
                                    f"the workbook has no sheet {name!r} ({LIST_TITLES[name]})"))
            rows: list[list[Any]] = []
        else:
            rows = sheets[name]
        if name in sheets and not rows:
            findings.append(Finding("header", name, 1, None, None,
                                    f"sheet {name!r} is empty: row 1 should hold the headers"))
        lists[name] = _parse_sheet(name, rows, findings if name in sheets else [])
    return lists, findings


def validate_annex_a(path: str | Path) -> list[Finding]:
    return parse_workbook(path)[1]


# --- A dataset from the lists ------------------------------------------------------------

def read_annex_a(path: str | Path, *, la_code: str,
                 la_name: str | None = None) -> dict[str, pl.DataFrame]:
    """A child-level dataset from a workbook with no problems (see ``dataset_from_lists``)."""
    lists, findings = parse_workbook(path)
    if findings:
        first = "; ".join(
            f"{f.table}{f' row {f.row}' if f.row else ''}: {f.message}" for f in findings[:3])
        more = f" (and {len(findings) - 3:,} more)" if len(findings) > 3 else ""
        raise UserError(f"{path}: {len(findings):,} problem{'s' if len(findings) != 1 else ''} "
                        f"with the workbook; nothing was read: {first}{more}. "
                        "`childrenmatter returns validate annex-a` lists them all")
    return dataset_from_lists(lists, la_code=la_code, la_name=la_name)


def dataset_from_lists(lists: dict[str, pl.DataFrame], *, la_code: str,
                       la_name: str | None = None) -> dict[str, pl.DataFrame]:
    """The dataset's tables from the lists (codes in the cells).

    Annex A has no identifiers for contacts, episodes, plans or enquiries: each is named by
    its list and row ("A3-12" is list 3's row 12). It lists a referral's details on list 3
    and the CIN episode it opened on list 6; both are one referral when child and date
    agree. An assessment, enquiry or plan belongs to the child's latest referral on or
    before it began; where the lists show none, a referral of unknown source (10) on the day
    it began stands in. List 8 gives only the current legal status and placement, so the
    episodes made for a child all carry them (a placement type that did not exist yet as
    the code it replaced: K3 as H5, Z11-Z14 as Z1).
    """
    from childrenmatter.dataset.schema import TABLES

    la = pl.lit(la_code)
    people = _people(lists)
    contacts = lists["List 1"].select(
        la.alias("la_code"), ("A1-" + pl.col("__line").cast(pl.String)).alias("contact_id"),
        pl.col("Child Unique ID").alias("child_id"),
        pl.col("Date of Contact").cast(pl.Datetime("us")).alias("contact_datetime"),
        pl.col("Contact Source").alias("source"), pl.lit(False).alias("domestic_abuse"))
    early_help = lists["List 2"].select(
        la.alias("la_code"), ("A2-" + pl.col("__line").cast(pl.String)).alias("early_help_id"),
        pl.col("Child Unique ID").alias("child_id"),
        pl.col("Assessment start date").alias("start_date"),
        pl.col("Assessment completion date").alias("end_date"),
        pl.col("Organisation completing assessment").alias("lead_agency"))
    referrals = _referrals(lists, la_code)
    assessments, referrals = _attach(
        lists["List 4"].select(
            ("A4-" + pl.col("__line").cast(pl.String)).alias("assessment_id"),
            pl.col("Child Unique ID").alias("child_id"),
            pl.col("Continuous Assessment Start Date").alias("start_date"),
            pl.col("Continuous Assessment Date of Authorisation").alias("authorised_date")),
        referrals, la_code)
    s47, referrals = _attach(
        lists["List 5"].select(
            ("A5-" + pl.col("__line").cast(pl.String)).alias("s47_id"),
            ("A5-" + pl.col("__line").cast(pl.String) + "-D").alias("strategy_discussion_id"),
            pl.col("Child Unique ID").alias("child_id"),
            pl.col("Strategy discussion initiating Section 47 Enquiry Start Date")
            .alias("start_date"),
            pl.col("Date of Initial Child Protection Conference").alias("icpc_date"),
            pl.when(pl.col("Was an Initial Child Protection Conference deemed unnecessary?")
                    .is_null()).then(pl.col("Date of Initial Child Protection Conference")
                                     .is_not_null())
            .otherwise(pl.col("Was an Initial Child Protection Conference deemed unnecessary?")
                       == "N").alias("icpc_required")),
        referrals, la_code)
    strategy = s47.select("la_code", "strategy_discussion_id", "referral_id", "child_id",
                          pl.col("start_date").alias("discussion_date"),
                          pl.lit(True).alias("section_47"))
    cp_plans, referrals = _attach(
        lists["List 7"].select(
            ("A7-" + pl.col("__line").cast(pl.String)).alias("cp_plan_id"),
            pl.col("Child Unique ID").alias("child_id"),
            pl.col("Child Protection Plan Start Date").alias("start_date"),
            pl.col("Child Protection Plan End Date").alias("end_date"),
            pl.col("Initial Category of Abuse").alias("initial_category"),
            pl.col("Latest Category of Abuse").alias("latest_category"),
            pl.col("Number of Previous Child Protection Plans").alias("previous_plans")),
        referrals, la_code)
    tables = {
        "authorities": pl.DataFrame({"la_code": [la_code], "la_name": [la_name or la_code]}),
        "children": people.with_columns(la.alias("la_code")),
        "contacts": contacts,
        "early_help_episodes": early_help,
        "referrals": referrals,
        "assessments": assessments,
        "strategy_discussions": strategy,
        "section_47_enquiries": s47,
        "cp_plans": cp_plans,
        "episodes": _episodes(lists["List 8"], la_code),
        "adoption": _adoption(lists["List 10"], la_code),
        "care_leaver_contacts": _care_leavers(lists["List 9"], la_code),
    }
    return {name: conform(name, frame) for name, frame in tables.items() if name in TABLES}


def _people(lists: dict[str, pl.DataFrame]) -> pl.DataFrame:
    parts = []
    for name, frame in lists.items():
        if name == "List 11" or frame.height == 0:
            continue
        uasc = [c for c in frame.columns if c.startswith("Unaccompanied Asylum")]
        disability = "Does the Child have a Disability"
        parts.append(frame.select(
            pl.col("Child Unique ID").alias("child_id"), pl.col("Gender").alias("sex"),
            pl.col("Ethnicity").alias("ethnicity"), pl.col("Date of Birth").alias("date_of_birth"),
            (pl.col(disability) if disability in frame.columns else pl.lit(None, pl.String))
            .alias("disabled"),
            ((pl.col(uasc[0]) == "Y") if uasc else pl.lit(None, pl.Boolean)).alias("uasc")))
    if not parts:
        return pl.DataFrame(schema={"child_id": pl.String})
    every = pl.concat(parts)
    return every.group_by("child_id", maintain_order=True).agg(
        pl.col("sex").drop_nulls().first(), pl.col("ethnicity").drop_nulls().first(),
        pl.col("date_of_birth").drop_nulls().first(),
        # Annex A says whether a child is disabled, not how: "No" is none; "Yes" unknown.
        pl.when((pl.col("disabled") == "N").any() & ~(pl.col("disabled") == "Y").any())
        .then(pl.lit([], pl.List(pl.String))).otherwise(None).first().alias("disabilities"),
        pl.col("uasc").fill_null(False).any().alias("uasc"))


def _referrals(lists: dict[str, pl.DataFrame], la_code: str) -> pl.DataFrame:
    listed = lists["List 3"].select(
        ("A3-" + pl.col("__line").cast(pl.String)).alias("referral_id"),
        pl.col("Child Unique ID").alias("child_id"),
        pl.col("Date of referral").alias("referral_date"),
        pl.col("Referral Source").alias("referral_source"),
        (pl.col("Referral NFA?") == "Y").alias("referral_nfa"))
    cin = lists["List 6"].select(
        ("A6-" + pl.col("__line").cast(pl.String)).alias("cin_id"),
        pl.col("Child Unique ID").alias("child_id"),
        pl.col("CIN Start Date").alias("referral_date"),
        pl.col("Primary Need Code").alias("primary_need"),
        pl.col("CIN Closure Date").alias("closure_date"),
        pl.col("Reason for Closure").alias("closure_reason"))
    both = listed.join(cin, on=["child_id", "referral_date"], how="full", coalesce=True)
    return both.select(
        pl.lit(la_code).alias("la_code"),
        pl.coalesce("referral_id", "cin_id").alias("referral_id"), "child_id", "referral_date",
        pl.col("referral_source").fill_null("10"),
        "primary_need", pl.col("referral_nfa").fill_null(False), "closure_date", "closure_reason")


def _attach(frame: pl.DataFrame, referrals: pl.DataFrame,
            la_code: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``frame`` with the referral each row belongs to, and referrals with any stand-ins."""
    key = frame.columns[0]
    known = (referrals.select("child_id", "referral_id",
                              pl.col("referral_date").alias("start_date"))
             .filter(pl.col("start_date").is_not_null()).sort("start_date"))
    joined = frame.sort("start_date").join_asof(known, on="start_date", by="child_id",
                                                strategy="backward", check_sortedness=False)
    missing = joined.filter(pl.col("referral_id").is_null())
    stand_ins = missing.select(
        pl.lit(la_code).alias("la_code"), (pl.col(key) + "-R").alias("referral_id"),
        "child_id", pl.col("start_date").alias("referral_date"),
        pl.lit("10").alias("referral_source"), pl.lit(None, pl.String).alias("primary_need"),
        pl.lit(False).alias("referral_nfa"), pl.lit(None, pl.Date).alias("closure_date"),
        pl.lit(None, pl.String).alias("closure_reason"))
    joined = joined.with_columns(pl.coalesce("referral_id", pl.col(key) + "-R")
                                 .alias("referral_id"), pl.lit(la_code).alias("la_code"))
    return joined, pl.concat([referrals, stand_ins.select(referrals.columns)])


def _episodes(frame: pl.DataFrame, la_code: str) -> pl.DataFrame:
    rows = []
    for row in frame.iter_rows(named=True):
        started = row["Date Started to be Looked After"]
        legal = row["Start date of current legal status"] or started
        placed = row["Start Date of Most Recent Placement"] or started
        # The episode starts: the period's first day, the current legal status's, the
        # current placement's. RNE says which changed (903: L legal status, P placement,
        # B both).
        starts = sorted({started, legal, placed})
        for n, day in enumerate(starts):
            rne = "S" if n == 0 else ("B" if day == legal == placed else
                                      "L" if day == legal else "P")
            last = n == len(starts) - 1
            rows.append({
                "la_code": la_code, "child_id": row["Child Unique ID"],
                "period_of_care_id": f"A8-{row['__line']}", "decom": day, "rne": rne,
                "ls": row["Child's Legal Status"], "cin": row["Child's Category of Need"],
                "place": row["Placement Type"] if last else _placement_then(
                    row["Placement Type"], day),
                "place_provider": row["Placement Provider"],
                "dec": row["Date Ceased to be Looked After"] if last else starts[n + 1],
                "rec": row["Reason Ceased to be Looked After"] if last else "X1",
                "pl_post": row["Placement postcode"], "urn": row["URN of Placement"],
                "pl_la": row["LA of Placement"], "pl_location": row["Placement Location"],
            })
    from childrenmatter.dataset.schema import TABLES

    return pl.DataFrame(rows, schema={c: TABLES["episodes"].polars_schema[c]
                                      for c in (rows[0] if rows else {"la_code": None})})


# Placement types that replaced another (903 2024-25: K3 for H5; 2025-26: Z11-Z14 for Z1).
_PREDECESSOR = {"K3": "H5", "Z11": "Z1", "Z12": "Z1", "Z13": "Z1", "Z14": "Z1"}


def _placement_then(place: str | None, day: date) -> str | None:
    """The current placement's type as it was coded on an earlier ``day``."""
    if place is None or place not in _PREDECESSOR:
        return place
    if code_list("placement_type").get(place).valid_in(collection_year(day)):
        return place
    return _PREDECESSOR[place]


def _adoption(frame: pl.DataFrame, la_code: str) -> pl.DataFrame:
    return frame.select(
        pl.lit(la_code).alias("la_code"), pl.col("Child Unique ID").alias("child_id"),
        pl.col("Date of Decision that Child Should be Placed for Adoption").alias("date_decision"),
        pl.col("Date of Matching Child and Prospective Adopters").alias("date_match"),
        pl.col("Date Placed for Adoption").alias("date_placed"),
        pl.col("Date of Adoption Order").alias("date_adopted"),
        pl.col("Date of Decision that Child Should No Longer be Placed for Adoption")
        .alias("date_decision_ceased"),
        pl.col("Reason Why Child No Longer Placed for Adoption").alias("reason_decision_ceased"))


def _care_leavers(frame: pl.DataFrame, la_code: str) -> pl.DataFrame:
    kind, suitable = pl.col("Type of Accommodation"), pl.col("Suitability of Accommodation")
    return frame.filter(pl.col("Latest Date of Contact").is_not_null()).select(
        pl.lit(la_code).alias("la_code"), pl.col("Child Unique ID").alias("child_id"),
        pl.col("Latest Date of Contact").alias("contact_date"),
        pl.col("LA in Touch").alias("in_touch"),
        pl.when(kind.is_null() & (suitable == "0")).then(pl.lit("0"))
        .when(kind.is_null()).then(None)
        .otherwise(kind + suitable.fill_null("0")).alias("accommodation"),
        pl.col("Activity Status").fill_null("0").alias("activity"))
