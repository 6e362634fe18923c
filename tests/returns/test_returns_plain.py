"""The returns run without Django (DESIGN.md): an authority on another case system can
write, read and check its returns with no web app installed."""

from __future__ import annotations

import subprocess
import sys

import pytest

PLAIN = [
    "childrenmatter.returns.ssda903",
    "childrenmatter.returns.read903",
    "childrenmatter.returns.cin",
    "childrenmatter.returns.readcin",
    "childrenmatter.returns.commands",
]


def test_no_returns_module_imports_django():
    code = f"import sys, {', '.join(PLAIN)}; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.parametrize("module", PLAIN)
def test_it_is_importable(module):
    __import__(module)
