"""Bad input at the command line: one line naming what is wrong, exit status 2, no
traceback (issue 2)."""

from __future__ import annotations

import shutil

import pytest

from childrenmatter.config.cli import main


def run(capsys, *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    err = capsys.readouterr().err
    return status, err


def one_line(message: str) -> bool:
    return message.count("\n") == 1 and "Traceback" not in message


def test_an_unknown_preset_is_refused_naming_the_presets(capsys, tmp_path):
    status, err = run(capsys, "simulate", "--preset", "narnia-2018", "--out", str(tmp_path / "x"))
    assert status == 2 and one_line(err)
    assert "narnia-2018" in err and "middlesbrough-2018" in err and "england-2025" in err
    assert not (tmp_path / "x").exists()


def test_a_folder_that_is_not_a_dataset_is_refused(capsys, tmp_path):
    status, err = run(capsys, "indicators", "--dataset", str(tmp_path), "--at", "2018-12-21")
    assert status == 2 and one_line(err)
    assert "not a dataset folder" in err


def test_a_date_outside_the_data_is_refused(capsys, small_dataset_folder):
    status, err = run(capsys, "indicators", "--dataset", str(small_dataset_folder),
                      "--at", "2030-01-01")
    assert status == 2 and one_line(err)
    assert "after the data, which ends on 2018-12-21" in err


def test_a_date_in_the_wrong_form_is_refused(capsys, small_dataset_folder):
    status, err = run(capsys, "indicators", "--dataset", str(small_dataset_folder),
                      "--at", "21/12/2018")
    assert status == 2 and one_line(err)
    assert "--at" in err and "YYYY-MM-DD" in err


@pytest.mark.parametrize("damage", ["garbage", "missing"])
def test_a_malformed_table_is_refused_naming_the_file(capsys, tmp_path, small_dataset_folder,
                                                      damage):
    folder = tmp_path / "broken"
    shutil.copytree(small_dataset_folder, folder)
    if damage == "garbage":
        (folder / "episodes.parquet").write_bytes(b"this is not parquet")
    else:
        (folder / "episodes.parquet").unlink()
    status, err = run(capsys, "indicators", "--dataset", str(folder), "--at", "2018-12-21")
    assert status == 2 and one_line(err)
    assert "episodes" in err
