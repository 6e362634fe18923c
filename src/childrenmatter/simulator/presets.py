"""Named synthetic authorities.

``middlesbrough-2018`` is the seed council (DESIGN.md). ``england-2025`` is 153 synthetic
authorities, one per English local authority code, whose totals for the year to 31 March
2025 match the DfE's published England figures (DOMAIN.md). Their sizes and rates are
drawn, not copied: an authority's figures here say nothing about the real council with
that code, which is why they are named "Synthetic authority NNN".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np

from childrenmatter.simulator.params import AuthorityParams, Preset, Trajectory, middlesbrough_2018

# The 153 local authorities in England with children's services, by DfE three-digit
# code (DfE "LA and region codes", 2024; Cumbria and Northamptonshire as their successors).
LA_CODES = (
    "201",
    "202",
    "203",
    "204",
    "205",
    "206",
    "207",
    "208",
    "209",
    "210",
    "211",
    "212",
    "213",
    "301",
    "302",
    "303",
    "304",
    "305",
    "306",
    "307",
    "308",
    "309",
    "310",
    "311",
    "312",
    "313",
    "314",
    "315",
    "316",
    "317",
    "318",
    "319",
    "320",
    "330",
    "331",
    "332",
    "333",
    "334",
    "335",
    "336",
    "340",
    "341",
    "342",
    "343",
    "344",
    "350",
    "351",
    "352",
    "353",
    "354",
    "355",
    "356",
    "357",
    "358",
    "359",
    "370",
    "371",
    "372",
    "373",
    "380",
    "381",
    "382",
    "383",
    "384",
    "390",
    "391",
    "392",
    "393",
    "394",
    "420",
    "800",
    "801",
    "802",
    "803",
    "805",
    "806",
    "807",
    "808",
    "810",
    "811",
    "812",
    "813",
    "815",
    "816",
    "821",
    "822",
    "823",
    "825",
    "826",
    "830",
    "831",
    "835",
    "839",
    "840",
    "841",
    "845",
    "846",
    "850",
    "851",
    "852",
    "855",
    "856",
    "857",
    "860",
    "861",
    "865",
    "866",
    "867",
    "868",
    "869",
    "870",
    "871",
    "872",
    "873",
    "874",
    "876",
    "877",
    "878",
    "879",
    "880",
    "881",
    "882",
    "883",
    "884",
    "885",
    "886",
    "887",
    "888",
    "889",
    "890",
    "891",
    "892",
    "893",
    "894",
    "895",
    "896",
    "908",
    "916",
    "919",
    "921",
    "925",
    "926",
    "929",
    "931",
    "933",
    "935",
    "936",
    "937",
    "938",
    "940",
    "941",
    "942",
    "943",
)
REGIONS = {"2": "Inner London", "3": "Outer London"}

# England, DOMAIN.md (DfE statistics, year to 31 March 2025; CIN at 31 March 2024).
ENGLAND_LOOKED_AFTER = 81_770
ENGLAND_CP_PLANS = 49_420
ENGLAND_CIN_DFE = 400_000
ENGLAND_REFERRALS = 632_830
ENGLAND_LA_RATE = 67.0


def england_2025(seed: int = 0) -> tuple[AuthorityParams, ...]:
    """153 authorities from about 150 to about 2,000 looked after, summing to England."""
    assert len(LA_CODES) == 153
    rng = np.random.default_rng(20250331 + seed)
    n = len(LA_CODES)
    # Looked-after counts: log-normal sizes, clipped to the range, then scaled to
    # England's total. The largest is pinned at 2,000 so the range is always spanned.
    lac = np.clip(np.exp(rng.normal(np.log(430), 0.6, n)), 150, 2000)
    lac[np.argmax(lac)] = 2000
    lac[np.argmin(lac)] = 150
    for _ in range(50):
        free = (lac > 150) & (lac < 2000)
        lac[free] *= (ENGLAND_LOOKED_AFTER - lac[~free].sum()) / lac[free].sum()
        lac = np.clip(lac, 150, 2000)
    lac = np.round(lac).astype(int)
    lac[np.argmax(lac * ((lac > 150) & (lac < 2000)))] += ENGLAND_LOOKED_AFTER - lac.sum()
    # Rates per 10,000 (27 to 184 in 2025: DOMAIN.md) give each a child population.
    rate = np.clip(np.exp(rng.normal(np.log(ENGLAND_LA_RATE), 0.35, n)), 27, 184)
    population = lac / rate * 10_000
    # England's child population makes its rate 67 per 10,000 (DOMAIN.md).
    population *= ENGLAND_LOOKED_AFTER / ENGLAND_LA_RATE * 10_000 / population.sum()
    population = np.round(population).astype(int)

    # CP, CIN and referrals follow the looked-after rate loosely.
    def share(total: float, spread: float) -> np.ndarray:
        weight = lac * np.exp(rng.normal(0, spread, n))
        raw = weight / weight.sum() * total
        out = np.round(raw).astype(int)
        out[np.argmax(out)] += int(total) - out.sum()
        return out

    cp = share(ENGLAND_CP_PLANS, 0.3)
    cin_dfe = share(ENGLAND_CIN_DFE, 0.2)
    referrals = share(ENGLAND_REFERRALS, 0.2)
    order = np.argsort(lac / population)
    neighbours = {}
    for rank, i in enumerate(order):
        close = order[max(0, rank - 5) : rank + 6]
        neighbours[LA_CODES[i]] = tuple(LA_CODES[k] for k in close if k != i)[:10]
    start, end = date(2022, 4, 1), date(2025, 3, 31)
    out = []
    for i, code in enumerate(LA_CODES):
        lac_end = float(lac[i])
        cp_end = float(cp[i])
        # The local CIN figure excludes those on plans or looked after; a few children are
        # both (about 3% of the looked after), so the DfE figure is a little more than the sum.
        cin_local = float(cin_dfe[i] - lac_end - cp_end + 0.03 * lac_end)
        out.append(
            AuthorityParams(
                la_code=code,
                la_name=f"Synthetic authority {code}",
                region=REGIONS.get(code[0], "England"),
                population_0_17=int(population[i]),
                population_year=2024,
                population_growth=0.003,
                period_start=start,
                period_end=end,
                looked_after=_gentle(lac_end, 0.96, start, end),
                cp_plans=_gentle(cp_end, 1.02, start, end),
                cin_local=_gentle(cin_local, 0.99, start, end),
                referrals_per_year=float(referrals[i]) / 1.02,
                calibration_date=end,
                connected_person_share=float(np.clip(rng.normal(0.12, 0.04), 0.04, 0.3)),
                late_assessment_share=float(np.clip(rng.normal(0.16, 0.06), 0.03, 0.4)),
                late_icpc_share=float(np.clip(rng.normal(0.22, 0.08), 0.03, 0.5)),
                statistical_neighbours=neighbours[code],
                seed_offset=seed * 1000 + i,
            )
        )
    return tuple(out)


def _gentle(final: float, start_ratio: float, start: date, end: date) -> Trajectory:
    """A straight line to ``final`` at the end from ``final * start_ratio`` at the start."""
    return Trajectory(((start, final * start_ratio), (end, final)))


PRESETS = {
    "middlesbrough-2018": "The seed council: 2016-04 to 2025-03, calibrated to its published "
    "figures on 21 December 2018.",
    "england-2025": "153 synthetic authorities, 2022-04 to 2025-03, whose totals match "
    "England's published figures for the year to 31 March 2025.",
}


def preset(name: str, seed: int = 0) -> Preset:
    if name == "middlesbrough-2018":
        return Preset(name, PRESETS[name], (replace(middlesbrough_2018(), seed_offset=seed),))
    if name == "england-2025":
        return Preset(name, PRESETS[name], england_2025(seed))
    raise KeyError(name)
