"""Run Data to Insight's CIN census validator (csc-validator-be-cin) on one of our files.

Run with the Python of a separate virtual environment where that package is installed:
``python d2i_cin.py FILE.xml YEAR OUT.csv``. Writes one row per problem: rule code, child.
"""

import csv
import importlib
import sys
import xml.etree.ElementTree as ET

from cin_validator import cin_validator

path, year, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = cin_validator.process_data(cin_validator.convert_data(ET.parse(path).getroot()))
registry = importlib.import_module(f"cin_validator.rules.cin{year - 1}_{year % 100:02d}").registry
issues = cin_validator.CinValidator(data, registry, selected_rules=None).full_issue_df
with open(out, "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["rule", "child_id"])
    for rule, child in sorted(set(zip(issues["rule_code"], issues["child_id"], strict=True))):
        writer.writerow([rule, child])
