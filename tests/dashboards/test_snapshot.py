"""The dashboards' snapshot: which months, what is written, swapped in whole, read once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest
from dashboard_builders import MONTHS, hand_rows

from childrenmatter.dashboards.snapshot import (
    dashboard_source,
    load_snapshot,
    months_to_show,
    snapshot_folder_for,
    take_snapshot,
)
from childrenmatter.errors import UserError


def test_the_last_24_whole_months_of_the_data():
    months = months_to_show(date(2016, 4, 1), date(2018, 3, 31))
    assert months[0] == "2016-04" and months[-1] == "2018-03" and len(months) == 24


def test_a_month_the_data_ends_part_way_through_is_left_out():
    assert months_to_show(date(2016, 4, 1), date(2018, 3, 30))[-1] == "2018-02"
    # The small dataset: 1 April 2017 to 21 December 2018.
    assert [f"2017-{m:02d}" for m in range(4, 13)] + [
        f"2018-{m:02d}" for m in range(1, 12)] == MONTHS


def test_a_month_the_data_starts_part_way_through_is_left_out():
    assert months_to_show(date(2017, 6, 15), date(2018, 3, 31))[0] == "2017-07"
    assert months_to_show(date(2018, 3, 2), date(2018, 3, 31)) == []
    assert months_to_show(None, None) == []


def test_an_unknown_source_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("CHILDRENMATTER_DASHBOARD_SOURCE", "spreadsheet")
    with pytest.raises(UserError, match="CHILDRENMATTER_DASHBOARD_SOURCE='spreadsheet'"):
        dashboard_source()
    monkeypatch.delenv("CHILDRENMATTER_DASHBOARD_SOURCE")
    assert dashboard_source() == "dataset"


def test_the_snapshot_lives_beside_the_dataset(tmp_path):
    assert snapshot_folder_for(tmp_path / "dataset") == tmp_path / "dataset-dashboards"


def fake_compute(value: float):
    def compute(tables):
        rows = hand_rows().with_columns(pl.lit(value).alias("value"))
        return rows, {"806": {"name": "Middlesbrough", "months": MONTHS}}
    return compute


def test_a_snapshot_holds_its_figures_and_the_time_it_was_taken(small_dataset_folder, tmp_path):
    taken = datetime(2019, 1, 2, 9, 0, tzinfo=UTC)
    snapshot = take_snapshot(tmp_path / "snap", dataset_folder=small_dataset_folder,
                             now=taken, compute=fake_compute(1.0))
    assert snapshot.taken_at == taken
    assert snapshot.source == "dataset"
    assert snapshot.dataset_folder == small_dataset_folder.resolve()
    assert snapshot.latest_month("806") == "2018-11"
    assert snapshot.rows("806", "looked_after")["value"].to_list() == [1.0] * 20
    assert load_snapshot(tmp_path / "snap") is snapshot  # read once per version


def test_a_refresh_swaps_the_whole_snapshot_and_a_failed_one_leaves_the_last(
    small_dataset_folder, tmp_path
):
    folder = tmp_path / "snap"
    take_snapshot(folder, dataset_folder=small_dataset_folder, compute=fake_compute(1.0),
                  now=datetime(2019, 1, 2, tzinfo=UTC))
    second = take_snapshot(folder, dataset_folder=small_dataset_folder,
                           compute=fake_compute(2.0), now=datetime(2019, 1, 3, tzinfo=UTC))
    assert second.rows("806", "looked_after")["value"].unique().to_list() == [2.0]

    def broken(tables):
        raise UserError("the figures could not be computed")

    with pytest.raises(UserError):
        take_snapshot(folder, dataset_folder=small_dataset_folder, compute=broken)
    kept = load_snapshot(folder)
    assert kept.taken_at == datetime(2019, 1, 3, tzinfo=UTC)
    assert kept.rows("806", "looked_after")["value"].unique().to_list() == [2.0]
    # Nothing half-written is left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".snap.lock", "snap"]


def test_without_a_snapshot_there_is_none(tmp_path):
    assert load_snapshot(tmp_path / "never-taken") is None


def test_the_figures_are_the_comparison_of_each_authority(small_dataset_folder, tmp_path):
    """The real computation over the small dataset: its known answers at November 2018."""
    snapshot = take_snapshot(tmp_path / "snap", dataset_folder=small_dataset_folder)
    assert set(snapshot.authorities) == {"805", "806"}
    assert snapshot.authorities["806"] == {"name": "Middlesbrough", "months": MONTHS}
    latest = snapshot.rows("806", "looked_after").row(-1, named=True)
    # A and G looked after at 30 November 2018, of 32,396 children: 0.6 per 10,000.
    assert (latest["period"], latest["count"]) == ("2018-11", 2)
    assert latest["value"] == pytest.approx(0.6)
    # Middlesbrough's neighbour is Hartlepool: one child looked after since January 2018,
    # of 20,000, is 0.5; England is both together, 3 of 52,396: 0.6.
    assert latest["neighbours"] == pytest.approx(0.5)
    assert latest["england"] == pytest.approx(0.6)
    assert set(snapshot.comparison["la_code"].unique()) == {"805", "806"}


@pytest.mark.django_db
def test_from_the_store_the_snapshot_carries_the_extracted_dataset(small_dataset_folder,
                                                                    tmp_path):
    from childrenmatter.store.load import load_dataset

    load_dataset(small_dataset_folder)
    snapshot = take_snapshot(tmp_path / "snap", source="store")
    assert snapshot.source == "store"
    assert snapshot.dataset_folder == (tmp_path / "snap" / "dataset").resolve()
    assert (snapshot.dataset_folder / "children.parquet").is_file()
    assert set(snapshot.authorities) == {"805", "806"}


def test_the_charts_of_the_authorities_served_are_drawn_when_the_snapshot_is_taken(
    small_dataset_folder, tmp_path
):
    snapshot = take_snapshot(tmp_path / "snap", dataset_folder=small_dataset_folder,
                             compute=fake_compute(1.0), draw_for=["806"])
    drawn = snapshot.chart("806", "looked_after")
    assert drawn.startswith("<svg") and "<title" in drawn
    assert snapshot.chart("806", "assessments_within_45_working_days") is not None
    assert snapshot.chart("805", "looked_after") is None


def test_published_figures_stand_in_for_england(small_dataset_folder, tmp_path, settings):
    from childrenmatter.dashboards.views import refresh_snapshot

    published = tmp_path / "published.csv"
    published.write_text("period,indicator,area,value\n2018-11,looked_after,england,67\n")
    settings.CHILDRENMATTER_DATASET = small_dataset_folder
    settings.CHILDRENMATTER_DASHBOARD_SNAPSHOT = tmp_path / "snap"
    settings.CHILDRENMATTER_PUBLISHED_FIGURES = published
    snapshot = refresh_snapshot()
    rows = snapshot.rows("806", "looked_after")
    assert rows.row(-1, named=True)["england"] == 67.0
    # October is computed, not published: A in Middlesbrough, A in Hartlepool, 2 of 52,396.
    assert rows.row(-2, named=True)["england"] == pytest.approx(0.4)
