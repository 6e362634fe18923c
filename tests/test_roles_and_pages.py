"""Every page and API endpoint, for every role: who may see it, who may change it.

The project's URL patterns are walked from Django's resolver, and each must be in
``PAGES`` (pages people sign in for) or ``API`` (partner systems with a token): a new page
cannot be added without saying who may see it. For each page and each role in
``accounts.models.Role``, plus someone not signed in:

- someone not signed in is sent to sign in (302 to /sign-in), unless the page is public;
- a role that may see it gets it (200) and one that may not is refused (403 or 404);
- for a page that changes something, a role that may change it gets anything but a refusal
  to an empty or minimal POST, and one that may not gets 403 or 404.

Who may see what is written here from the permissions each page is meant to need
(``accounts.permissions``), so that this test and ROLE_PERMISSIONS must agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from childrenmatter.accounts.models import PartnerOrganisation, Role
from childrenmatter.accounts.permissions import ROLE_PERMISSIONS
from childrenmatter.accounts.permissions import Permission as P

ANONYMOUS = "anonymous"
STAFF = frozenset(Role)


def holders(*permissions: P) -> frozenset[Role]:
    """The roles holding any of ``permissions``."""
    return frozenset(role for role in Role if ROLE_PERMISSIONS[role] & set(permissions))


@dataclass(frozen=True)
class Page:
    """A page: ``path(world)`` gives its address with objects made by the test.

    ``get``: the roles that may see it (200, or ``get_status``); None when it has no GET
    (405). ``post``: the roles that may post to it; None when it takes no POST.
    ``anonymous``: what someone not signed in gets from GET; None means "sent to sign in".
    """

    path: Callable[[dict], str]
    get: frozenset[Role] | None
    post: frozenset[Role] | None = None
    get_status: int = 200
    anonymous: int | None = None
    # What a role that may not see it gets from GET.
    refused: tuple[int, ...] = (403, 404)


@dataclass(frozen=True)
class Endpoint:
    """An API endpoint, authenticated by a partner organisation's token."""

    method: str
    path: Callable[[dict], str]
    body: dict = field(default_factory=dict)
    # What the organisation's own token gets; another organisation's token gets ``other``.
    own: tuple[int, ...] = (200,)
    other: tuple[int, ...] = (200,)
    public: bool = False


def _person(world):
    return world["child"].pk


def _relationship(world):
    """The child's mother, recorded as her parent: made when a page first asks."""
    if "relationship" not in world:
        from childrenmatter.people.models import Person, Relationship

        child = world["child"]
        mother = Person.objects.create(la_code=child.la_code, local_id="ROLES-MUM",
                                       given_name="Mona", family_name=child.family_name,
                                       is_child=False)
        world["relationship"] = Relationship.objects.create(person=mother, other=child,
                                                            kind="parent")
    return world["relationship"].pk


def _contact(world):
    return world["contact"].pk


def _improvement(world) -> dict:
    """A plan with a theme, an action with a file of evidence, a milestone; and a
    councillor's question: made when a page first asks, so other pages' tests skip them."""
    if "plan" not in world:
        from django.core.files.base import ContentFile

        from childrenmatter.improvement.models import (
            Action,
            Evidence,
            Milestone,
            Plan,
            Question,
            Risk,
            Theme,
        )

        today = timezone.localdate()
        plan = Plan.objects.create(la_code="806", kind="improvement", title="Improvement plan")
        theme = Theme.objects.create(plan=plan, title="The front door")
        action = Action.objects.create(plan=plan, theme=theme, title="Decide within a day",
                                       owner="Head of service", rag="amber",
                                       rag_reason="Improving", due_on=today)
        evidence = Evidence(action=action, note="Audit", file_name="audit.txt",
                            content_type="text/plain", size=5)
        evidence.file.save("audit.txt", ContentFile(b"audit"), save=True)
        milestone = Milestone.objects.create(plan=plan, action=action, title="Rota agreed",
                                             due_on=today)
        risk = Risk.objects.create(plan=plan, title="Staff leave", likelihood=4, impact=4)
        question = Question.objects.create(la_code="806", member="Councillor A", asked_on=today,
                                           meeting="Briefing", question="Why?",
                                           answerer="Head of service", due_on=today)
        world.update(plan=plan, action=action, evidence=evidence, milestone=milestone,
                     question=question, risk=risk)
    return world


