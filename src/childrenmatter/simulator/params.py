"""Parameters of a simulated authority, with where each figure comes from.

Sources (cited as short names below):
- [CLA24]  DfE, "Children looked after in England including adoptions", year ending
           31 March 2024 (explore-education-statistics): starts by age, legal status,
           placement mix, reasons ceased, missing, care leavers' activity.
- [CIN24]  DfE, "Children in need", year ending 31 March 2024: referral sources,
           re-referrals, assessment timeliness, s47 and ICPC volumes, CP categories,
           second plans, plan durations.
- [DOMAIN] ../shared/DOMAIN.md: England 2025 totals and the seed council's figures.
- [SEED]   the seed council's reports (DESIGN.md): connected-person placements 29%
           against 13% nationally; looked-after growth of about 30% from May 2018 to
           December 2019.
Where no published figure exists (contacts per referral, worker turnover), the value is a
judgement and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date


@dataclass(frozen=True)
class Trajectory:
    """A stock target over time: straight lines between (date, value) points."""

    points: tuple[tuple[date, float], ...]

    def scaled(self, factor: float) -> Trajectory:
        return Trajectory(tuple((d, v * factor) for d, v in self.points))


@dataclass(frozen=True)
class AuthorityParams:
    la_code: str
    la_name: str
    region: str
    population_0_17: int          # at the reference year
    population_year: int
    population_growth: float      # a year, relative
    period_start: date
    period_end: date
    looked_after: Trajectory
    cp_plans: Trajectory
    cin_local: Trajectory         # children in need who are neither on a CP plan nor looked after
    referrals_per_year: float
    calibration_date: date        # stocks hit their targets exactly on this date
    # Placement mix: the chance a new placement is with relatives or friends, which comes
    # out a little below the share of all placements at a date, as those placements last
    # longer. [CLA24] 13% of all placements; [SEED] 29%.
    connected_person_share: float = 0.12
    # Share of assessments authorised after 45 working days. [CIN24]: 12-18%.
    late_assessment_share: float = 0.16
    # Share of ICPCs held after 15 working days of the strategy discussion. [CIN24]: ~22%.
    late_icpc_share: float = 0.22
    # Share of contacts decided after 1 working day (a judgement; the seed council was slow).
    late_contact_decision_share: float = 0.12
    # Share of CP plans ending with the child coming into care ([CIN24]: about 15%).
    cp_to_care_share: float = 0.15
    # Share of referrals that concern a child referred before ([CIN24]: 22.4% re-referred
    # within 12 months; more have older history).
    repeat_referral_share: float = 0.36
    placed_out_of_area_share: float = 0.40   # [CLA24]: 42% placed outside the LA boundary
    agency_worker_share: float = 0.18        # DfE children's social work workforce 2024: 17.6%
    caseload_per_worker: float = 16.0        # DfE workforce 2024: 16.3 cases per FTE
    uasc_share_of_starts: float = 0.08       # [CLA24]: UASC about 9% of looked after
    statistical_neighbours: tuple[str, ...] = ()
    seed_offset: int = 0


def middlesbrough_2018() -> AuthorityParams:
    """The seed council: 500 looked after, 226 CP plans, 1022 children in need (local
    definition) on 21 December 2018, 0-17 population 32,396 [DOMAIN].

    The looked-after trajectory follows the commissioner's account [SEED]: about 470 in
    May 2018 growing about 30% to about 611 by December 2019, then the published
    outturns' shape (a peak near 700 in 2020-21 and a slow fall).
    """
    return AuthorityParams(
        la_code="806",
        la_name="Middlesbrough",
        region="North East",
        population_0_17=32_396,
        population_year=2018,
        population_growth=0.004,
        period_start=date(2016, 4, 1),
        period_end=date(2025, 3, 31),
        looked_after=Trajectory((
            (date(2016, 4, 1), 390), (date(2017, 4, 1), 415), (date(2018, 5, 31), 470),
            (date(2018, 12, 21), 500), (date(2019, 12, 31), 611), (date(2020, 9, 30), 690),
            (date(2021, 6, 30), 700), (date(2022, 3, 31), 660), (date(2023, 3, 31), 610),
            (date(2024, 3, 31), 580), (date(2025, 3, 31), 560),
        )),
        cp_plans=Trajectory((
            (date(2016, 4, 1), 190), (date(2017, 10, 1), 210), (date(2018, 12, 21), 226),
            (date(2019, 12, 31), 245), (date(2021, 3, 31), 215), (date(2023, 3, 31), 200),
            (date(2025, 3, 31), 190),
        )),
        cin_local=Trajectory((
            (date(2016, 4, 1), 930), (date(2018, 12, 21), 1022), (date(2020, 3, 31), 1060),
            (date(2022, 3, 31), 1000), (date(2025, 3, 31), 960),
        )),
        # About 740 referrals per 10,000 a year: the seed council's rate was well above
        # England's ~520 [CIN24 local authority tables]; a judgement within that range.
        referrals_per_year=2_400,
        calibration_date=date(2018, 12, 21),
        connected_person_share=0.24,   # tuned so that about 29% of placements are [SEED]
        late_assessment_share=0.25,
        late_icpc_share=0.30,
        late_contact_decision_share=0.30,
        agency_worker_share=0.22,
        caseload_per_worker=20.0,
        uasc_share_of_starts=0.03,
    )


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    authorities: tuple[AuthorityParams, ...] = field(default=())


def with_seed(params: AuthorityParams, offset: int) -> AuthorityParams:
    return replace(params, seed_offset=offset)
