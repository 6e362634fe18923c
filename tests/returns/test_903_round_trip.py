"""Writing the SSDA903 and reading it back: files as the specification defines them, and
``read(write(x))`` equal to what the 903 carries of ``x``."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from returns_builders import LA, as_carried, carried_903, frame, hand_built

from childrenmatter.config.cli import main
from childrenmatter.dataset.codes import codes_for
from childrenmatter.dataset.io import read_dataset, write_dataset
from childrenmatter.errors import UserError
from childrenmatter.returns.files import replace_folder
from childrenmatter.returns.read903 import read_903
from childrenmatter.returns.ssda903 import tables_for, write_903, write_903_files


def write_years(tables: dict[str, pl.DataFrame], years: list[int], root: Path) -> list[Path]:
    folders = []
    for year in years:
        return_903 = write_903(tables, year, authority=LA)
        folders.append(replace_folder(root / str(year),
                                      lambda f, r=return_903: write_903_files(r, f)))
    return folders


def csv_rows(path: Path) -> list[list[str]]:
    with open(path, newline="") as handle:
        return list(csv.reader(handle))


def test_each_year_has_the_tables_of_its_specification():
    assert [t.name for t in tables_for(2023)] == [
        "Header", "Episodes", "Reviews", "UASC", "OC2", "OC3", "AD1", "PlacedAdoption",
        "PrevPerm", "Missing"]
    assert [t.name for t in tables_for(2024)][-1] == "SWEpisodes"
    with pytest.raises(UserError, match="2016"):
        tables_for(2016)


def test_the_files_have_the_headers_codes_and_dates_of_2023_24(tmp_path):
    (folder,) = write_years(hand_built(), [2024], tmp_path)
    header = csv_rows(folder / "Header.csv")
    assert header[0] == ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
    by_child = {row[0]: row for row in header[1:]}
    # 2023-24 still codes sex 1/2; an unknown sex has no code that year.
    assert by_child["C1"][1:5] == ["2", "01/05/2010", "WBRI", "A123456789012"]
    assert by_child["C2"][1] == "1"
    assert by_child["C3"][1] == "" and by_child["C3"][4] == "UN1"
    # Looked after in the year, or a care leaver with a birthday in it; never C5 (only a
    # child in need), C6 (left care in 2021) or the other authority's C1.
    assert sorted(by_child) == ["C1", "C2", "C3", "C4", "C7"]
    episodes = csv_rows(folder / "Episodes.csv")
    assert episodes[0] == ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER",
                           "DEC", "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]
    c3 = [row for row in episodes[1:] if row[0] == "C3"]
    # C3's adoption in October 2024 is after this year: the episode is open at 31 March.
    assert c3[1][1:10] == ["01/12/2023", "U", "E1", "N1", "A5", "PR1", "", "", ""]
    missing = csv_rows(folder / "Missing.csv")
    assert missing[1] == ["C1", "01/05/2010", "M", "20/03/2024", ""]
    assert csv_rows(folder / "SWEpisodes.csv")[0] == [
        "CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"]
    assert csv_rows(folder / "UASC.csv")[1:] == [["C2", "09/01/2007", "1", "09/01/2025"]]
    assert csv_rows(folder / "OC3.csv")[1:] == [["C4", "15/06/2006", "YES", "F2", "Z1"]]
    assert csv_rows(folder / "PrevPerm.csv") == [
        ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"]]


def test_2024_25_codes_sex_m_f_u_and_reports_the_adoption(tmp_path):
    (folder,) = write_years(hand_built(), [2025], tmp_path)
    header = {row[0]: row for row in csv_rows(folder / "Header.csv")[1:]}
    assert (header["C1"][1], header["C2"][1], header["C3"][1]) == ("F", "M", "U")
    assert csv_rows(folder / "AD1.csv")[1:] == [
        ["C3", "03/03/2021", "01/08/2023", "01/11/2023", "1", "2", "FF", "L12"]]
    assert csv_rows(folder / "OC3.csv")[1:] == [["C4", "15/06/2006", "NO", "0", "0"]]
    # SW_REASON is why the worker was assigned: the first allocation is the first contact,
    # the next one carries the reason the previous worker's allocation ended.
    assert csv_rows(folder / "SWEpisodes.csv")[1:] == [
        ["C1", "01/05/2010", "SW001", "10/01/2023", "15/04/2024", "FCONTA"],
        ["C1", "01/05/2010", "SW002", "15/04/2024", "", "LEFTRL"]]


def test_read_of_write_gives_back_what_the_903_carries(tmp_path):
    tables = hand_built()
    folders = write_years(tables, [2023, 2024, 2025], tmp_path)
    read = read_903(folders, la_code=LA, la_name="Seatown")
    assert as_carried(read) == carried_903(tables, [2023, 2024, 2025])
    adoption = read["adoption"].row(0, named=True)
    assert (adoption["date_match"], adoption["date_adopted"]) == (
        date(2023, 11, 1), date(2024, 10, 1))
    assert (adoption["number_of_adopters"], adoption["sex_of_adopters"],
            adoption["legal_status_of_adopters"]) == (2, "FF", "L12")


def test_mother_is_given_for_girls_once_her_child_is_born_and_read_back(tmp_path):
    tables = hand_built()
    tables["children"] = tables["children"].with_columns(
        mother=pl.when(pl.col("child_id") == "C1").then(True).otherwise(pl.col("mother")),
        mother_child_dob=pl.when(pl.col("child_id") == "C1").then(date(2024, 6, 1)))
    folders = write_years(tables, [2024, 2025], tmp_path)

    def mother_of(folder: Path) -> dict[str, tuple[str, str]]:
        rows = csv_rows(folder / "Header.csv")
        at = rows[0].index("MOTHER")
        return {r[0]: (r[at], r[at + 1]) for r in rows[1:]}

    # Her child is born after 31 March 2024: not yet a mother in 2023-24. C2 is a boy.
    assert mother_of(folders[0])["C1"] == ("0", "")
    assert mother_of(folders[1])["C1"] == ("1", "01/06/2024")
    assert mother_of(folders[1])["C2"] == ("", "")
    read = read_903(folders, la_code=LA)["children"].filter(pl.col("child_id") == "C1")
    assert read.select("mother", "mother_child_dob").row(0) == (True, date(2024, 6, 1))


def test_previous_permanence_is_written_for_each_period_begun_and_read_back(tmp_path):
    tables = hand_built()
    first, second = date(2023, 4, 10), date(2024, 5, 1)
    c7 = pl.col("child_id") == "C7"
    tables["episodes"] = tables["episodes"].with_columns(
        prev_perm=pl.when(c7 & (pl.col("decom") == first)).then(pl.lit("Z1"))
        .when(c7 & (pl.col("decom") == second)).then(pl.lit("P3")),
        prev_perm_la=pl.when(c7 & (pl.col("decom") == second)).then(pl.lit(LA)),
        prev_perm_date=pl.when(c7 & (pl.col("decom") == second)).then(date(2023, 7, 1)))
    folders = write_years(tables, [2024, 2025], tmp_path)
    assert csv_rows(folders[0] / "PrevPerm.csv")[1:] == [["C7", "09/09/2013", "Z1", "", ""]]
    assert csv_rows(folders[1] / "PrevPerm.csv")[1:] == [
        ["C7", "09/09/2013", "P3", LA, "01/07/2023"]]
    read = read_903(folders, la_code=LA)["episodes"].filter(pl.col("child_id") == "C7")
    assert read.sort("decom").select("prev_perm", "prev_perm_la", "prev_perm_date").rows() == [
        ("Z1", None, None), ("P3", LA, date(2023, 7, 1))]


def test_years_are_told_apart_whatever_order_the_folders_are_given(tmp_path):
    tables = hand_built()
    folders = write_years(tables, [2024, 2025], tmp_path)
    forwards = read_903(folders, la_code=LA)
    backwards = read_903(folders[::-1], la_code=LA)
    assert all(forwards[name].equals(backwards[name]) for name in forwards)


def test_the_commands_write_and_read_a_dataset_folder(tmp_path, capsys):
    dataset = write_dataset(hand_built(), tmp_path / "dataset")
    for year in (2024, 2025):
        assert main(["returns", "write", "903", "--dataset", str(dataset), "--year", str(year),
                     "--authority", LA, "--out", str(tmp_path / f"903-{year}")]) == 0
    assert main(["returns", "read", "903", str(tmp_path / "903-2024"), str(tmp_path / "903-2025"),
                 "--la-code", LA, "--la-name", "Seatown", "--out", str(tmp_path / "back")]) == 0
    back = read_dataset(tmp_path / "back")
    assert as_carried(back) == carried_903(hand_built(), [2024, 2025])
    assert "Header 5" in capsys.readouterr().out


def test_the_write_command_needs_an_authority_when_there_are_several(tmp_path, capsys):
    dataset = write_dataset(hand_built(), tmp_path / "dataset")
    assert main(["returns", "write", "903", "--dataset", str(dataset), "--year", "2024",
                 "--out", str(tmp_path / "out")]) == 2
    assert "--authority" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# --- generated datasets ----------------------------------------------------------------------

YEARS = [2023, 2024, 2025]
START = date(2021, 1, 1)
DAYS = (date(2025, 6, 30) - START).days


def _pick(name: str, year: int) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(codes_for(name, year)))


@st.composite
def datasets(draw) -> dict[str, pl.DataFrame]:
    children, episodes, reviews, missing, leavers = [], [], [], [], []
    for n in range(draw(st.integers(1, 4))):
        child = f"G{n}"
        dob = START - timedelta(days=draw(st.integers(0, 20 * 365)))
        children.append({"la_code": LA, "child_id": child, "sex": draw(st.sampled_from("MFU")),
                         "date_of_birth": dob, "ethnicity": draw(_pick("ethnicity", 2025)),
                         "upn": draw(st.none() | st.just(f"X{n:012d}")),
                         "disabilities": [], "uasc": draw(st.booleans())})
        if children[-1]["uasc"]:
            children[-1]["uasc_ceased_date"] = _birthday(dob, 18)
        day = START + timedelta(days=draw(st.integers(0, DAYS // 2)))
        first = True
        for _ in range(draw(st.integers(0, 4))):
            length = draw(st.integers(1, 400))
            dec = day + timedelta(days=length)
            ends = draw(st.booleans()) or dec > date(2025, 6, 30)
            year = day.year + (day.month >= 4)
            episodes.append({
                "la_code": LA, "child_id": child, "period_of_care_id": f"{child}P",
                "decom": day, "rne": "S" if first else draw(st.sampled_from("LPTUB")),
                "ls": draw(_pick("legal_status", year)), "cin": "N2",
                "place": draw(st.sampled_from(["U1", "U4", "K2", "R1"])),
                "place_provider": draw(st.none() | _pick("placement_provider", year)),
                "dec": None if ends else dec,
                "rec": None if ends else "X1",
                "urn": draw(st.none() | st.just("SC999999"))})
            first = False
            if ends:
                break
            day = dec
        for _ in range(draw(st.integers(0, 3))):
            when = START + timedelta(days=draw(st.integers(0, DAYS)))
            reviews.append({"la_code": LA, "child_id": child, "review_date": when,
                            "participation": draw(_pick("review_participation", 2025))})
            end = when + timedelta(days=draw(st.integers(0, 60)))
            missing.append({"la_code": LA, "child_id": child, "missing": "M",
                            "start_date": when, "end_date": end})
        for age in range(17, 22):
            if draw(st.booleans()):
                contact = _birthday(dob, age) + timedelta(days=draw(st.integers(-60, 30)))
                leavers.append({"la_code": LA, "child_id": child, "contact_date": contact,
                                "in_touch": "YES", "activity": "G5", "accommodation": "U1"})
    rows = {
        "authorities": [{"la_code": LA, "la_name": "Seatown", "statistical_neighbours": []}],
        "children": children, "episodes": episodes, "cla_reviews": _unique(reviews, 2),
        "missing_episodes": _unique(missing, 3), "adoption": [],
        "care_leaver_contacts": _unique(leavers, 2), "allocations": [],
    }
    return {name: frame(name, r) for name, r in rows.items()}


def _unique(rows: list[dict], key_at: int) -> list[dict]:
    seen, out = set(), []
    for row in rows:
        key = (row["child_id"], list(row.values())[key_at])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _birthday(dob: date, age: int) -> date:
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:
        return date(dob.year + age, 2, 28)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tables=datasets())
def test_read_of_write_holds_for_generated_datasets(tmp_path_factory, tables):
    root = tmp_path_factory.mktemp("generated")
    if not any(write_903(tables, y, authority=LA)["Header"].height for y in YEARS):
        return  # nothing in these years: no files to read
    folders = [f for f, y in zip(write_years(tables, YEARS, root), YEARS, strict=True)
               if write_903(tables, y, authority=LA)["Header"].height]
    read = read_903(folders, la_code=LA)
    expected = carried_903(tables, YEARS)
    got = as_carried(read)
    for name in ("children", "episodes", "cla_reviews", "missing_episodes",
                 "care_leaver_contacts"):
        assert got[name] == expected[name], name


@pytest.mark.slow
def test_read_of_write_holds_for_the_simulated_middlesbrough_2023_24(middlesbrough, tmp_path):
    tables = read_dataset(middlesbrough)
    return_903 = write_903(tables, 2024)
    folder = replace_folder(tmp_path / "903", lambda f: write_903_files(return_903, f))
    read = read_903([folder], la_code="806")
    expected = carried_903(tables, [2024], la="806")
    got = as_carried(read)
    for name, rows in expected.items():
        assert got[name] == rows, name
    assert len(expected["episodes"]) > 1000
