"""Who may do what: every role's permissions, in one place.

A member of staff holds a role in each authority they work for (``StaffMembership``);
a permission is always asked about one authority. Views and API endpoints ask through
``can`` (or the access choke points in ``people.access``), never by testing roles.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from childrenmatter.accounts.models import Role, StaffMembership


class Permission(StrEnum):
    VIEW_FIGURES = "view_figures"  # indicators and dashboards: counts, no child's record
    VIEW_PERSON = "view_person"  # a child's or adult's record and history
    VIEW_CASE_NOTES = "view_case_notes"  # what was said, rationales, partners' replies
    EDIT_PERSON = "edit_person"  # create and correct people, addresses, relationships
    CREATE_CONTACT = "create_contact"
    SCREEN_CONTACT = "screen_contact"  # RAG, partner checks, propose a decision
    TRIAGE_DOMESTIC_ABUSE = "triage_domestic_abuse"
    DECIDE_CONTACT = "decide_contact"  # record the threshold decision
    AUTHORISE_DECISION = "authorise_decision"  # a manager's authorisation
    MERGE_PEOPLE = "merge_people"  # merge duplicates, undo a merge
    RESTRICT_RECORD = "restrict_record"  # restrict a record and name who may see it
    VIEW_ACCESS_LOG = "view_access_log"
    MAKE_PARTNER_REFERRAL = "make_partner_referral"  # partners: refer, see their own
    # Casework after the front door: assessments, strategy discussions, s47 enquiries,
    # conferences, plans, visits, chronology entries.
    RECORD_CASEWORK = "record_casework"
    AUTHORISE_ASSESSMENT = "authorise_assessment"  # a manager's sign-off of an assessment
    MANAGE_USERS = "manage_users"
    # Check returns before they are sent and download them: child-level files for the DfE.
    CHECK_RETURNS = "check_returns"
    # Improvement plans, the board view and councillors' questions: no child's record.
    VIEW_IMPROVEMENT = "view_improvement"
    EDIT_IMPROVEMENT_PLAN = "edit_improvement_plan"  # themes, actions, RAG, milestones, risks
    ANSWER_QUESTION = "answer_question"  # record a councillor's question and its response
    # Take the dashboards' snapshot again now: recomputes every figure, shows no child.
    REFRESH_FIGURES = "refresh_figures"


P = Permission
_CASE_READ = {P.VIEW_FIGURES, P.VIEW_PERSON, P.VIEW_CASE_NOTES}
_PRACTICE = _CASE_READ | {
    P.EDIT_PERSON,
    P.CREATE_CONTACT,
    P.SCREEN_CONTACT,
    P.TRIAGE_DOMESTIC_ABUSE,
    P.DECIDE_CONTACT,
}
# Social workers and their managers, not the front door: the journey after a referral.
_CASEWORK = {P.RECORD_CASEWORK}
_MANAGEMENT = _PRACTICE | _CASEWORK | {
    P.AUTHORISE_DECISION, P.MERGE_PEOPLE, P.RESTRICT_RECORD, P.AUTHORISE_ASSESSMENT}
# Managers own the improvement plan's actions and answer councillors' questions.
_IMPROVEMENT = {P.VIEW_IMPROVEMENT, P.EDIT_IMPROVEMENT_PLAN, P.ANSWER_QUESTION}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FRONT_DOOR_PRACTITIONER: frozenset(_PRACTICE),
    Role.SOCIAL_WORKER: frozenset(_PRACTICE | _CASEWORK),
    Role.TEAM_MANAGER: frozenset(
        _MANAGEMENT | _IMPROVEMENT | {P.CHECK_RETURNS, P.REFRESH_FIGURES}),
    Role.HEAD_OF_SERVICE: frozenset(
        _MANAGEMENT | _IMPROVEMENT | {P.VIEW_ACCESS_LOG, P.CHECK_RETURNS, P.REFRESH_FIGURES}),
    # Figures only: no child's record, no case notes.
    Role.PERFORMANCE_ANALYST: frozenset(
        {P.VIEW_FIGURES, P.CHECK_RETURNS, P.VIEW_IMPROVEMENT, P.REFRESH_FIGURES}),
    Role.PARTNER: frozenset({P.MAKE_PARTNER_REFERRAL}),
    # Reads everything a manager reads, changes nothing.
    Role.AUDITOR: frozenset(
        _CASE_READ | {P.VIEW_ACCESS_LOG, P.CHECK_RETURNS, P.VIEW_IMPROVEMENT}),
    # Runs the system: accounts and the access log, not children's records.
    Role.SYSTEM_ADMINISTRATOR: frozenset({P.MANAGE_USERS, P.VIEW_ACCESS_LOG}),
    # Councillors: the figures, the improvement plan and board view, members' questions.
    Role.ELECTED_MEMBER: frozenset({P.VIEW_FIGURES, P.VIEW_IMPROVEMENT}),
}


def role_can(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(Role(role), frozenset())


def _memberships(user) -> list:
    """The user's memberships, read once per user object. A request has its own user object,
    so a page asking "may they?" ten times reads them once, and a change to someone's
    memberships applies from their next request (as Django caches a user's permissions)."""
    cached = getattr(user, "_childrenmatter_memberships", None)
    if cached is None:
        cached = list(StaffMembership.objects.for_user(user))
        user._childrenmatter_memberships = cached
    return cached


def authorities_where(user, permission: Permission) -> list[str]:
    """The LA codes in which ``user`` has ``permission``, in order."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [
        membership.la_code
        for membership in _memberships(user)
        if role_can(membership.role, permission)
    ]


def permissions_anywhere(user) -> frozenset[Permission]:
    """Every permission ``user`` holds in at least one authority (one query)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    roles = [membership.role for membership in _memberships(user)]
    return frozenset().union(*(ROLE_PERMISSIONS.get(Role(role), frozenset()) for role in roles))


def can(user, permission: Permission, la_code: str) -> bool:
    """May ``user`` do ``permission`` in authority ``la_code``?"""
    return la_code in authorities_where(user, permission)


def require(actor, permission: Permission, la_code: str) -> None:
    """Refuse (PermissionDenied, naming what and where) unless ``actor`` may ``permission``
    in ``la_code``: the first line of every action that changes a record."""
    if not can(actor, permission, la_code):
        raise PermissionDenied(f"You may not {permission.value.replace('_', ' ')} in {la_code}")