def _plan_path(world, rest: str = "") -> str:
    return f"/improvement/plans/{_improvement(world)['plan'].pk}/{rest}"


def _action_path(world, rest: str = "") -> str:
    return _plan_path(world, f"actions/{_improvement(world)['action'].pk}/{rest}")


def _casework(world) -> dict:
    """The child's referral with an assessment, a section 47 enquiry, a CP plan, a CIN plan
    and a chronology entry: made when a casework page first asks."""
    if "cp_plan" not in world:
        from datetime import date

        from childrenmatter.casework.models import (
            Assessment,
            ChildInNeedPlan,
            ChildProtectionPlan,
            ChronologyEntry,
            Referral,
            Section47Enquiry,
            StrategyDiscussion,
        )

        child = world["child"]
        referral = Referral.objects.create(la_code="806", reference="R-1", person=child,
                                           referral_date=date(2026, 1, 5),
                                           referral_source="2A")
        made = dict(referral_record=referral, child_referral=referral.pk)
        made["assessment"] = Assessment.objects.create(
            la_code="806", reference="A-1", referral=referral, person=child,
            start_date=date(2026, 1, 6))
        discussion = StrategyDiscussion.objects.create(
            la_code="806", reference="D-1", referral=referral, person=child,
            discussion_date=date(2026, 1, 12), section_47=True)
        made["enquiry"] = Section47Enquiry.objects.create(
            la_code="806", reference="S-1", referral=referral, strategy_discussion=discussion,
            person=child, start_date=date(2026, 1, 12))
        made["cp_plan"] = ChildProtectionPlan.objects.create(
            la_code="806", reference="P-1", referral=referral, person=child,
            start_date=date(2026, 1, 30), initial_category="NEG", latest_category="NEG")
        made["cin_plan"] = ChildInNeedPlan.objects.create(
            la_code="806", reference="N-1", referral=referral, person=child,
            start_date=date(2026, 1, 30))
        made["entry"] = ChronologyEntry.objects.create(
            la_code="806", person=child, kind="note", event_date=date(2026, 1, 7),
            summary="Grandmother moved in")
        world.update(made)
    return world


def _casework_path(world, rest: str) -> str:
    _casework(world)
    return "/casework/" + rest.format(**{k: getattr(v, "pk", v) for k, v in world.items()
                                         if k in ("child", "child_referral", "assessment",
                                                  "enquiry", "cp_plan", "cin_plan", "entry")})


_CASE_NOTES = holders(P.VIEW_CASE_NOTES)
_CASEWORK = holders(P.RECORD_CASEWORK)


_VIEW_PLANS = holders(P.VIEW_IMPROVEMENT)
_EDIT_PLANS = holders(P.EDIT_IMPROVEMENT_PLAN)

