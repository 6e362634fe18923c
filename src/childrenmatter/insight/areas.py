"""The seven service areas of the dashboards and the briefing pack, in order.

``AREAS`` is a tuple of ``Area(key, title, indicators, headline)``:

- ``key``: ``front_door``, ``assessment``, ``child_protection``, ``children_in_need``,
  ``children_in_care``, ``care_leavers``, ``workforce`` (in that order; URLs and sheet
  names are made from them);
- ``title``: the heading shown to people;
- ``indicators``: names of registry indicators (``insight.indicators.REGISTRY``) shown on
  the area's page, in the order shown;
- ``headline``: the few of them on the pack's summary page.

``AREA_BY_KEY`` finds an area by its key. Every registry indicator is in exactly one area
(tests/insight/test_areas.py), so a new indicator must be placed here.
No Django import.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    indicators: tuple[str, ...]
    headline: tuple[str, ...]


AREAS: tuple[Area, ...] = (
    Area(
        "front_door", "Front door",
        ("contacts", "contacts_decided_in_1_working_day", "contacts_to_referral",
         "repeat_contacts_within_12_months", "contacts_rag_red", "contacts_rag_amber",
         "contacts_rag_green", "contact_median_hours_to_decision", "referrals",
         "re_referrals_within_12_months"),
        ("contacts", "contacts_decided_in_1_working_day", "referrals",
         "re_referrals_within_12_months"),
    ),
    Area(
        "assessment", "Assessment",
        ("assessments_completed", "assessments_within_45_working_days",
         "assessment_median_working_days", "assessments_leading_to_cin_plan",
         "assessments_leading_to_strategy_discussion", "assessments_no_further_action"),
        ("assessments_completed", "assessments_within_45_working_days"),
    ),
    Area(
        "child_protection", "Child protection",
        ("section_47_enquiries", "section_47_leading_to_icpc", "icpc_within_15_working_days",
         "cp_plans", "cp_plan_starts", "cp_second_or_subsequent_plans",
         "cp_plans_ended_lasting_2_years", "cp_visits_in_time", "cp_reviews_in_time",
         "cp_category_neglect", "cp_category_emotional", "cp_category_physical",
         "cp_category_sexual", "cp_category_multiple"),
        ("cp_plans", "cp_plan_starts", "cp_second_or_subsequent_plans", "cp_visits_in_time"),
    ),
    Area(
        "children_in_need", "Children in need",
        ("cin_local", "cin_dfe", "cin_visits_in_time", "cin_seen_alone"),
        ("cin_local", "cin_visits_in_time"),
    ),
    Area(
        "children_in_care", "Children in care",
        ("looked_after", "looked_after_starts", "looked_after_ceased",
         "looked_after_on_care_orders", "looked_after_on_section_20",
         "looked_after_placement_orders", "looked_after_in_foster_care",
         "looked_after_in_residential_care", "connected_person_placements",
         "placed_outside_authority", "placed_over_20_miles", "three_or_more_placements",
         "long_term_stability", "cla_reviews_in_time", "cla_visits_in_time",
         "placement_cost_per_week", "missing_episodes", "return_interviews_within_72_hours"),
        ("looked_after", "looked_after_starts", "three_or_more_placements",
         "long_term_stability"),
    ),
    Area(
        "care_leavers", "Care leavers",
        ("care_leavers_in_touch", "care_leavers_suitable_accommodation",
         "care_leavers_in_education_employment_training"),
        ("care_leavers_in_touch", "care_leavers_in_education_employment_training"),
    ),
    Area(
        "workforce", "Workforce",
        ("caseload_per_worker", "caseload_per_team", "newly_qualified_protected_caseloads",
         "agency_workers"),
        ("caseload_per_worker", "agency_workers"),
    ),
)

AREA_BY_KEY: dict[str, Area] = {area.key: area for area in AREAS}


def area_of(indicator: str) -> Area:
    """The area an indicator is shown in."""
    for area in AREAS:
        if indicator in area.indicators:
            return area
    raise KeyError(indicator)
