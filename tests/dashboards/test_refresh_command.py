"""``childrenmatter refresh``: takes the snapshot once, or refuses a bad interval by name."""

from __future__ import annotations

import pytest

from childrenmatter.config.cli import main
from childrenmatter.dashboards.snapshot import load_snapshot


@pytest.mark.django_db
def test_refresh_takes_the_snapshot_and_says_where(small_dataset_folder, tmp_path, capsys,
                                                   make_staff, monkeypatch):
    from childrenmatter.dashboards import drawing

    # Which charts are drawn is the point here, not drawing them (tests/insight/test_charts).
    monkeypatch.setattr(drawing, "dashboard_chart", lambda name, rows: f"<svg>{name}</svg>")
    make_staff("team_manager", la_code="806")  # someone works for Middlesbrough here
    out = tmp_path / "snapshot"
    assert main(["refresh", "--dataset", str(small_dataset_folder), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "for 2 authorities" in said and str(out) in said
    snapshot = load_snapshot(out)
    assert snapshot.latest_month("806") == "2018-11"
    # Middlesbrough's charts were drawn ahead; Hartlepool's, where nobody works, were not.
    assert snapshot.chart("806", "looked_after") == "<svg>looked_after</svg>"
    assert snapshot.chart("805", "looked_after") is None


def test_an_interval_of_no_minutes_is_refused(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["refresh", "--every", "0"])
    assert stopped.value.code == 2
    assert "the interval must be more than 0 minutes" in capsys.readouterr().err


def test_a_dataset_folder_that_is_not_there_is_one_line(tmp_path, capsys):
    assert main(["refresh", "--dataset", str(tmp_path / "nowhere"), "--out",
                 str(tmp_path / "snapshot"), "--no-charts"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("childrenmatter: error:") and "nowhere" in err
    assert not (tmp_path / "snapshot").exists()


def test_on_a_schedule_a_failed_refresh_is_reported_and_the_next_one_waited_for(
    tmp_path, capsys, monkeypatch
):
    import childrenmatter.dashboards.commands as commands

    waits = []

    def sleep(seconds):
        waits.append(seconds)
        raise KeyboardInterrupt  # stop after the first wait, as an operator would

    monkeypatch.setattr(commands.time, "sleep", sleep)
    status = main(["refresh", "--every", "30", "--dataset", str(tmp_path / "nowhere"),
                   "--out", str(tmp_path / "snapshot"), "--no-charts"])
    assert status == 130
    assert "childrenmatter: refresh failed:" in capsys.readouterr().err
    assert 1790 < waits[0] <= 1800
