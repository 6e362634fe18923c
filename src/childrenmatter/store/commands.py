"""`childrenmatter load` and `childrenmatter extract` (to be built)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    return None
