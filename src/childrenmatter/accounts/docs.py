"""The roles-and-permissions table in docs/security.md, made from ``ROLE_PERMISSIONS``.

``python -m childrenmatter.accounts.docs`` rewrites the table in place; a test fails when
the document and the code disagree, so the document cannot drift from what the code does.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

START = "<!-- roles-and-permissions:start (made by python -m childrenmatter.accounts.docs) -->"
END = "<!-- roles-and-permissions:end -->"
DOC = Path(__file__).resolve().parents[3] / "docs" / "security.md"

DESCRIPTIONS = {
    "view_figures": "See indicators and dashboards: counts, no child's record",
    "view_person": "Read a child's or adult's record and history",
    "view_case_notes": "Read what was said: rationales, partners' replies",
    "edit_person": "Create and correct people, addresses, relationships",
    "create_contact": "Record a contact at the front door",
    "screen_contact": "Screen a contact: RAG rating, partner checks, propose a decision",
    "triage_domestic_abuse": "Triage a domestic abuse notification",
    "decide_contact": "Record the threshold decision on a contact",
    "authorise_decision": "Authorise a decision as a manager",
    "merge_people": "Merge duplicate records and undo a merge",
    "restrict_record": "Restrict a record and name who may see it",
    "view_access_log": "Read the access log",
    "make_partner_referral": "Refer a child as a partner and see their own referrals",
    "record_casework": "Record assessments, strategy discussions, s47 enquiries, conferences, "
    "plans, visits and chronology entries",
    "authorise_assessment": "Authorise a child and family assessment (not one they completed)",
    "manage_users": "Manage staff accounts",
    "check_returns": "Check 903 and CIN census files against the DfE's rules",
    "view_improvement": "See improvement plans, the board view and councillors' questions",
    "edit_improvement_plan": "Change an improvement plan: actions, RAG, milestones, risks",
    "answer_question": "Record a councillor's question and its response",
    "refresh_figures": "Take the dashboards' figures again now rather than at the next "
    "scheduled refresh",
}
UNDESCRIBED = "(describe it in accounts/docs.py)"


def roles_table() -> str:
    from childrenmatter.accounts.models import Role
    from childrenmatter.accounts.permissions import ROLE_PERMISSIONS, Permission

    roles = list(Role)
    lines = [
        "| Permission | " + " | ".join(role.label for role in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for permission in Permission:
        marks = ["yes" if permission in ROLE_PERMISSIONS[role] else "" for role in roles]
        described = f"`{permission.value}`: {DESCRIPTIONS.get(permission.value, UNDESCRIBED)}"
        lines.append(f"| {described} | " + " | ".join(marks) + " |")
    return "\n".join([START, "", *lines, "", END])


def with_current_table(text: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise ValueError(f"{DOC} has no roles-and-permissions markers")
    return pattern.sub(lambda _: roles_table(), text)


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "childrenmatter.config.settings")
    django.setup()
    DOC.write_text(with_current_table(DOC.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
