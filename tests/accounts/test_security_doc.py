"""docs/security.md says what the code does: its roles table is made from ROLE_PERMISSIONS."""

from __future__ import annotations

from childrenmatter.accounts.docs import DESCRIPTIONS, DOC, roles_table, with_current_table
from childrenmatter.accounts.models import Role
from childrenmatter.accounts.permissions import ROLE_PERMISSIONS, Permission


def test_the_roles_table_in_the_security_doc_is_up_to_date():
    text = DOC.read_text(encoding="utf-8")
    assert text == with_current_table(text), (
        "docs/security.md is out of date: run `python -m childrenmatter.accounts.docs`")


def test_every_permission_is_described_and_every_role_has_a_column():
    assert set(DESCRIPTIONS) == {permission.value for permission in Permission}, (
        "Describe every permission in DESCRIPTIONS (accounts/docs.py)")
    header = roles_table().splitlines()[2]
    assert all(role.label in header for role in Role)


def test_the_table_marks_exactly_the_permissions_each_role_has():
    rows = [line for line in roles_table().splitlines() if line.startswith("| `")]
    for row, permission in zip(rows, Permission, strict=True):
        cells = [cell.strip() for cell in row.strip("|").split("|")][1:]
        holders = {role for role, cell in zip(Role, cells, strict=True) if cell == "yes"}
        assert holders == {role for role in Role if permission in ROLE_PERMISSIONS[role]}


def test_the_performance_analyst_sees_figures_and_no_child_s_record():
    analyst = ROLE_PERMISSIONS[Role.PERFORMANCE_ANALYST]
    assert Permission.VIEW_FIGURES in analyst
    assert not analyst & {Permission.VIEW_PERSON, Permission.VIEW_CASE_NOTES,
                          Permission.EDIT_PERSON, Permission.VIEW_ACCESS_LOG}


def test_the_auditor_reads_and_changes_nothing():
    changes = {Permission.EDIT_PERSON, Permission.CREATE_CONTACT, Permission.SCREEN_CONTACT,
               Permission.TRIAGE_DOMESTIC_ABUSE, Permission.DECIDE_CONTACT,
               Permission.AUTHORISE_DECISION, Permission.MERGE_PEOPLE,
               Permission.RESTRICT_RECORD, Permission.MANAGE_USERS,
               Permission.MAKE_PARTNER_REFERRAL}
    assert not ROLE_PERMISSIONS[Role.AUDITOR] & changes
