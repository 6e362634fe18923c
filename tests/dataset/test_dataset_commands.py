"""``childrenmatter dataset check`` and ``dataset docs``, and docs/dataset.md kept current."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from dataset_builders import with_value

from childrenmatter.config import cli
from childrenmatter.dataset.commands import dataset_markdown
from childrenmatter.dataset.io import write_dataset
from childrenmatter.dataset.schema import TABLES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "dataset.md"
Tables = dict[str, pl.DataFrame]


@pytest.fixture(autouse=True)
def only_dataset_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    # The command line as a user meets it, without depending on other parts' commands.
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("childrenmatter.dataset.commands",))


def test_check_says_a_valid_dataset_is_valid(tables: Tables, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_dataset(tables, tmp_path / "seatown")
    assert cli.main(["dataset", "check", str(folder)]) == 0
    out = capsys.readouterr().out.strip()
    assert len(out.splitlines()) == 1
    assert "a valid dataset" in out and "episodes 2" in out and "children 4" in out


def test_check_lists_the_problems_and_fails(tables: Tables, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    broken = with_value(tables, "episodes", 0, "place", "K3")
    folder = write_dataset(with_value(broken, "visits", 1, "child_id", "C9"), tmp_path / "bad")
    assert cli.main(["dataset", "check", str(folder)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split() == ["table", "row", "column", "rule", "child_id", "message"]
    assert lines[1].split()[:5] == ["visits", "1", "child_id", "reference", "C9"]
    assert lines[2].split()[:5] == ["episodes", "0", "place", "code_year", "C2"]
    assert lines[-1].endswith("2 problems (code_year 1, reference 1)")


def test_check_can_answer_in_json(tables: Tables, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_dataset(with_value(tables, "children", 2, "sex", "X"), tmp_path / "bad")
    assert cli.main(["dataset", "check", str(folder), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False and report["total"] == 1
    assert report["problems"] == [{"table": "children", "row": 2, "column": "sex",
                                   "rule": "code", "message": "sex 'X' is not a sex code",
                                   "child_id": "C3"}]


def test_check_json_of_a_valid_dataset_counts_its_rows(tables: Tables, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    folder = write_dataset(tables, tmp_path / "seatown")
    assert cli.main(["dataset", "check", str(folder), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is True
    assert report["rows"] == {name: frame.height for name, frame in tables.items()}


def test_check_of_a_folder_that_is_not_a_dataset_exits_2(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    assert cli.main(["dataset", "check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is not a dataset folder" in err and len(err.strip().splitlines()) == 1


def test_docs_writes_the_description(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "docs" / "dataset.md"
    assert cli.main(["dataset", "docs", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text == dataset_markdown()
    for table in TABLES.values():
        assert f"\n### {table.name}\n" in text
        for column in table.columns:
            assert f"| `{column.name}` |" in text


def test_docs_in_the_repository_are_up_to_date() -> None:
    assert DOCS.read_text(encoding="utf-8") == dataset_markdown(), (
        "docs/dataset.md is out of date: run `childrenmatter dataset docs`")
