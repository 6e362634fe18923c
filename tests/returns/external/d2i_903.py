"""Run Data to Insight's SSDA903 validator (csc-validator-be-903) on a folder of our files.

Run with the Python of a separate virtual environment where that package is installed (it
pins old pandas and numpy): ``python d2i_903.py FOLDER YEAR OUT.csv [LASTYEAR]``, with last
year's folder to run the rules comparing the two years too. Writes one row per problem:
rule code and child.
"""

import csv
import importlib
import sys
from pathlib import Path

from lac_validator import lac_validator
from lac_validator.report import Report
from lac_validator.utils import process_uploaded_files

folder, year, out = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
uploads = {"This year": [str(p) for p in sorted(folder.glob("*.csv"))]}
if len(sys.argv) > 4:
    uploads["Prev year"] = [str(p) for p in sorted(Path(sys.argv[4]).glob("*.csv"))]
files = process_uploaded_files(uploads)
registry = importlib.import_module(f"lac_validator.rules.lac{year - 1}_{year % 100:02d}").registry
validator = lac_validator.LacValidator(
    metadata={"collectionYear": str(year), "localAuthority": "E06000002"},
    files=files, registry=registry, selected_rules=None)
issues = lac_validator.create_issue_df(Report(validator.ds_results, registry).report,
                                       Report(validator.ds_results, registry).error_report)
with open(out, "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["rule", "child_id"])
    for rule, child in sorted(set(zip(issues["rule_code"], issues["child_id"], strict=True))):
        writer.writerow([rule, child])
