"""Simulate a preset and write it as a child-level dataset."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import polars as pl

from childrenmatter.dataset.io import conform, write_dataset
from childrenmatter.dataset.schema import TABLES
from childrenmatter.simulator.journeys import Simulation
from childrenmatter.simulator.params import AuthorityParams
from childrenmatter.simulator.presets import preset
from childrenmatter.simulator.records import Writer


def simulate_authority(params: AuthorityParams) -> dict[str, pl.DataFrame]:
    """One authority's tables; the same parameters always give the same tables."""
    rng = np.random.default_rng([params.seed_offset, int(params.la_code)])
    simulation = Simulation(params, rng)
    simulation.run()
    tables = Writer(simulation).build()
    return {name: conform(name, frame) for name, frame in tables.items()}


def simulate(name: str, seed: int = 0, workers: int | None = None) -> dict[str, pl.DataFrame]:
    authorities = preset(name, seed).authorities
    if len(authorities) == 1:
        parts = [simulate_authority(authorities[0])]
    else:
        workers = workers or min(len(authorities), os.cpu_count() or 1)
        # Spawned, not forked: a fork after Polars has started its threads (as inside a
        # test run or a server) can leave the children waiting on a lock for ever.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
            parts = list(pool.map(simulate_authority, authorities, chunksize=4))
    return {
        table: pl.concat([part[table] for part in parts if table in part], how="vertical")
        for table in TABLES
    }


def simulate_to(name: str, out: str | Path, seed: int = 0) -> dict[str, int]:
    tables = simulate(name, seed)
    write_dataset(tables, out)
    return {table: frame.height for table, frame in tables.items()}
