"""Targets and RAG ratings for the indicators, with defaults and a YAML file to change them.

``Target(indicator, target, direction, amber_margin)``: ``direction`` is
``"higher_is_better"``, ``"lower_is_better"`` or ``"neither"`` (a count or a rate whose
rise is neither good nor bad in itself, such as children looked after: no RAG).
``target`` is in the indicator's headline unit (percent, rate per 10,000, days, average);
``None`` means no target.

RAG (``rag(indicator, value, targets)``):

- higher is better: green when value >= target; amber when value >= target - amber_margin;
  red below that;
- lower is better: green when value <= target; amber when value <= target + amber_margin;
  red above that;
- ``None`` when there is no value, no target or no direction.

``DEFAULT_TARGETS`` holds one ``Target`` per registry indicator. ``load_targets(path)``
returns them with the overrides of a YAML file (``--targets FILE`` or the
``CHILDRENMATTER_TARGETS`` environment variable), shaped::

    re_referrals_within_12_months:
      target: 20
      direction: lower_is_better     # optional: keeps the default
      amber_margin: 2.5              # optional: keeps the default

No Django import.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from childrenmatter.errors import UserError

Direction = Literal["higher_is_better", "lower_is_better", "neither"]
DIRECTIONS: tuple[str, ...] = ("higher_is_better", "lower_is_better", "neither")
Rag = Literal["green", "amber", "red"]

ENVIRONMENT_VARIABLE = "CHILDRENMATTER_TARGETS"


@dataclass(frozen=True)
class Target:
    indicator: str
    target: float | None
    direction: Direction
    amber_margin: float = 0.0


def _higher(name: str, target: float, margin: float) -> Target:
    return Target(name, target, "higher_is_better", margin)


def _lower(name: str, target: float, margin: float) -> Target:
    return Target(name, target, "lower_is_better", margin)


def _neither(name: str) -> Target:
    return Target(name, None, "neither", 0.0)


# Defaults. Where DOMAIN.md quotes England's published figure the target is England's
# (DfE, year to 31 March 2025); where the measure is a timescale in statute or in the
# local standards, the target is the standard being met for (nearly) every child, with an
# amber band of 5 to 10 points; counts and rates of children in the system have no
# direction (more children on plans is not in itself better or worse), so no RAG.
_DEFAULTS: tuple[Target, ...] = (
    # Front door: local standard, contact decision within 1 working day (DOMAIN.md).
    _neither("contacts"),
    _higher("contacts_decided_in_1_working_day", 95.0, 10.0),
    _neither("contacts_to_referral"),
    # Repeat contacts: no published England figure; reasoned as re-referrals' 22.6%.
    _lower("repeat_contacts_within_12_months", 22.6, 5.0),
    _neither("contacts_rag_red"),
    _neither("contacts_rag_amber"),
    _neither("contacts_rag_green"),
    # Front-door RAG standard: green contacts within 24 hours (DOMAIN.md).
    _lower("contact_median_hours_to_decision", 24.0, 24.0),
    _neither("referrals"),
    # England, year to 31 March 2025: 22.6% re-referrals within 12 months (DOMAIN.md).
    _lower("re_referrals_within_12_months", 22.6, 2.5),
    # Assessment
    _neither("assessments_completed"),
    # Working Together 2023: 45 working days at most; reasoned target 90% in time.
    _higher("assessments_within_45_working_days", 90.0, 10.0),
    # England, year to 31 March 2025: median 33 days (DOMAIN.md).
    _lower("assessment_median_working_days", 33.0, 5.0),
    _neither("assessments_leading_to_cin_plan"),
    _neither("assessments_leading_to_strategy_discussion"),
    _neither("assessments_no_further_action"),
    # Child protection
    _neither("section_47_enquiries"),
    _neither("section_47_leading_to_icpc"),
    # Working Together 2023: ICPC within 15 working days of the strategy discussion.
    _higher("icpc_within_15_working_days", 90.0, 10.0),
    _neither("cp_plans"),
    _neither("cp_plan_starts"),
    # No England figure in DOMAIN.md; reasoned: about a quarter of plans are second or
    # later plans nationally, so 23% with a 3-point band.
    _lower("cp_second_or_subsequent_plans", 23.0, 3.0),
    # England, year to 31 March 2025: 4.4% of plans ending had lasted 2 years (DOMAIN.md).
    _lower("cp_plans_ended_lasting_2_years", 4.4, 1.0),
    # Local standards: visits every 10 (CP) / 20 (CIN) working days; reviews in statute.
    _higher("cp_visits_in_time", 95.0, 5.0),
    _higher("cp_reviews_in_time", 95.0, 5.0),
    _neither("cp_category_neglect"),
    _neither("cp_category_emotional"),
    _neither("cp_category_physical"),
    _neither("cp_category_sexual"),
    _neither("cp_category_multiple"),
    # Children in need
    _neither("cin_local"),
    _neither("cin_dfe"),
    _higher("cin_visits_in_time", 95.0, 5.0),
    _higher("cin_seen_alone", 90.0, 10.0),
    # Children in care
    _neither("looked_after"),
    _neither("looked_after_starts"),
    _neither("looked_after_ceased"),
    _neither("looked_after_on_care_orders"),
    _neither("looked_after_on_section_20"),
    _neither("looked_after_placement_orders"),
    _neither("looked_after_in_foster_care"),
    _neither("looked_after_in_residential_care"),
    # England: 13% in connected-person placements (DOMAIN.md, seed report); higher means
    # more children living with family and friends.
    _higher("connected_person_placements", 13.0, 3.0),
    _lower("placed_outside_authority", 40.0, 5.0),
    _lower("placed_over_20_miles", 20.0, 5.0),
    # DfE placement stability: about 10% of children looked after had 3 or more placements.
    _lower("three_or_more_placements", 10.0, 2.0),
    _higher("long_term_stability", 70.0, 5.0),
    _higher("cla_reviews_in_time", 95.0, 5.0),
    _higher("cla_visits_in_time", 95.0, 5.0),
    _neither("placement_cost_per_week"),
    _neither("missing_episodes"),
    # Statutory guidance (2014): return interview within 72 hours of return.
    _higher("return_interviews_within_72_hours", 95.0, 10.0),
    # Care leavers: reasoned, near England's recent figures (about 90%, 88%, 55%).
    _higher("care_leavers_in_touch", 90.0, 5.0),
    _higher("care_leavers_suitable_accommodation", 88.0, 5.0),
    _higher("care_leavers_in_education_employment_training", 55.0, 5.0),
    # Workforce: DfE workforce statistics, caseload about 16 children per worker; agency
    # rate about 17%.
    _lower("caseload_per_worker", 16.0, 2.0),
    _lower("caseload_per_team", 120.0, 20.0),
    # Newly qualified (ASYE) workers: protected caseload held by nearly all.
    _higher("newly_qualified_protected_caseloads", 90.0, 10.0),
    _lower("agency_workers", 17.0, 3.0),
)

DEFAULT_TARGETS: dict[str, Target] = {target.indicator: target for target in _DEFAULTS}

Targets = Mapping[str, Target]


def rag(indicator: str, value: float | None, targets: Targets | None = None) -> Rag | None:
    """The RAG rating of an indicator's value against its target (module docstring)."""
    target = (DEFAULT_TARGETS if targets is None else targets).get(indicator)
    if value is None or target is None or target.target is None:
        return None
    if target.direction == "higher_is_better":
        if value >= target.target:
            return "green"
        return "amber" if value >= target.target - target.amber_margin else "red"
    if target.direction == "lower_is_better":
        if value <= target.target:
            return "green"
        return "amber" if value <= target.target + target.amber_margin else "red"
    return None


