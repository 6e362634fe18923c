"""``childrenmatter dataset``: check a dataset folder, and describe the dataset in Markdown.

``dataset docs`` writes ``docs/dataset.md`` from ``schema.py`` and ``codes.py``, so the
description cannot drift from the code (a test regenerates it and compares).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import polars as pl

from childrenmatter.dataset.codes import CODE_LISTS, CodeList
from childrenmatter.dataset.io import read_dataset
from childrenmatter.dataset.schema import TABLES, Column, Table
from childrenmatter.dataset.validate import (
    AUTHORITY_REFERENCE,
    CODE_DATE_OVERRIDES,
    CODE_DATES,
    RULES,
    DatasetError,
    Problems,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "dataset",
        help="check or describe a child-level dataset",
        description="The child-level dataset: one Parquet file per table, columns after the "
        "DfE's SSDA903 and CIN census and Ofsted's Annex A.",
    )
    commands = parser.add_subparsers(
        dest="dataset_command", metavar="COMMAND", parser_class=type(parser)
    )
    commands.required = True

    check = commands.add_parser(
        "check",
        help="check a dataset folder against the schema",
        description="Check every table: columns and types, required values, codes for the "
        "collection year, date order, unique keys and references. Exit status 1 if "
        "anything is wrong, 2 if the folder is not a dataset.",
    )
    check.add_argument("folder", metavar="DIR", help="dataset folder")
    check.add_argument("--format", choices=("table", "json"), default="table")
    check.set_defaults(handler=run_check)

    docs = commands.add_parser(
        "docs",
        help="write the Markdown description of every table, column and code list",
        description="Generate the dataset's description from the schema and code lists.",
    )
    docs.add_argument("--out", default="docs/dataset.md", metavar="FILE",
                      help="where to write it (default docs/dataset.md; - for stdout)")
    docs.set_defaults(handler=run_docs)


def run_check(args: argparse.Namespace) -> int:
    try:
        tables = read_dataset(args.folder)
    except DatasetError as error:
        if not error.problems:
            raise  # not a dataset at all: a user error, exit status 2
        _print_problems(args.folder, error.problems, args.format)
        return 1
    rows = {name: frame.height for name, frame in tables.items()}
    if args.format == "json":
        print(json.dumps({"folder": str(args.folder), "valid": True, "total": 0,
                          "counts": {}, "problems": [], "rows": rows}, indent=2))
    else:
        counts = ", ".join(f"{name} {n}" for name, n in rows.items())
        print(f"{args.folder}: a valid dataset, {sum(rows.values())} rows ({counts})")
    return 0


def _print_problems(folder: str, problems: Problems, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps({"folder": str(folder), "valid": False, "total": problems.total,
                          "counts": problems.counts,
                          "problems": [p.as_dict() for p in problems]}, indent=2))
        return
    header = ("table", "row", "column", "rule", "child_id", "message")
    lines = [
        (p.table, "" if p.row is None else str(p.row), p.column or "", p.rule,
         p.child_id or "", p.message)
        for p in problems
    ]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header[:-1])]
    for line in (header, *lines):
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        print("  ".join([*cells, line[-1]]))
    shown = f", {len(problems)} shown" if len(problems) < problems.total else ""
    by_rule = ", ".join(f"{rule} {problems.counts[rule]}" for rule in RULES
                        if rule in problems.counts)
    print(f"{folder}: {problems.total} problems{shown} ({by_rule})")


def run_docs(args: argparse.Namespace) -> int:
    text = dataset_markdown()
    if args.out == "-":
        print(text, end="")
        return 0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


# --- the Markdown description ---------------------------------------------------------------

# Data to Insight's Standard Safeguarding Dataset (data-to-insight/ssd-data-model,
# data/objects/*.yml): the SSD tables each of ours corresponds to, and how closely.
SSD_TABLES: dict[str, tuple[str, str]] = {
    "authorities": ("—", "The SSD is one authority's extract; its LA code is configuration."),
    "population": ("—", "ONS mid-year estimates, not case records."),
    "children": ("ssd_person; ssd_disability; ssd_immigration_status; ssd_linked_identifiers",
                 "UASC from immigration status and UPN from linked identifiers are "
                 "approximate."),
    "contacts": ("ssd_contacts", "Outcome mapped from cont_contact_outcome_json "
                                 "(approximate); RAG is not in the SSD."),
    "early_help_episodes": ("ssd_early_help_episodes", ""),
    "referrals": ("ssd_cin_episodes", ""),
    "assessments": ("ssd_cin_assessments; ssd_assessment_factors", ""),
    "strategy_discussions": ("ssd_s47_enquiry", "Approximate: the SSD has no strategy "
                                                "discussion of its own; the enquiry's start "
                                                "date is the discussion's."),
    "section_47_enquiries": ("ssd_s47_enquiry; ssd_initial_cp_conference", ""),
    "cp_plans": ("ssd_cp_plans", ""),
    "cp_conferences": ("ssd_initial_cp_conference; ssd_cp_reviews", "Initial from the first, "
                                                                     "review from the second."),
    "cin_plans": ("ssd_cin_plans", ""),
    "visits": ("ssd_cin_visits; ssd_cp_visits; ssd_cla_visits", "One table here, told apart "
                                                                "by visit_type; care leaver "
                                                                "visits approximate."),
    "episodes": ("ssd_cla_episodes; ssd_cla_placement; ssd_legal_status",
                 "An SSD episode, its placement and legal status make one 903 episode; "
                 "cost per week is not in the SSD."),
    "cla_reviews": ("ssd_cla_reviews", ""),
    "missing_episodes": ("ssd_missing", ""),
    "adoption": ("ssd_permanence", "Approximate: the SSD holds permanence decisions and "
                                   "orders together."),
    "care_leaver_contacts": ("ssd_care_leavers", "Approximate: one row per birthday contact "
                                                 "here, the latest contact in the SSD."),
    "teams": ("ssd_department", ""),
    "workers": ("ssd_professionals", "Approximate: start and end dates and role are "
                                     "derived."),
    "allocations": ("ssd_involvements", ""),
}

SSD_NOT_HERE = (
    "ssd_address", "ssd_cla_care_plan", "ssd_cla_convictions", "ssd_cla_health",
    "ssd_cla_immunisations", "ssd_cla_previous_permanence", "ssd_cla_substance_misuse",
    "ssd_family", "ssd_mother", "ssd_pre_proceedings", "ssd_sdq_scores", "ssd_send and "
    "the EHCP tables", "ssd_voice_of_child",
)

_INTRO = """\
# The child-level dataset

