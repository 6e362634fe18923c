"""The child-level dataset, clocks, simulator and insight run without Django (DESIGN.md):
another authority can point them at its own files with no web app installed."""

from __future__ import annotations

import subprocess
import sys

import pytest

PLAIN = [
    "childrenmatter.dataset.io",
    "childrenmatter.dataset.validate",
    "childrenmatter.dataset.codes",
    "childrenmatter.clocks.calendar",
    "childrenmatter.clocks.rules",
    "childrenmatter.clocks.state",
    "childrenmatter.simulator.engine",
    "childrenmatter.insight.stock",
]


@pytest.mark.parametrize("module", PLAIN)
def test_it_imports_no_django(module):
    code = f"import sys, {module}; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0, \
        f"{module} pulls in Django"