PAGES: dict[str, Page] = {
    # The figures; a partner or an administrator is sent on to their own start page.
    "web:home": Page(lambda w: "/", get=holders(P.VIEW_FIGURES), refused=(302,)),
    # Signing in: open to all; someone signed in already is sent on.
    "accounts:sign-in": Page(lambda w: "/sign-in", get=STAFF, get_status=302, anonymous=200),
    # The code step without the password step goes back to sign in, for everyone.
    "accounts:two-factor": Page(lambda w: "/sign-in/two-factor", get=STAFF, get_status=302),
    "accounts:sign-out": Page(lambda w: "/sign-out", get=None, post=STAFF),
    "accounts:two-factor-set-up": Page(lambda w: "/two-factor", get=STAFF, post=STAFF),
    "accounts:access-log": Page(lambda w: "/access-log/", get=holders(P.VIEW_ACCESS_LOG)),
    "accounts:access-log-csv": Page(lambda w: "/access-log.csv",
                                    get=holders(P.VIEW_ACCESS_LOG)),
    "accounts:staff": Page(lambda w: "/staff/", get=holders(P.MANAGE_USERS)),
    "accounts:unlock": Page(lambda w: f"/staff/{w['people'][Role.SOCIAL_WORKER].pk}/unlock/",
                            get=None, post=holders(P.MANAGE_USERS)),
    "accounts:restriction": Page(lambda w: f"/people/{_person(w)}/restriction/",
                                 get=holders(P.RESTRICT_RECORD),
                                 post=holders(P.RESTRICT_RECORD)),
    # People.
    "people:search": Page(lambda w: "/people/", get=holders(P.VIEW_PERSON)),
    "people:new": Page(lambda w: "/people/new/", get=holders(P.EDIT_PERSON),
                       post=holders(P.EDIT_PERSON)),
    "people:person": Page(lambda w: f"/people/{_person(w)}/", get=holders(P.VIEW_PERSON)),
    "people:edit": Page(lambda w: f"/people/{_person(w)}/edit/", get=holders(P.EDIT_PERSON),
                        post=holders(P.EDIT_PERSON)),
    "people:versions": Page(lambda w: f"/people/{_person(w)}/versions/",
                            get=holders(P.VIEW_PERSON)),
    "people:add": Page(lambda w: f"/people/{_person(w)}/add/flag/", get=holders(P.EDIT_PERSON),
                       post=holders(P.EDIT_PERSON)),
    "people:add-relationship": Page(lambda w: f"/people/{_person(w)}/relationships/add/",
                                    get=holders(P.EDIT_PERSON), post=holders(P.EDIT_PERSON)),
    "people:end-relationship": Page(
        lambda w: f"/people/{_person(w)}/relationships/{_relationship(w)}/end/",
        get=holders(P.EDIT_PERSON), post=holders(P.EDIT_PERSON)),
    "people:duplicates": Page(lambda w: "/people/duplicates/", get=holders(P.MERGE_PEOPLE),
                              post=holders(P.MERGE_PEOPLE)),
    "people:decide": Page(lambda w: f"/people/duplicates/{w['pair'].pk}/",
                          get=holders(P.MERGE_PEOPLE), post=holders(P.MERGE_PEOPLE)),
    "people:merges": Page(lambda w: "/people/merges/", get=holders(P.MERGE_PEOPLE)),
    "people:undo": Page(lambda w: f"/people/merges/{w['merge'].pk}/undo/", get=None,
                        post=holders(P.MERGE_PEOPLE)),
    # The front door.
    "frontdoor:queue": Page(lambda w: "/front-door/",
                            get=holders(P.SCREEN_CONTACT, P.AUTHORISE_DECISION)),
    "frontdoor:new": Page(lambda w: "/front-door/new/", get=holders(P.CREATE_CONTACT),
                          post=holders(P.CREATE_CONTACT)),
    "frontdoor:contact": Page(lambda w: f"/front-door/contacts/{_contact(w)}/",
                              get=holders(P.VIEW_CASE_NOTES)),
    "frontdoor:rate": Page(lambda w: f"/front-door/contacts/{_contact(w)}/rate/",
                           get=holders(P.SCREEN_CONTACT), post=holders(P.SCREEN_CONTACT)),
    "frontdoor:check": Page(lambda w: f"/front-door/contacts/{_contact(w)}/checks/",
                            get=holders(P.SCREEN_CONTACT), post=holders(P.SCREEN_CONTACT)),
    "frontdoor:check-reply": Page(
        lambda w: f"/front-door/contacts/{_contact(w)}/checks/{w['check'].pk}/reply/",
        get=holders(P.SCREEN_CONTACT), post=holders(P.SCREEN_CONTACT)),
    "frontdoor:match": Page(
        lambda w: f"/front-door/contacts/{_contact(w)}/children/{w['link'].pk}/match/",
        get=holders(P.SCREEN_CONTACT), post=holders(P.SCREEN_CONTACT)),
    "frontdoor:decide": Page(lambda w: f"/front-door/contacts/{_contact(w)}/decide/",
                             get=holders(P.DECIDE_CONTACT), post=holders(P.DECIDE_CONTACT)),
    "frontdoor:authorise": Page(lambda w: f"/front-door/contacts/{_contact(w)}/authorise/",
                                get=holders(P.AUTHORISE_DECISION),
                                post=holders(P.AUTHORISE_DECISION)),
    "frontdoor:triage": Page(
        lambda w: f"/front-door/contacts/{w['notification'].pk}/triage/",
        get=holders(P.TRIAGE_DOMESTIC_ABUSE), post=holders(P.TRIAGE_DOMESTIC_ABUSE)),
    "frontdoor:school-told": Page(
        lambda w: f"/front-door/contacts/{w['notification'].pk}/triage/school-told/",
        get=None, post=holders(P.TRIAGE_DOMESTIC_ABUSE)),
    # The dashboards: figures for those who may see figures; the children behind a figure
    # only for those who may read children's records; refreshing for analysts and managers.
    # The authority is in the query, so the other authority's staff are refused.
    "dashboards:index": Page(lambda w: "/dashboards/", get=holders(P.VIEW_FIGURES)),
    "dashboards:area": Page(lambda w: "/dashboards/children-in-care/?authority=806",
                            get=holders(P.VIEW_FIGURES)),
    "dashboards:children": Page(
        lambda w: "/dashboards/children-in-care/looked_after/children/?authority=806",
        get=holders(P.VIEW_PERSON)),
    "dashboards:refresh": Page(lambda w: "/dashboards/refresh/", get=None,
                               post=frozenset({Role.PERFORMANCE_ANALYST, Role.TEAM_MANAGER,
                                               Role.HEAD_OF_SERVICE})),
    # The briefing pack names no child: for those who may see figures (the POST is tested
    # in tests/dashboards/test_pack_download.py: it builds the pack).
    "dashboards:pack": Page(lambda w: "/dashboards/pack/?authority=806",
                            get=holders(P.VIEW_FIGURES)),
    # Partner professionals' pages: their own organisation's referrals only.
    "partners:refer": Page(lambda w: "/partners/refer/", get=holders(P.MAKE_PARTNER_REFERRAL),
                           post=holders(P.MAKE_PARTNER_REFERRAL)),
    "partners:referrals": Page(lambda w: "/partners/referrals/",
                               get=holders(P.MAKE_PARTNER_REFERRAL)),
    "partners:referral": Page(lambda w: f"/partners/referrals/{w['referral'].reference}/",
                              get=holders(P.MAKE_PARTNER_REFERRAL)),
    "partners:referral-sent": Page(
        lambda w: f"/partners/referrals/{w['referral'].reference}/sent/",
        get=holders(P.MAKE_PARTNER_REFERRAL)),
    # Analysts' returns: check files against the DfE's rules, download the returns.
    "analysts:returns": Page(lambda w: "/returns/", get=holders(P.CHECK_RETURNS),
                             post=holders(P.CHECK_RETURNS)),
    "analysts:report-csv": Page(lambda w: "/returns/report.csv", get=None,
                                post=holders(P.CHECK_RETURNS)),
    "analysts:download-903": Page(lambda w: "/returns/903.zip", get=holders(P.CHECK_RETURNS)),
    "analysts:download-cin": Page(lambda w: "/returns/cin.xml", get=holders(P.CHECK_RETURNS)),
    "analysts:download-annex-a": Page(lambda w: "/returns/annex-a.xlsx",
                                      get=holders(P.CHECK_RETURNS)),
    # Improvement plans, the board and councillors' questions: no child's record, so
    # analysts and auditors read them; managers change them.
    "improvement:index": Page(lambda w: "/improvement/", get=_VIEW_PLANS),
    "improvement:new": Page(lambda w: "/improvement/new/", get=_EDIT_PLANS, post=_EDIT_PLANS),
    "improvement:plan": Page(lambda w: _plan_path(w), get=_VIEW_PLANS),
    "improvement:add-theme": Page(lambda w: _plan_path(w, "themes/new/"), get=_EDIT_PLANS,
                                  post=_EDIT_PLANS),
    "improvement:add-action": Page(lambda w: _plan_path(w, "actions/new/"), get=_EDIT_PLANS,
                                   post=_EDIT_PLANS),
    "improvement:action": Page(lambda w: _action_path(w), get=_VIEW_PLANS),
    "improvement:change-action": Page(lambda w: _action_path(w, "review/"), get=_EDIT_PLANS,
                                      post=_EDIT_PLANS),
    "improvement:add-evidence": Page(lambda w: _action_path(w, "evidence/"), get=_EDIT_PLANS,
                                     post=_EDIT_PLANS),
    "improvement:evidence-file": Page(
        lambda w: _action_path(w, f"evidence/{_improvement(w)['evidence'].pk}/"),
        get=_VIEW_PLANS),
    "improvement:add-milestone": Page(lambda w: _plan_path(w, "milestones/new/"),
                                      get=_EDIT_PLANS, post=_EDIT_PLANS),
    "improvement:change-milestone": Page(
        lambda w: _plan_path(w, f"milestones/{_improvement(w)['milestone'].pk}/"),
        get=_EDIT_PLANS, post=_EDIT_PLANS),
    "improvement:add-risk": Page(lambda w: _plan_path(w, "risks/new/"), get=_EDIT_PLANS,
                                 post=_EDIT_PLANS),
    "improvement:change-risk": Page(
        lambda w: _plan_path(w, f"risks/{_improvement(w)['risk'].pk}/"),
        get=_EDIT_PLANS, post=_EDIT_PLANS),
    "improvement:add-update": Page(lambda w: _plan_path(w, "updates/new/"), get=_EDIT_PLANS,
                                   post=_EDIT_PLANS),
    "improvement:compare": Page(lambda w: _plan_path(w, "compare/"), get=_VIEW_PLANS),
    "improvement:board": Page(lambda w: _plan_path(w, "board/"), get=_VIEW_PLANS),
    "improvement:board-export": Page(lambda w: _plan_path(w).rstrip("/") + "/board.xlsx",
                                     get=_VIEW_PLANS),
    "improvement:board-date": Page(lambda w: _plan_path(w, "board/date/"), get=_EDIT_PLANS,
                                   post=_EDIT_PLANS),
    "improvement:questions": Page(lambda w: "/improvement/questions/", get=_VIEW_PLANS),
    "improvement:new-question": Page(lambda w: "/improvement/questions/new/",
                                     get=holders(P.ANSWER_QUESTION),
                                     post=holders(P.ANSWER_QUESTION)),
    "improvement:question": Page(
        lambda w: f"/improvement/questions/{_improvement(w)['question'].pk}/",
        get=_VIEW_PLANS, post=holders(P.ANSWER_QUESTION)),
    "improvement:questions-pdf": Page(lambda w: "/improvement/questions.pdf", get=_VIEW_PLANS),
    "improvement:questions-xlsx": Page(lambda w: "/improvement/questions.xlsx",
                                       get=_VIEW_PLANS),
    # Casework after the front door: the child's page for those who read case notes; the
    # journey's forms for social workers and managers; authorising an assessment, managers.
    "casework:child": Page(lambda w: _casework_path(w, "children/{child}/"), get=_CASE_NOTES),
    "casework:visit": Page(lambda w: _casework_path(w, "children/{child}/visit/"),
                           get=_CASEWORK, post=_CASEWORK),
    "casework:add-entry": Page(lambda w: _casework_path(w, "children/{child}/chronology/"),
                               get=_CASEWORK, post=_CASEWORK),
    "casework:significant": Page(lambda w: _casework_path(w, "chronology/{entry}/significant/"),
                                 get=None, post=_CASEWORK),
    "casework:start-assessment": Page(
        lambda w: _casework_path(w, "referrals/{child_referral}/assessment/"),
        get=_CASEWORK, post=_CASEWORK),
    "casework:strategy-discussion": Page(
        lambda w: _casework_path(w, "referrals/{child_referral}/strategy-discussion/"),
        get=_CASEWORK, post=_CASEWORK),
    "casework:start-cin-plan": Page(
        lambda w: _casework_path(w, "referrals/{child_referral}/cin-plan/"),
        get=_CASEWORK, post=_CASEWORK),
    "casework:close-referral": Page(
        lambda w: _casework_path(w, "referrals/{child_referral}/close/"),
        get=_CASEWORK, post=_CASEWORK),
    "casework:complete-assessment": Page(
        lambda w: _casework_path(w, "assessments/{assessment}/complete/"),
        get=_CASEWORK, post=_CASEWORK),
    "casework:authorise-assessment": Page(
        lambda w: _casework_path(w, "assessments/{assessment}/authorise/"),
        get=holders(P.AUTHORISE_ASSESSMENT), post=holders(P.AUTHORISE_ASSESSMENT)),
    "casework:s47-outcome": Page(lambda w: _casework_path(w, "enquiries/{enquiry}/outcome/"),
                                 get=_CASEWORK, post=_CASEWORK),
    "casework:icpc": Page(lambda w: _casework_path(w, "enquiries/{enquiry}/conference/"),
                          get=_CASEWORK, post=_CASEWORK),
    "casework:review": Page(lambda w: _casework_path(w, "cp-plans/{cp_plan}/review/"),
                            get=_CASEWORK, post=_CASEWORK),
    "casework:end-cp-plan": Page(lambda w: _casework_path(w, "cp-plans/{cp_plan}/end/"),
                                 get=_CASEWORK, post=_CASEWORK),
    "casework:end-cin-plan": Page(lambda w: _casework_path(w, "cin-plans/{cin_plan}/end/"),
                                  get=_CASEWORK, post=_CASEWORK),
}