def _number(source: str, name: str, key: str, value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UserError(f"{source}: {name}.{key}: {value!r} is not a number")
    return float(value)


def targets_from_mapping(data: object, source: str,
                         base: Targets | None = None) -> dict[str, Target]:
    """``base`` (the defaults) with the overrides read from a YAML file's mapping."""
    from childrenmatter.insight.indicators import REGISTRY

    targets = dict(DEFAULT_TARGETS if base is None else base)
    if data is None:
        return targets
    if not isinstance(data, Mapping):
        raise UserError(f"{source}: expected a mapping of indicator names to targets")
    for name, fields in data.items():
        if name not in REGISTRY:
            raise UserError(f"{source}: {name!r} is not an indicator "
                            "(see docs/indicators.md for their names)")
        if isinstance(fields, int | float) and not isinstance(fields, bool):
            fields = {"target": fields}
        if not isinstance(fields, Mapping):
            raise UserError(f"{source}: {name}: expected target, direction and amber_margin")
        unknown = set(fields) - {"target", "direction", "amber_margin"}
        if unknown:
            raise UserError(f"{source}: {name}: unknown field(s) {', '.join(sorted(unknown))}; "
                            "expected target, direction, amber_margin")
        current = targets.get(name, Target(name, None, "neither", 0.0))
        direction = fields.get("direction", current.direction)
        if direction not in DIRECTIONS:
            raise UserError(f"{source}: {name}.direction: {direction!r} is not one of "
                            f"{', '.join(DIRECTIONS)}")
        target = (_number(source, name, "target", fields["target"]) if "target" in fields
                  else current.target)
        margin = (_number(source, name, "amber_margin", fields["amber_margin"])
                  if "amber_margin" in fields else current.amber_margin)
        if margin is not None and margin < 0:
            raise UserError(f"{source}: {name}.amber_margin: must not be negative")
        targets[name] = replace(current, target=target, direction=direction,
                                amber_margin=margin or 0.0)
    return targets


def load_targets(path: str | Path | None = None) -> dict[str, Target]:
    """The default targets, overridden by the YAML file at ``path`` or, when no path is
    given, at the ``CHILDRENMATTER_TARGETS`` environment variable (if set)."""
    import yaml

    if path is None:
        path = os.environ.get(ENVIRONMENT_VARIABLE) or None
    if path is None:
        return dict(DEFAULT_TARGETS)
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise UserError(f"targets file {file}: {error.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise UserError(f"targets file {file}: not valid YAML ({error})") from None
    return targets_from_mapping(data, f"targets file {file}")
