"""``childrenmatter indicators --compare`` and ``indicators children``."""

from __future__ import annotations

import csv
import io
import json

import pytest

from childrenmatter.config.cli import main
from childrenmatter.insight.indicators import INDICATORS


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_compared_series_has_england_neighbours_target_and_rag(capsys, small_dataset_folder,
                                                                 tmp_path):
    targets = tmp_path / "targets.yml"
    targets.write_text("referrals: {target: 1, direction: lower_is_better}\n",
                       encoding="utf-8")
    base = ["indicators", "--dataset", str(small_dataset_folder), "--from", "2018-01",
            "--to", "2018-02", "--authority", "806"]
    status, out, _ = run(capsys, *base, "--compare", "--format", "json",
                         "--targets", str(targets))
    assert status == 0
    series = json.loads(out)
    referrals = series["2018-01"]["referrals"]
    # Middlesbrough (806) and its neighbour Hartlepool (805) had one referral each in
    # January 2018 (conftest's small dataset).
    assert referrals["count"] == 1
    assert set(referrals) >= {"rate_per_10k", "england", "neighbours", "target", "rag"}
    assert referrals["target"] == 1.0
    assert referrals["rag"] == "green"
    assert referrals["neighbours"] is not None and referrals["england"] is not None

    status, out, _ = run(capsys, *base, "--compare", "--format", "csv",
                         "--neighbours", "805")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 * len(INDICATORS)
    assert list(rows[0])[-4:] == ["england", "neighbours", "target", "rag"]

    status, out, _ = run(capsys, *base, "--compare")
    assert status == 0 and "England" in out and "neighbours" in out

    # Without --compare the output is as before: no comparison keys.
    status, out, _ = run(capsys, *base, "--format", "json")
    assert "england" not in json.loads(out)["2018-01"]["referrals"]


@pytest.mark.parametrize(("extra", "message"), [
    (["--compare"], "--compare needs --authority"),
    (["--authority", "806", "--neighbours", "805"], "go with --compare"),
    (["--authority", "806", "--compare", "--neighbours", "8o5"], "--neighbours"),
    (["--authority", "806", "--compare", "--published", "/nonexistent.csv"],
     "published figures"),
])
def test_comparison_options_used_wrongly_are_refused(capsys, small_dataset_folder, extra,
                                                     message):
    status, _, err = run(capsys, "indicators", "--dataset", str(small_dataset_folder),
                         "--from", "2018-01", "--to", "2018-02", *extra)
    assert status == 2
    assert message in err


def test_the_children_behind_a_count_as_csv_and_json(capsys, small_dataset_folder):
    base = ["indicators", "children", "--dataset", str(small_dataset_folder),
            "--authority", "806"]
    status, out, _ = run(capsys, *base, "--indicator", "referrals", "--month", "2018-01")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1 and rows[0]["child_id"] and rows[0]["referral_date"]
    status, out, _ = run(capsys, *base, "--indicator", "looked_after", "--at", "2018-12-21",
                         "--format", "json")
    assert status == 0
    assert all({"child_id", "start_date"} <= set(r) for r in json.loads(out))
    status, _, err = run(capsys, *base, "--indicator", "nonsense", "--month", "2018-01")
    assert status == 2 and "not an indicator" in err