<!-- Generated by `childrenmatter dataset docs` from src/childrenmatter/dataset/schema.py
     and codes.py. Do not edit by hand: change the code and run the command again. -->

One set of tables describing every child an authority's children's social care service
has known, from the first contact at the front door to a care leaver's 25th birthday.
Insight, returns and briefing packs read only this dataset, so it can be produced from
Children Matter's own records, from another case system's statutory files (SSDA903,
CIN census, Annex A) or by the simulator. Column names follow the DfE or Ofsted field
they come from, in snake case, or Data to Insight's Standard Safeguarding Dataset where
the DfE has no field.

## Conventions

- **Parquet, one file per table.** A dataset is a folder holding `<table>.parquet` for
  every table below, empty when there is nothing to record. It is written whole or not at
  all (`childrenmatter.dataset.io.write_dataset`) and read with `read_dataset`, which
  returns nothing unless every table passes every check. `childrenmatter dataset check
  DIR` runs the same checks from the command line.
- **`la_code` on every row.** Every record belongs to an authority, named by its DfE
  three-digit LA code; one dataset can hold several authorities. Keys and references
  include `la_code`: a child of one authority is never matched with another's, and
  every `la_code` must be an authority in `authorities`.
- **Collection years** are named by the year they end: 2025 is 1 April 2024 to 31 March
  2025 ("2024-25"). Each DfE code is valid in some collection years (H5 and P2 until
  2023-24, K3 from 2024-25, Z1 until 2024-25); a row's codes must be valid in the
  collection year of its date, given for each table below. A row without that date may
  use a code of any year.
- **"At a date"** means the record had started and not ended: `start <= date` and
  (`end` is null or `end > date`). A plan that ends on 31 March is not open at 31 March.
- **Dates and times.** Dates are dates; date-times are to the microsecond without a time
  zone. Where a table names two dates in order, the later is never before the earlier.
- **Missing values.** Null means not known or not applicable. A required column is never
  null, and a required text column never blank. A list column (disabilities, assessment
  factors) holds codes; an empty list means none.
- **Identifiers** are the authority's own, as text, unique within the authority.

## Checks

