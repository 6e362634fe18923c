"""What a validation of a return finds, and the three ways of showing it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import polars as pl


@dataclass(frozen=True)
class Finding:
    rule: str  # the DfE's rule code
    table: str  # the 903 table, or the census element the rule is about
    row: int | None  # the line of a CSV file (1 is the header); the child's place in the XML
    child_id: str | None
    field: str | None
    message: str  # the DfE's message for the rule


FIELDS = ("rule", "table", "row", "child_id", "field", "message")


def findings_from(frame: pl.DataFrame, *, rule: str, table: str, field: str | None,
                  message: str, row: str = "__line", child: str = "CHILD") -> list[Finding]:
    """One finding for each row of ``frame`` (the rows that break the rule)."""
    if frame.height == 0:
        return []
    rows = frame[row].to_list() if row in frame.columns else [None] * frame.height
    children = frame[child].to_list() if child in frame.columns else [None] * frame.height
    return [Finding(rule, table, None if r is None else int(r), c, field, message)
            for r, c in zip(rows, children, strict=True)]


def render(findings: Iterable[Finding], fmt: str) -> str:
    items = sorted(findings, key=lambda f: (f.table, f.row or 0, f.rule, f.field or ""))
    if fmt == "json":
        return json.dumps([asdict(f) for f in items], indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        for f in items:
            writer.writerow([getattr(f, name) if getattr(f, name) is not None else ""
                             for name in FIELDS])
        return out.getvalue().rstrip("\n")
    if not items:
        return "no problems found"
    lines = [f"{'rule':<10}{'table':<16}{'row':>6}  {'child':<12}{'field':<22}message"]
    for f in items:
        lines.append(f"{f.rule:<10}{f.table:<16}{f.row if f.row is not None else '':>6}  "
                     f"{f.child_id or '':<12}{f.field or '':<22}{f.message}")
    lines.append(f"{len(items)} problem{'s' if len(items) != 1 else ''}")
    return "\n".join(lines)
