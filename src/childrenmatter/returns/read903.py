"""Reading SSDA903 CSV files (one folder a year, one or several years) into the dataset.

Each file is recognised by its header row, not its name, because every case system names
its extracts its own way. A folder's collection year is the one its name gives ("2024",
"903_2023-24"), or else the year of the latest date in it: a year's return holds no date
after its 31 March. Where several years tell of the
same record (an episode open at the end of one year and closed in the next), the latest
year wins, since it knows more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import polars as pl

from childrenmatter.dataset.codes import codes_for, collection_year
from childrenmatter.dataset.io import conform
from childrenmatter.errors import UserError
from childrenmatter.returns.files import read_csv_text
from childrenmatter.returns.ssda903 import (
    ADOPTED,
    DATE_FORMAT,
    FIRST_ALLOCATION,
    TABLES_903,
    Table903,
    birthday_in_year,
    year_bounds,
)

_YEAR = "__year"
_LINE = "__line"

# Columns checked against a code list of the dataset when read (any year's codes: the
# year a code is valid in is the validator's business, not the reader's).
CODED: dict[str, dict[str, str]] = {
    "Header": {"ETHNIC": "ethnicity"},
    "Episodes": {"RNE": "rne", "LS": "legal_status", "CIN": "primary_need",
                 "PLACE": "placement_type", "PLACE_PROVIDER": "placement_provider",
                 "REC": "reason_episode_ceased", "REASON_PLACE_CHANGE": "reason_place_change"},
    "Reviews": {"REVIEW_CODE": "review_participation"},
    "OC3": {"IN_TOUCH": "in_touch", "ACTIV": "care_leaver_activity",
            "ACCOM": "care_leaver_accommodation"},
    "PlacedAdoption": {"REASON_PLACED_CEASED": "reason_placed_ceased"},
    "AD1": {"SEX_ADOPTR": "sex_of_adopters", "LS_ADOPTR": "legal_status_of_adopters"},
    "PrevPerm": {"PREV_PERM": "previous_permanence"},
    "Missing": {"MISSING": "missing_type"},
    "SWEpisodes": {"SW_REASON": "sw_change_reason"},
}
# Header and UASC SEX: 1/2 until 2023-24, M/F/U from 2024-25; either is read in any year.
SEX_CODES = {"1": "M", "2": "F", "M": "M", "F": "F", "U": "U"}
REQUIRED: dict[str, tuple[str, ...]] = {
    # SEX may be blank: before 2024-25 an unknown sex had no code; it is read as U.
    "Header": ("CHILD", "DOB", "ETHNIC"),
    "Episodes": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE"),
    "Reviews": ("CHILD", "REVIEW"),
    "UASC": ("CHILD",),
    "OC3": ("CHILD", "DOB", "IN_TOUCH"),
    "AD1": ("CHILD", "DATE_INT"),
    "PlacedAdoption": ("CHILD", "DATE_PLACED"),
    "PrevPerm": ("CHILD",),
    "Missing": ("CHILD", "MISSING", "MIS_START"),
    "SWEpisodes": ("CHILD", "SW_ID", "SW_DECOM"),
    "OC2": ("CHILD",),
}
# Stand-ins for what SWEpisodes does not say about a worker, so allocations can refer to them.
IMPORTED_TEAM = "903"


def csv_files(paths: Sequence[str | Path]) -> list[list[Path]]:
    """The CSV files of each year given: a folder, or files of one year."""
    groups: dict[Path, list[Path]] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
            if not files:
                raise UserError(f"{path}: no .csv files in the folder")
            groups.setdefault(path, []).extend(files)
        elif path.is_file():
            groups.setdefault(path.parent, []).append(path)
        else:
            raise UserError(f"{path}: no such file or folder")
    return list(groups.values())


def identify(path: Path, columns: Iterable[str]) -> Table903:
    found = set(columns)
    for table in TABLES_903:
        if set(table.columns) == found:
            return table
    raise UserError(
        f"{path}: line 1: the columns ({', '.join(columns)}) are not those of any SSDA903 "
        f"table ({', '.join(t.name for t in TABLES_903)})"
    )


def read_year(files: list[Path]) -> tuple[int, dict[str, pl.DataFrame]]:
    """One year's tables, parsed (dates as dates), and the collection year they are for."""
    frames: dict[str, pl.DataFrame] = {}
    seen: dict[str, Path] = {}
    for path in files:
        raw = read_csv_text(path)
        table = identify(path, raw.columns)
        if table.name in seen:
            raise UserError(f"{path}: a second {table.name} table in the same year "
                            f"(the first is {seen[table.name].name})")
        seen[table.name] = path
        frames[table.name] = _parse(path, table, raw)
    latest = [f.select(pl.max_horizontal(_dates(t)).max()).item()
              for t, f in ((TABLE_OF[n], f) for n, f in frames.items()) if _dates(t)]
    latest = [d for d in latest if d is not None]
    year = _year_in_name(files[0].parent)
    if year is None:
        if not latest:
            raise UserError(f"{files[0].parent}: no dated rows, so the collection year cannot "
                            "be told; name the folder after the year (e.g. 2024 for 2023-24)")
        year = collection_year(max(latest))
    elif latest and collection_year(max(latest)) > year:
        raise UserError(f"{files[0].parent}: the folder's name says {year - 1}-{year % 100:02d} "
                        f"but it holds dates up to {max(latest):%d/%m/%Y}")

    return year, {name: f.with_columns(pl.lit(year).alias(_YEAR)) for name, f in frames.items()}