| rule | what it finds |
|---|---|
"""


def dataset_markdown() -> str:
    """The Markdown description of every table, column and code list."""
    parts = [_INTRO]
    parts += [f"| `{rule}` | {_cell(text)} |\n" for rule, text in RULES.items()]
    parts.append("\n## Tables\n\n| table | what a row is | key |\n|---|---|---|\n")
    parts += [f"| [`{t.name}`](#{t.name}) | {_cell(t.description)} | "
              f"{', '.join(f'`{k}`' for k in t.key)} |\n" for t in TABLES.values()]
    for table in TABLES.values():
        parts.append(_table_section(table))
    parts.append("\n## Code lists\n")
    parts.append("\nYears are collection years; a code without years is valid in every "
                 "year.\n")
    for codes in CODE_LISTS.values():
        parts.append(_code_list_section(codes))
    parts.append(_ssd_section())
    return "".join(parts)


def _table_section(table: Table) -> str:
    lines = [f"\n### {table.name}\n\n{table.description}\n\n"]
    lines.append(f"- Key: {', '.join(f'`{k}`' for k in table.key)} (unique).\n")
    if table.date_order:
        pairs = "; ".join(f"`{a}` ≤ `{b}`" for a, b in table.date_order)
        lines.append(f"- Dates in order: {pairs}.\n")
    references = dict(table.references)
    if table.name != AUTHORITY_REFERENCE[0]:
        references = {"la_code": AUTHORITY_REFERENCE, **references}
    if references:
        refs = "; ".join(f"`{c}` → [`{t}`](#{t}).`{tc}`" for c, (t, tc) in references.items())
        lines.append(f"- References (same `la_code`): {refs}.\n")
    lines.append(_code_years_line(table))
    lines.append("\n| column | type | required | codes | source | description |\n"
                 "|---|---|---|---|---|---|\n")
    lines += [_column_row(col) for col in table.columns]
    return "".join(lines)


def _code_years_line(table: Table) -> str:
    """Which date's collection year the table's codes must be valid in."""
    coded = [c.name for c in table.columns if c.codes]
    main = CODE_DATES.get(table.name)
    if not coded or main is None:
        return ""
    line = f"- Codes must be valid in the collection year of `{main}`"
    by_date: dict[str, list[str]] = {}
    for column in coded:
        override = CODE_DATE_OVERRIDES.get((table.name, column))
        if override is not None:
            by_date.setdefault(override, []).append(column)
    for date_column, columns in by_date.items():
        names = ", ".join(f"`{c}`" for c in columns)
        line += f"; {names}: of `{date_column}`, or `{main}` when that is empty"
    return line + ".\n"


def _column_row(col: Column) -> str:
    codes = f"[{col.codes}](#{col.codes})" if col.codes else ""
    required = "yes" if col.required else ""
    return (f"| `{col.name}` | {_dtype(col.dtype)} | {required} | {codes} | "
            f"{_cell(col.source)} | {_cell(col.description)} |\n")


def _dtype(dtype: Any) -> str:
    dtype = dtype() if isinstance(dtype, type) else dtype
    if isinstance(dtype, pl.List):
        return f"list of {_dtype(dtype.inner).lower()}"
    if isinstance(dtype, pl.Datetime):
        return "date-time"
    names = {pl.String: "text", pl.Date: "date", pl.Boolean: "yes/no", pl.Int64: "integer",
             pl.Float64: "number"}
    for kind, name in names.items():
        if dtype == kind:
            return name
    return str(dtype)


def _code_list_section(codes: CodeList) -> str:
    lines = [f"\n### {codes.name}\n\nSource: {_cell(codes.source)}.\n\n"
             "| code | meaning | years |\n|---|---|---|\n"]
    lines += [f"| `{c.code}` | {_cell(c.label)} | {'' if c.years == 'all years' else c.years} |\n"
              for c in codes.codes]
    return "".join(lines)


def _ssd_section() -> str:
    lines = [
        "\n## Mapping to the Standard Safeguarding Dataset\n\n"
        "Data to Insight's Standard Safeguarding Dataset (SSD, "
        "[data-to-insight/ssd-data-model](https://github.com/data-to-insight/ssd-data-model)) "
        "is an open model of the same objects with extracts for the main commercial case "
        "systems. An authority with an SSD extract can feed this dataset from it. The "
        "mapping is by table; where the objects are cut differently it is marked "
        "approximate.\n\n"
        "| table | SSD table(s) | notes |\n|---|---|---|\n"
    ]
    for name in TABLES:
        ssd, note = SSD_TABLES.get(name, ("—", "Not mapped yet."))
        cell = "—" if ssd == "—" else "; ".join(f"`{t.strip()}`" for t in ssd.split(";"))
        lines.append(f"| `{name}` | {cell} | {_cell(note)} |\n")
    lines.append(f"\nIn the SSD but not (yet) here: {', '.join(SSD_NOT_HERE)}.\n")
    return "".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
