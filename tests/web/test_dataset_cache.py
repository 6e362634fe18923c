"""The pages read the dataset once per process, and again when it is regenerated."""

from __future__ import annotations

import polars as pl

from childrenmatter.dataset.io import write_dataset
from childrenmatter.web.datasets import load_dataset


def test_the_dataset_is_read_once_while_it_is_unchanged(small_dataset_folder):
    assert load_dataset(small_dataset_folder) is load_dataset(small_dataset_folder)


def test_a_regenerated_dataset_is_read_again(small_dataset_changed):
    folder = small_dataset_changed(lambda tables: None)
    first = load_dataset(folder)

    def one_more_episode(tables):
        extra = tables["episodes"].head(1).with_columns(child_id=pl.lit("F"))
        tables["episodes"] = pl.concat([tables["episodes"], extra])

    small_dataset_changed(one_more_episode)
    second = load_dataset(folder)
    assert second is not first
    assert second.tables["episodes"].height == first.tables["episodes"].height + 1
    assert second.problems is None


def test_write_dataset_replaces_the_folder_so_its_identity_changes(tmp_path, small_dataset_folder):
    # What the cache relies on: the folder is swapped whole, never edited in place.
    tables = {"authorities": pl.read_parquet(small_dataset_folder / "authorities.parquet")}
    folder = write_dataset(tables, tmp_path / "d")
    before = folder.stat()
    write_dataset(tables, folder)
    after = folder.stat()
    assert (before.st_ino, before.st_mtime_ns) != (after.st_ino, after.st_mtime_ns)