TABLE_OF = {t.name: t for t in TABLES_903}


def _year_in_name(folder: Path) -> int | None:
    """The year a folder's name gives ("2024", "903_2023-24"), if any.

    The name is trusted first: a small return may hold no date in its own year (every
    episode open since an earlier year, no review or missing episode in this one).
    Without it the year is that of the latest date in the files."""
    if found := re.findall(r"(20\d\d)-(\d\d)(?!\d)", folder.name):
        return int(found[-1][0]) + 1
    if found := re.findall(r"(?<!\d)(20\d\d)(?!\d)", folder.name):
        return int(found[-1])
    return None


def _dates(table: Table903) -> list[pl.Expr]:
    # Birth dates say nothing about the year of the return, and DUC may be ahead of it:
    # a UASC's 18th birthday, known in advance.
    return [pl.col(d) for d in table.dates if d not in ("DOB", "MC_DOB", "DUC")]


def _parse(path: Path, table: Table903, raw: pl.DataFrame) -> pl.DataFrame:
    frame = raw.with_row_index(_LINE, offset=2)  # line 1 is the header
    for column in REQUIRED.get(table.name, ("CHILD",)):
        blank = frame.filter(pl.col(column).is_null())
        if blank.height:
            line = blank[_LINE][0]
            raise UserError(f"{path}: line {line}: {column} is blank; it is required")
    parsed = frame.with_columns(
        pl.col(d).str.strptime(pl.Date, DATE_FORMAT, strict=False).alias(d) for d in table.dates
    )
    for d in table.dates:
        bad = parsed.filter(pl.col(d).is_null() & frame[d].is_not_null())
        if bad.height:
            value = frame.filter(pl.col(_LINE) == bad[_LINE][0])[d][0]
            raise UserError(f"{path}: line {bad[_LINE][0]}: {d} {value!r} is not a date "
                            "in the form DD/MM/YYYY")
    checks = dict(CODED.get(table.name, {}))
    for column, code_list in checks.items():
        _check_codes(path, parsed, column, codes_for(code_list))
    if "SEX" in table.columns:
        _check_codes(path, parsed, "SEX", frozenset(SEX_CODES))
    return parsed


def _check_codes(path: Path, frame: pl.DataFrame, column: str, codes: frozenset[str]) -> None:
    bad = frame.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(sorted(codes)))
    if bad.height:
        raise UserError(f"{path}: line {bad[_LINE][0]}: {column} {bad[column][0]!r} is not "
                        f"a code of the SSDA903 (expected one of {', '.join(sorted(codes))})")


def read_903(
    paths: Sequence[str | Path], *, la_code: str, la_name: str | None = None
) -> dict[str, pl.DataFrame]:
    """A child-level dataset from one or more years of SSDA903 files of one authority."""
    years: dict[int, dict[str, pl.DataFrame]] = {}
    for files in csv_files(paths):
        year, frames = read_year(files)
        if year in years:
            raise UserError(f"{files[0].parent}: a second set of files for "
                            f"{year - 1}-{year % 100:02d}")
        years[year] = frames
    combined = {
        t.name: pl.concat([f[t.name] for f in years.values() if t.name in f], how="vertical")
        for t in TABLES_903 if any(t.name in f for f in years.values())
    }
    first, last = min(years), max(years)
    return _dataset(combined, la_code, la_name or f"Authority {la_code}",
                    year_bounds(first)[0], year_bounds(last)[1])


