"""Reading SSDA903 files that are wrong: one line naming the file, the line and the field,
exit status 2, and no dataset folder half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
from returns_builders import LA, hand_built

from childrenmatter.config.cli import main
from childrenmatter.returns.files import replace_folder
from childrenmatter.returns.ssda903 import write_903, write_903_files


def export(tmp_path: Path) -> Path:
    return_903 = write_903(hand_built(), 2024, authority=LA)
    return replace_folder(tmp_path / "2024", lambda f: write_903_files(return_903, f))


def read(tmp_path: Path, folder: Path, capsys) -> tuple[int, str]:
    status = main(["returns", "read", "903", str(folder), "--la-code", LA,
                   "--out", str(tmp_path / "out")])
    return status, capsys.readouterr().err


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("Episodes.csv", "10/01/2023", "2023-01-10",
     "Episodes.csv: line 2: DECOM '2023-01-10' is not a date in the form DD/MM/YYYY"),
    ("Episodes.csv", ",U4,", ",Q9,", "Episodes.csv: line 2: PLACE 'Q9' is not a code"),
    ("Header.csv", "CHILD,SEX", "CHILD,GENDER", "Header.csv: line 1: the columns"),
    ("Reviews.csv", "C1,01/05/2010", ",01/05/2010", "Reviews.csv: line 2: CHILD is blank"),
    ("Header.csv", "C7,", "C77,", "Episodes (year ending 31 March 2024): line"),
])
def test_a_wrong_file_is_named_with_line_and_field(tmp_path, capsys, file, old, new, expected):
    folder = export(tmp_path)
    replace_in(folder / file, old, new)
    status, err = read(tmp_path, folder, capsys)
    assert status == 2
    assert expected in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_malformed_csv_is_refused(tmp_path, capsys):
    folder = export(tmp_path)
    (folder / "Missing.csv").write_bytes(b'CHILD,DOB,MISSING,MIS_START,MIS_END\n"C1,"x\n')
    status, err = read(tmp_path, folder, capsys)
    assert status == 2 and "Missing.csv" in err


def test_windows_1252_text_is_read(tmp_path, capsys):
    folder = export(tmp_path)
    header = folder / "Header.csv"
    # A byte that is not UTF-8 (0xA0, a Windows no-break space) in a blank cell.
    header.write_bytes(header.read_bytes().replace(b",,\n", b",\xa0,\n", 1))
    status, err = read(tmp_path, folder, capsys)
    assert status == 0, err


def test_a_folder_without_csv_files_is_refused(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    status, err = read(tmp_path, tmp_path / "empty", capsys)
    assert status == 2 and "no .csv files" in err


def test_an_existing_dataset_is_kept_when_the_new_one_fails(tmp_path, capsys):
    folder = export(tmp_path)
    assert read(tmp_path, folder, capsys)[0] == 0
    before = sorted(p.name for p in (tmp_path / "out").iterdir())
    replace_in(folder / "Episodes.csv", ",U4,", ",Q9,")
    assert read(tmp_path, folder, capsys)[0] == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == before