API: dict[str, Endpoint] = {
    # The API's description is public: it says how to ask, not what anyone sent.
    "partners:api:api-root": Endpoint("GET", lambda w: "/api/", public=True, own=(200, 404),
                                      other=(200, 404)),
    "partners:api:openapi-json": Endpoint("GET", lambda w: "/api/schema", public=True),
    "partners:api:openapi-view": Endpoint("GET", lambda w: "/api/docs", public=True),
    "partners:api:list_referrals": Endpoint("GET", lambda w: "/api/referrals"),
    "partners:api:show_referral": Endpoint(
        "GET", lambda w: f"/api/referrals/{w['referral'].reference}", own=(200,), other=(404,)),
    # An empty referral is refused for what it lacks, not for who sent it.
    "partners:api:send_referral": Endpoint("POST", lambda w: "/api/referrals", own=(422,),
                                           other=(422,)),
}


def url_routes() -> dict[str, str]:
    """Every URL pattern of the project by name (with its namespaces): its route."""
    routes = {}

    def walk(patterns, namespaces, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                walk(pattern.url_patterns, inner, route)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed {route}>"
                routes[":".join((*namespaces, name))] = route

    walk(get_resolver().url_patterns, (), "")
    return routes


def url_names() -> list[str]:
    return sorted(url_routes())


def test_every_page_and_endpoint_says_who_may_see_it():
    missing = [name for name in url_names() if name not in PAGES and name not in API]
    assert not missing, (
        f"Say who may see these in tests/test_roles_and_pages.py (PAGES or API): {missing}")


def test_the_table_names_no_page_that_is_gone():
    gone = sorted((set(PAGES) | set(API)) - set(url_names()))
    assert not gone, f"These are in the table but not in the project's URLs: {gone}"


# --- The world each page is asked about ----------------------------------------------------


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    # Nobody here signs in with a password (force_login): a fast hash keeps the test quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(make_staff, small_dataset):
    """A Middlesbrough child on a contact, a domestic abuse notification, a partner check,
    a possible duplicate and a merge, a school's referral; and one member of staff in
    each role at Middlesbrough (the partner at that school)."""
    from childrenmatter.frontdoor.models import (
        Contact,
        ContactChild,
        DomesticAbuseTriage,
        PartnerCheck,
    )
    from childrenmatter.people.models import Merge, Person, PossibleDuplicate

    now = timezone.now()
    school = PartnerOrganisation.objects.create(name="Acklam Primary", kind="school",
                                                la_code="806")
    people = {role: make_staff(role.value, partner_organisation=school)
              if role == Role.PARTNER else make_staff(role.value) for role in Role}
    # The same roles at Hartlepool (805), the partner at a Hartlepool school.
    hartlepool_school = PartnerOrganisation.objects.create(name="Hart Primary", kind="school",
                                                           la_code="805")
    outsiders = {role: make_staff(role.value, la_code="805",
                                  partner_organisation=hartlepool_school)
                 if role == Role.PARTNER else make_staff(role.value, la_code="805")
                 for role in Role}
    child = Person.objects.create(la_code="806", local_id="C1", given_name="Amy",
                                  family_name="Hart")
    twin = Person.objects.create(la_code="806", local_id="C2", given_name="Amy",
                                 family_name="Harte")
    merged = Person.objects.create(la_code="806", local_id="C3", given_name="Ben",
                                   family_name="Hart", merged_into=child)
    contact = Contact.objects.create(la_code="806", reference="MB-1", received_at=now,
                                     source="2A", summary="Bruise seen at school")
    link = ContactChild.objects.create(contact=contact, reported_given_name="Amy",
                                       reported_family_name="Hart")
    check = PartnerCheck.objects.create(contact=contact, agency="health",
                                        due_at=now + timedelta(days=1))
    notification = Contact.objects.create(la_code="806", reference="MB-2", received_at=now,
                                          source="6", summary="Police call-out",
                                          is_domestic_abuse=True)
    DomesticAbuseTriage.objects.create(contact=notification, risk_level="medium",
                                       children_present=True, school_name="Acklam Primary",
                                       triaged_by=people[Role.FRONT_DOOR_PRACTITIONER])
    low, high = sorted([child, twin], key=lambda person: person.pk)
    pair = PossibleDuplicate.objects.create(la_code="806", person_a=low, person_b=high,
                                            score=0.9)
    merge = Merge.objects.create(la_code="806", kept=child, merged=merged, reason="Same child",
                                 merged_by=people[Role.TEAM_MANAGER])
    referral = Contact.objects.create(la_code="806", reference="MB-3", received_at=now,
                                      source=school.referral_source, summary="Worried",
                                      partner_organisation=school)
    ContactChild.objects.create(contact=referral, reported_given_name="Cara",
                                reported_family_name="Hart")
    return {"people": people, "outsiders": outsiders, "child": child, "contact": contact,
            "link": link,
            "check": check, "notification": notification, "pair": pair, "merge": merge,
            "referral": referral, "school": school,
            "hartlepool_school": hartlepool_school}


def _problem(name, who, method, path, status, expected) -> str:
    return f"{name}: {who} {method} {path} gave {status}, expected {expected}"


def _sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize("name", sorted(PAGES))
def test_who_may_see_and_change_each_page(name, world, client):
    page = PAGES[name]
    path = page.path(world)
    problems = []

    # Someone not signed in.
    response = client.get(path)
    if page.anonymous is not None:
        if response.status_code != page.anonymous:
            problems.append(_problem(name, ANONYMOUS, "GET", path, response.status_code,
                                     page.anonymous))
    elif page.get is not None and not _sent_to_sign_in(response):
        problems.append(_problem(name, ANONYMOUS, "GET", path, response.status_code,
                                 "302 to /sign-in"))
    if page.post is not None:
        response = client.post(path, {})
        if not _sent_to_sign_in(response):
            problems.append(_problem(name, ANONYMOUS, "POST", path, response.status_code,
                                     "302 to /sign-in"))

    for role in Role:
        client.force_login(world["people"][role])
        response = client.get(path)
        status = response.status_code
        if page.get is None:
            if status != 405:
                problems.append(_problem(name, role.value, "GET", path, status, 405))
        elif role in page.get:
            if status != page.get_status:
                problems.append(_problem(name, role.value, "GET", path, status, page.get_status))
        elif status not in page.refused:
            problems.append(_problem(name, role.value, "GET", path, status, page.refused))
        if page.post is not None:
            status = client.post(path, {}).status_code
            if role in page.post:
                if status in (403, 404, 405) or status >= 500:
                    problems.append(_problem(name, role.value, "POST", path, status,
                                             "not refused"))
            elif status not in (403, 404):
                problems.append(_problem(name, role.value, "POST", path, status, "403 or 404"))
        client.logout()

    # A page about one record (a child, a contact, a referral) is refused to those in the
    # same role who work for the other authority (or, for a partner, another school).
    if "<" in url_routes()[name] and page.get is not None:
        for role in sorted(page.get):
            client.force_login(world["outsiders"][role])
            status = client.get(path).status_code
            if status not in (403, 404):
                problems.append(_problem(name, f"Hartlepool's {role.value}", "GET", path,
                                         status, "403 or 404"))
            if page.post is not None and role in page.post:
                status = client.post(path, {}).status_code
                if status not in (403, 404):
                    problems.append(_problem(name, f"Hartlepool's {role.value}", "POST", path,
                                             status, "403 or 404"))
            client.logout()

    assert not problems, "\n".join(problems)


# --- The API: a token per partner organisation ---------------------------------------------


@pytest.fixture
def tokens(world):
    """A live token for the school that made the referral, and one for another school."""
    from childrenmatter.api.models import PREFIX_LENGTH, PartnerToken, hash_token

    other = world["hartlepool_school"]
    made = {}
    for key, organisation in (("own", world["school"]), ("other", other)):
        plaintext = f"{key}-token-for-tests-{organisation.pk}-0123456789abcdef"
        PartnerToken.objects.create(partner_organisation=organisation, name="Case system",
                                    token_hash=hash_token(plaintext),
                                    prefix=plaintext[:PREFIX_LENGTH])
        made[key] = plaintext
    return made


def _call(client, endpoint: Endpoint, world, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    path = endpoint.path(world)
    if endpoint.method == "GET":
        return client.get(path, headers=headers)
    return client.post(path, endpoint.body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("name", sorted(API))
def test_who_may_use_each_api_endpoint(name, world, tokens, client):
    endpoint = API[name]
    problems = []
    cases = [
        ("no token", None, (200, 404) if endpoint.public else (401,)),
        ("a made-up token", "not-a-token", (200, 404) if endpoint.public else (401,)),
        ("the organisation's token", tokens["own"], endpoint.own),
        ("another organisation's token", tokens["other"], endpoint.other),
    ]
    for who, token, expected in cases:
        status = _call(client, endpoint, world, token).status_code
        if status not in expected:
            problems.append(_problem(name, who, endpoint.method, endpoint.path(world), status,
                                     expected))
    # A member of staff's session does not open the API: only a token does.
    if not endpoint.public:
        client.force_login(world["people"][Role.PARTNER])
        status = _call(client, endpoint, world, None).status_code
        if status != 401:
            problems.append(_problem(name, "a signed-in partner without a token",
                                     endpoint.method, endpoint.path(world), status, 401))
    assert not problems, "\n".join(problems)


def test_another_organisation_s_token_lists_none_of_this_school_s_referrals(
    world, tokens, client
):
    own = client.get("/api/referrals", headers={"Authorization": f"Bearer {tokens['own']}"})
    other = client.get("/api/referrals", headers={"Authorization": f"Bearer {tokens['other']}"})
    assert [item["reference"] for item in own.json()] == ["MB-3"]
    assert other.json() == []