def _latest(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """One row per key: the one from the latest year."""
    return frame.sort(_YEAR).unique(key, keep="last", maintain_order=True).sort(key)


def _table(combined: dict[str, pl.DataFrame], name: str) -> pl.DataFrame:
    if name in combined:
        return combined[name]
    columns = {c: pl.String for c in TABLE_OF[name].columns}
    columns.update({d: pl.Date for d in TABLE_OF[name].dates})
    return pl.DataFrame(schema={**columns, _YEAR: pl.Int32, _LINE: pl.UInt32})


def _dataset(combined: dict[str, pl.DataFrame], la: str, la_name: str,
             period_start: date, period_end: date) -> dict[str, pl.DataFrame]:
    header = _latest(_table(combined, "Header"), ["CHILD"])
    uasc = _latest(_table(combined, "UASC"), ["CHILD"])
    known = set(header["CHILD"].to_list())
    for name, frame in combined.items():
        if name == "Header":
            continue
        stray = frame.filter(~pl.col("CHILD").is_in(sorted(known)))
        if stray.height:
            raise UserError(f"{name} (year ending 31 March {stray[_YEAR][0]}): line "
                            f"{stray[_LINE][0]}: CHILD {stray['CHILD'][0]!r} is not in Header")
    lit_la = pl.lit(la).alias("la_code")

    children = header.join(uasc.select("CHILD", "DUC", is_uasc=pl.lit(True)), on="CHILD",
                           how="left").select(
        lit_la,
        child_id=pl.col("CHILD"),
        # UN1-UN5 are the DfE's "UPN unknown" codes, not UPNs.
        upn=pl.when(pl.col("UPN").str.contains(r"^UN\d$")).then(None).otherwise(pl.col("UPN")),
        sex=pl.col("SEX").replace_strict(SEX_CODES, default="U").fill_null("U"),
        date_of_birth="DOB",
        ethnicity="ETHNIC",
        disabilities=pl.lit([], pl.List(pl.String)),
        uasc=pl.col("is_uasc").fill_null(False),
        uasc_ceased_date="DUC",
        mother=pl.col("MOTHER").replace_strict({"1": True, "0": False}, default=None,
                                               return_dtype=pl.Boolean),
        mother_child_dob="MC_DOB",
    )

    episodes = _latest(_table(combined, "Episodes"), ["CHILD", "DECOM"])
    starts = (pl.col("RNE") == "S") | (pl.int_range(pl.len()) == 0)
    episodes = episodes.sort("CHILD", "DECOM").with_columns(
        period_start=pl.when(starts).then(pl.col("DECOM")).forward_fill().over("CHILD")
    ).select(
        lit_la, child_id=pl.col("CHILD"),
        # The 903 has no period-of-care identifier: a period starts with RNE S.
        period_of_care_id=pl.col("CHILD") + "-" + pl.col("period_start").dt.strftime("%Y%m%d"),
        decom="DECOM", rne="RNE", ls="LS", cin="CIN", place="PLACE",
        place_provider="PLACE_PROVIDER", dec="DEC", rec="REC",
        reason_place_change="REASON_PLACE_CHANGE", home_post="HOME_POST", pl_post="PL_POST",
        urn="URN",
    )
    # PrevPerm belongs to the period begun in its year: its first episode (the latest, if
    # several began).
    year_of = pl.col("decom").dt.year() + (pl.col("decom").dt.month() >= 4).cast(pl.Int32)
    firsts = (episodes.filter(pl.col("rne") == "S")
              .select("child_id", "decom", **{_YEAR: year_of.cast(pl.Int32)})
              .sort("decom").unique(["child_id", _YEAR], keep="last"))
    prev_perm = _table(combined, "PrevPerm").select(
        child_id=pl.col("CHILD"), **{_YEAR: pl.col(_YEAR).cast(pl.Int32)},
        prev_perm="PREV_PERM", prev_perm_la="LA_PERM", prev_perm_date="DATE_PERM")
    episodes = episodes.join(
        firsts.join(prev_perm, on=["child_id", _YEAR], how="inner").drop(_YEAR),
        on=["child_id", "decom"], how="left")

    reviews = _latest(_table(combined, "Reviews"), ["CHILD", "REVIEW"]).select(
        lit_la, child_id=pl.col("CHILD"), review_date="REVIEW", participation="REVIEW_CODE"
    )
    missing = _latest(_table(combined, "Missing"), ["CHILD", "MIS_START"]).select(
        lit_la, child_id=pl.col("CHILD"), missing="MISSING", start_date="MIS_START",
        end_date="MIS_END",
    )

    placed = _latest(_table(combined, "PlacedAdoption"), ["CHILD", "DATE_PLACED"]).select(
        "CHILD", date_decision="DATE_PLACED", date_decision_ceased="DATE_PLACED_CEASED",
        reason_decision_ceased="REASON_PLACED_CEASED",
    )
    ad1 = _latest(_table(combined, "AD1"), ["CHILD", "DATE_INT"]).select(
        "CHILD", date_decision="DATE_INT", date_match="DATE_MATCH",
        number_of_adopters=pl.col("NB_ADOPTR").cast(pl.Int64, strict=False),
        sex_of_adopters="SEX_ADOPTR", legal_status_of_adopters="LS_ADOPTR",
    )
    adopted = episodes.filter(pl.col("rec").is_in(ADOPTED)).select(
        CHILD=pl.col("child_id"), date_adopted="dec"
    ).unique("CHILD", keep="last")
    adoption = (
        placed.join(ad1, on=["CHILD", "date_decision"], how="full", coalesce=True)
        .join(adopted, on="CHILD", how="left")
        .select(
            lit_la, child_id=pl.col("CHILD"), date_decision="date_decision",
            date_match="date_match",
            # The adoption order is the episode that ceased E11/E12 after the decision.
            date_adopted=pl.when(pl.col("date_adopted") >= pl.col("date_decision"))
            .then(pl.col("date_adopted")),
            date_decision_ceased="date_decision_ceased",
            reason_decision_ceased="reason_decision_ceased",
            number_of_adopters="number_of_adopters", sex_of_adopters="sex_of_adopters",
            legal_status_of_adopters="legal_status_of_adopters",
        )
        .sort("child_id", "date_decision")
    )

    oc3 = _table(combined, "OC3")
    leavers = pl.concat([
        oc3.filter(pl.col(_YEAR) == year).select(
            lit_la, child_id=pl.col("CHILD"),
            # The 903 says only which birthday a contact was for: it is dated that day.
            contact_date=birthday_in_year(pl.col("DOB"), year),
            in_touch="IN_TOUCH", activity="ACTIV", accommodation="ACCOM",
        )
        for year in sorted(set(oc3[_YEAR].to_list()))
    ] or [pl.DataFrame(schema={"la_code": pl.String, "child_id": pl.String,
                               "contact_date": pl.Date, "in_touch": pl.String,
                               "activity": pl.String, "accommodation": pl.String})])

    sw = _latest(_table(combined, "SWEpisodes"), ["CHILD", "SW_DECOM"])
    # SW_REASON is why the episode's worker was assigned: the dataset keeps it as the
    # reason the allocation ending that day ended (FCONTA follows no allocation).
    following = sw.filter(pl.col("SW_REASON") != FIRST_ALLOCATION).select(
        "CHILD", SW_DEC="SW_DECOM", reason_ended="SW_REASON").unique(["CHILD", "SW_DEC"])
    allocations = sw.join(following, on=["CHILD", "SW_DEC"], how="left").sort(
        "CHILD", "SW_DECOM").select(
        lit_la, child_id=pl.col("CHILD"), worker_id="SW_ID", start_date="SW_DECOM",
        end_date="SW_DEC", reason_ended="reason_ended",
    )
    workers = sw.group_by("SW_ID").agg(pl.col("SW_DECOM").min()).sort("SW_ID").select(
        lit_la, worker_id="SW_ID", team_id=pl.lit(IMPORTED_TEAM), role=pl.lit("social_worker"),
        start_date="SW_DECOM", agency=pl.lit(False),
    )
    teams = pl.DataFrame({"la_code": [la], "team_id": [IMPORTED_TEAM],
                          "team_name": ["Social workers named in the SSDA903"],
                          "service": ["looked_after"]}) if workers.height else None

    tables = {
        "authorities": pl.DataFrame({"la_code": [la], "la_name": [la_name],
                                     "period_start": [period_start], "period_end": [period_end]}),
        "children": children, "episodes": episodes, "cla_reviews": reviews,
        "missing_episodes": missing, "adoption": adoption, "care_leaver_contacts": leavers,
        "allocations": allocations, "workers": workers,
    }
    if teams is not None:
        tables["teams"] = teams
    return {name: conform(name, frame) for name, frame in tables.items()}
