"""``childrenmatter indicators``: every indicator at a date, monthly series, and the docs page."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from childrenmatter.config.cli import main
from childrenmatter.insight.docs import indicators_markdown
from childrenmatter.insight.indicators import INDICATORS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
STOCK_KEYS = ("looked_after", "cp_plans", "cin_local", "cin_dfe")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_at_a_date_the_four_stock_figures_keep_their_shape_beside_every_other(
    capsys, small_dataset_folder, small_dataset_figures
):
    for when, expected in small_dataset_figures.items():
        status, out, _ = run(capsys, "indicators", "--dataset", str(small_dataset_folder),
                             "--at", when.isoformat(), "--authority", "806", "--format", "json")
        assert status == 0
        shown = json.loads(out)
        assert {k: shown[k] for k in STOCK_KEYS} == expected
        assert list(shown) == [i.name for i in INDICATORS]


def test_a_monthly_series_is_keyed_by_month_then_indicator(capsys, small_dataset_folder):
    status, out, _ = run(capsys, "indicators", "--dataset", str(small_dataset_folder),
                         "--from", "2018-01", "--to", "2018-03", "--authority", "806",
                         "--format", "json")
    assert status == 0
    series = json.loads(out)
    assert list(series) == ["2018-01", "2018-02", "2018-03"]
    # D was referred on 15 January 2018 and her plan started on 1 February.
    assert series["2018-01"]["referrals"] == {"count": 1, "rate_per_10k": 0.3}
    assert series["2018-02"]["cp_plan_starts"] == {"count": 1, "rate_per_10k": 0.3}
    assert series["2018-03"]["referrals"]["count"] == 1  # F, 1 March
    # B left care on 31 March 2018, so is not looked after at the end of March.
    assert series["2018-02"]["looked_after"]["count"] == 1
    assert series["2018-03"]["looked_after"]["count"] == 0


def test_a_monthly_series_as_csv_has_a_row_per_month_and_indicator(capsys, small_dataset_folder):
    status, out, _ = run(capsys, "indicators", "--dataset", str(small_dataset_folder),
                         "--from", "2018-01", "--to", "2018-02", "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 * len(INDICATORS)
    first = rows[0]
    assert set(first) == {"period", "indicator", "unit", "count", "rate_per_10k", "percent",
                          "numerator", "denominator", "days", "average", "hours"}
    referrals = next(r for r in rows if r["indicator"] == "referrals")
    # Both authorities together: D in Middlesbrough and A in Hartlepool, January 2018.
    assert (referrals["period"], referrals["count"], referrals["percent"]) == ("2018-01", "2", "")


def test_the_table_format_shows_every_indicator(capsys, small_dataset_folder):
    status, out, _ = run(capsys, "indicators", "--dataset", str(small_dataset_folder),
                         "--at", "2018-12-21")
    assert status == 0
    for indicator in INDICATORS:
        assert indicator.name in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--from", "2018-03", "--to", "2018-01"), "--from 2018-03 is after --to 2018-01"),
        (("--from", "2018-01", "--to", "2018-02", "--authority", "999"),
         "--authority 999: not in the dataset"),
        (("--from", "2017-03", "--to", "2018-01"), "--from 2017-03: before the data"),
        (("--from", "2018-01", "--to", "2018-12"), "--to 2018-12: the month runs past the data"),
        (("--from", "2018-1", "--to", "2018-02"), "not a month in the form YYYY-MM"),
        (("--from", "2018-01"), "--from and --to go together"),
        (("--at", "2018-12-21", "--from", "2018-01", "--to", "2018-02"), "--at cannot be given"),
        ((), "give --at YYYY-MM-DD, or --from YYYY-MM and --to YYYY-MM"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(capsys, small_dataset_folder, argv, message):
    status, _, err = run(capsys, "indicators", "--dataset", str(small_dataset_folder), *argv)
    assert status == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert message in err


def test_without_a_dataset_the_command_asks_for_one(capsys):
    status, _, err = run(capsys, "indicators", "--at", "2018-12-21")
    assert status == 2 and "--dataset DIR is required" in err


def test_docs_writes_the_page(capsys, tmp_path):
    out = tmp_path / "indicators.md"
    assert main(["indicators", "docs", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text == indicators_markdown()
    for indicator in INDICATORS:
        assert f"### `{indicator.name}`" in text


def test_docs_in_the_repository_are_up_to_date():
    assert DOCS.read_text(encoding="utf-8") == indicators_markdown(), (
        "docs/indicators.md is out of date: run `childrenmatter indicators docs`")
