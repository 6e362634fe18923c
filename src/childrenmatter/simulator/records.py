"""From journeys to the child-level dataset's tables.

The journeys fix the key dates (referral, plan, period of care and their ends); this module
draws the detail that hangs off them — contacts, assessments' factors, conferences,
visits, episodes of care, reviews, missing episodes, adoption steps, care leavers'
birthdays, workers and allocations — and writes nothing dated after the period's end:
what has not happened yet is null, as in a real extract.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from childrenmatter.simulator.journeys import (
    CIN,
    CP,
    EIGHTEEN,
    EXIT_ADOPTED,
    EXIT_AGE18,
    EXIT_CAO,
    EXIT_SGO,
    LAC,
    NEVER,
    NONE,
    SHORT,
    YEAR,
    Simulation,
    add_wd,
    lognormal,
)
from childrenmatter.simulator.params import AuthorityParams

# [CIN24] referral sources, 2023-24 (police 29%, schools 21%, health 15%, LA services 12%,
# individuals 7%, other/unknown the rest).
SOURCES = {
    "6": 0.29, "2A": 0.19, "2B": 0.02, "3A": 0.03, "3B": 0.02, "3C": 0.01, "3D": 0.03,
    "3E": 0.03, "3F": 0.03, "5A": 0.04, "5B": 0.04, "5C": 0.02, "5D": 0.02, "1A": 0.04,
    "1B": 0.01, "1C": 0.01, "1D": 0.01, "4": 0.02, "7": 0.01, "8": 0.06, "9": 0.02, "10": 0.05,
}
# [CIN24] primary need at assessment: abuse or neglect 57%, family dysfunction 15%,
# acute stress 8%, disability 9%, and the rest.
NEEDS = {"N1": 0.57, "N2": 0.09, "N3": 0.03, "N4": 0.08, "N5": 0.15, "N6": 0.03,
         "N7": 0.005, "N8": 0.03, "N9": 0.015}
# [CIN24] factors identified at assessment, the most common first (share of assessments).
FACTORS = {"3B": 0.31, "4B": 0.31, "3A": 0.16, "2B": 0.15, "4A": 0.17, "1B": 0.12,
           "20": 0.09, "14A": 0.05, "15A": 0.04, "5B": 0.04, "6A": 0.04, "11A": 0.03,
           "24A": 0.03, "10A": 0.03, "6B": 0.04, "5A": 0.04}
# [CIN24] CP plans by initial category: neglect 49%, emotional 38%, physical 6%, sexual 4%,
# multiple 3%.
CATEGORIES = {"NEG": 0.49, "EMO": 0.38, "PHY": 0.06, "SAB": 0.04, "MUL": 0.03}
# 2021 census, England (children): the largest ethnic groups; the rest spread thinly.
ETHNICITY = {"WBRI": 0.70, "WOTH": 0.04, "WIRI": 0.003, "WIRT": 0.002, "WROM": 0.005,
             "MWBC": 0.03, "MWBA": 0.01, "MWAS": 0.015, "MOTH": 0.025, "AIND": 0.025,
             "APKN": 0.04, "ABAN": 0.015, "AOTH": 0.015, "BCRB": 0.01, "BAFR": 0.035,
             "BOTH": 0.005, "CHNE": 0.004, "OOTH": 0.02, "REFU": 0.002, "NOBT": 0.004}
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def pick(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    codes = np.array(list(table))
    weights = np.array(list(table.values()))
    return codes[rng.choice(len(codes), size=n, p=weights / weights.sum())]


def upn(la_code: str, serials: np.ndarray, years: np.ndarray) -> pl.Series:
    """Unique pupil numbers with a valid check letter (DfE UPN guidance: weights 2-13
    over characters 2-13, remainder mod 23 indexes the check letters)."""
    la = np.array([int(ch) for ch in f"{la_code[:3]:0>3}"], dtype=np.int64)
    # Serials fill the school number and the last three digits, so no two children share one.
    school = 2000 + (serials // 1000) % 7000
    digits = np.column_stack(
        [np.tile(la, (len(serials), 1))]
        + [(school // 10**k) % 10 for k in (3, 2, 1, 0)]
        + [(years % 100) // 10, years % 10]
        + [(serials % 1000 // 10**k) % 10 for k in (2, 1, 0)]
    )
    check = (digits * np.arange(2, 14)).sum(axis=1) % 23
    letters = pl.Series(np.array(list(UPN_LETTERS))[check])
    number = int(la_code[:3]) * 10**9 + school * 10**5 + (years % 100) * 10**3 + serials % 1000
    body = pl.Series(number).cast(pl.String).str.zfill(12)
    return pl.select(pl.lit(letters) + pl.lit(body)).to_series().alias("upn")


def dates(days: np.ndarray) -> pl.Series:
    """Days since 1970 as a date column; NONE and NEVER become null."""
    arr = np.asarray(days, dtype=np.int64)
    series = pl.Series(arr.astype("datetime64[D]"))
    return series.set(pl.Series((arr == NONE) | (arr >= NEVER)), None) if len(arr) else series


def ids(prefix: str, numbers, width: int) -> pl.Series:
    """Identifiers such as C0000123 for an array of numbers; NONE gives null."""
    arr = np.asarray(numbers, dtype=np.int64)
    text = pl.Series(arr).cast(pl.String).str.zfill(width)
    out = pl.select(pl.lit(prefix) + pl.lit(text)).to_series()
    return out.set(pl.Series(arr == NONE), None) if len(arr) else out.cast(pl.String)


def datetimes(days: np.ndarray, seconds: np.ndarray) -> pl.Series:
    """Days since 1970 plus seconds into the day, as a datetime column."""
    moments = days.astype("datetime64[D]").astype("datetime64[us]")
    return pl.Series(moments + (seconds * 1_000_000).astype("timedelta64[us]"))


def sequence(rng: np.random.Generator, starts: np.ndarray, ends: np.ndarray, first, step,
             limit: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Dates at intervals from each start until its end: (owner index, date) pairs.

    ``first(n)`` and ``step(n)`` draw day offsets for n owners at a time.
    """
    owners = np.arange(len(starts))
    current = starts + first(len(starts))
    out_owner, out_day = [], []
    for _ in range(limit):
        alive = current < ends[owners]
        if not alive.any():
            break
        owners, current = owners[alive], current[alive]
        out_owner.append(owners)
        out_day.append(current)
        current = current + step(len(current))
    if not out_owner:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(out_owner), np.concatenate(out_day)


class Writer:
    """Turns one authority's simulation into the dataset's tables."""

    def __init__(self, sim: Simulation):
        self.sim = sim
        self.p: AuthorityParams = sim.p
        self.rng = np.random.default_rng(sim.rng.integers(2**63))
        self.end = sim.end
        self.start = sim.start
        self.visible_from = sim.start - 365   # older visits and contacts are left out
        j = sim.journeys
        self.j = j
        used = np.unique(j.child)
        self.child_index = used
        self.dob = sim.children.dob

    # -- helpers -------------------------------------------------------------------------

    def upto(self, days: np.ndarray) -> np.ndarray:
        """Null (NEVER) for anything after the period's end."""
        days = np.asarray(days, dtype=np.int64)
        return np.where((days > self.end) | (days == NONE), NEVER, days)

    def child_ids(self, index: np.ndarray) -> pl.Series:
        return ids("C", index, 7)

    def frame(self, columns: dict) -> pl.DataFrame:
        n = len(next(iter(columns.values())))
        data = {"la_code": pl.Series([self.p.la_code] * n, dtype=pl.String)}
        data.update(columns)
        return pl.DataFrame(data)

    # -- tables --------------------------------------------------------------------------

    def build(self) -> dict[str, pl.DataFrame]:
        tables: dict[str, pl.DataFrame] = {}
        tables["authorities"] = pl.DataFrame({
            "la_code": [self.p.la_code], "la_name": [self.p.la_name], "region": [self.p.region],
            "statistical_neighbours": [list(self.p.statistical_neighbours)],
            "period_start": [self.p.period_start], "period_end": [self.p.period_end],
        })
        years = np.arange(self.p.period_start.year - 1, self.p.period_end.year + 1)
        pops = np.round(self.p.population_0_17
                        * (1 + self.p.population_growth) ** (years - self.p.population_year))
        tables["population"] = self.frame({"year": years, "population_0_17": pops.astype(int)})
        self.contacts(tables)
        self.casework(tables)
        self.care(tables)
        self.workforce(tables)
        tables["children"] = self.children(tables)
        return tables

    def children(self, tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
        rng = self.rng
        ids = np.unique(np.concatenate([self.child_index, self.extra_children]))
        n = len(ids)
        dob = self.dob[ids]
        uasc = np.isin(ids, self.uasc_children)
        sex = np.where(rng.random(n) < np.where(uasc, 0.93, 0.52), "M", "F")
        ethnic = pick(rng, ETHNICITY, n)
        ethnic = np.where(uasc, pick(rng, {"AOTH": 0.4, "BAFR": 0.3, "OOTH": 0.3}, n), ethnic)
        disabled = rng.random(n) < 0.09
        kinds = pick(rng, {"LD": 0.3, "AUT": 0.3, "BEH": 0.15, "COMM": 0.1, "MOB": 0.1,
                           "HEAR": 0.05}, n)
        born = dob <= self.end
        school_age = (self.end - dob) > 4 * YEAR
        upns = upn(self.p.la_code, ids, ((dob / YEAR) + 1970).astype(int))
        # UASC status ends by the 18th birthday (rule 304): EIGHTEEN may be the day after.
        eighteen = dob + EIGHTEEN - 1
        # Young mothers: a judgement of about 3% of girls having a first child between 15
        # and 18 (the 903 counts a few hundred looked after mothers a year). Recorded for
        # every girl (903 MOTHER), known as at the period's end.
        girl = sex == "F"
        first_child = dob + (rng.uniform(15, 18, n) * YEAR).astype(np.int64)
        mother = girl & born & (rng.random(n) < 0.03) & (first_child <= self.end)
        return self.frame({
            "child_id": self.child_ids(ids),
            "upn": upns.set(pl.Series(~school_age), None),
            "sex": sex,
            "date_of_birth": dates(np.where(born, dob, NEVER)),
            "expected_date_of_birth": dates(np.where(born, NEVER, dob)),
            "ethnicity": ethnic,
            "disabilities": pl.Series([[k] if d else [] for k, d in
                                       zip(kinds.tolist(), disabled.tolist(), strict=True)],
                                      dtype=pl.List(pl.String)),
            "uasc": uasc,
            "uasc_ceased_date": dates(np.where(uasc, self.upto(eighteen), NEVER)),
            "date_of_death": dates(np.full(n, NEVER)),
            "mother": pl.Series(mother).set(pl.Series(~(girl & born)), None),
            "mother_child_dob": dates(np.where(mother, first_child, NEVER)),
        })

    def contacts(self, tables: dict[str, pl.DataFrame]) -> None:
        """A contact before every referral, and the contacts that went no further."""
        rng, j, p = self.rng, self.j, self.p
        n_ref = len(j)
        late = rng.random(n_ref) < p.late_contact_decision_share
        back = np.where(late, rng.integers(2, 6, n_ref), rng.integers(0, 2, n_ref))
        decided = j.ref
        received = decided - np.round(back * 7 / 5).astype(np.int64)
        sources = pick(rng, SOURCES, n_ref)
        dv = (sources == "6") & (rng.random(n_ref) < 0.5)
        fast = (j.sd != NONE) & (j.sd <= j.ref + 1)
        # Others: about one and a half contacts that go no further for each referral
        # (a judgement: authorities report two to three contacts per referral).
        in_period = (j.ref >= self.start) & (j.ref <= self.end)
        n_other = int(rng.poisson(1.5 * in_period.sum()))
        other_day = np.sort(rng.integers(self.start, self.end + 1, n_other))
        known = rng.random(n_other) < 0.3
        kids = np.where(known, rng.choice(self.child_index, size=n_other), NONE)
        ok = known & (other_day - self.dob[np.maximum(kids, 0)] > 0) & (
            other_day - self.dob[np.maximum(kids, 0)] < 17.5 * YEAR)
        kids = np.where(ok, kids, NONE)
        new = kids == NONE
        ages = (rng.random(int(new.sum())) * 17.5 * YEAR).astype(np.int64)
        new_ids = self.sim.children.add(other_day[new] - ages)
        kids[new] = new_ids
        # A sibling group is one contact about several children.
        siblings = new & (rng.random(n_other) < 0.2)
        sib_ids = self.sim.children.add(other_day[siblings] - (rng.random(int(siblings.sum()))
                                                                * 17 * YEAR).astype(np.int64))
        self.dob = self.sim.children.dob
        self.extra_children = np.concatenate([kids, sib_ids])
        outcome = pick(rng, {"nfa": 0.45, "advice_signposting": 0.30, "early_help": 0.25},
                       n_other)
        o_sources = pick(rng, SOURCES, n_other)
        o_dv = (o_sources == "6") & (rng.random(n_other) < 0.6)
        o_late = rng.random(n_other) < p.late_contact_decision_share
        o_decided = add_wd(other_day, np.where(o_late, rng.integers(2, 5, n_other),
                                               rng.integers(0, 2, n_other)))
        contact_ids = np.concatenate([np.arange(n_ref), n_ref + np.arange(n_other)])
        child = np.concatenate([j.child, kids, sib_ids])
        cid = np.concatenate([contact_ids, n_ref + np.flatnonzero(siblings)])
        rec = np.concatenate([received, other_day, other_day[siblings]])
        dec = np.concatenate([decided, o_decided, o_decided[siblings]])
        src = np.concatenate([sources, o_sources, o_sources[siblings]])
        is_dv = np.concatenate([dv, o_dv, o_dv[siblings]])
        out = np.concatenate([np.where(fast, "strategy_discussion", "referral"), outcome,
                              outcome[siblings]])
        n = len(child)
        rag = pick(rng, {"red": 0.12, "amber": 0.33, "green": 0.55}, n)
        hours = rng.integers(8, 18, n) * 3600 + rng.integers(0, 3600, n)
        dec_hours = np.clip(hours + rng.integers(1800, 6 * 3600, n), 0, 86399)
        # A sibling's row shares its contact's rating and times: one contact, received and
        # decided once (the store holds one contact per contact_id).
        first = np.concatenate([np.arange(n_ref + n_other), n_ref + np.flatnonzero(siblings)])
        rag, hours, dec_hours = rag[first], hours[first], dec_hours[first]
        keep = (rec >= self.visible_from) & (dec <= self.end)
        self.contact_of_journey = np.where(keep[:n_ref], np.arange(n_ref), NONE)
        frame = self.frame({
            "contact_id": ids("K", cid, 8),
            "child_id": self.child_ids(child),
            "contact_datetime": datetimes(rec, hours),
            "source": src, "domestic_abuse": is_dv, "rag": rag,
            "decision_datetime": datetimes(dec, dec_hours),
            "outcome": out,
        })
        tables["contacts"] = frame.filter(pl.Series(keep))
        # Early help: from contacts, after assessments (step down), before referrals (step up).
        eh_from_contact = (outcome == "early_help")
        c_rows = np.flatnonzero(eh_from_contact)
        sd = j.arrays["early_help_after"] == 1
        step_up = (j.kind != LAC) & (sources == "5D")
        starts = np.concatenate([o_decided[c_rows] + rng.integers(0, 10, len(c_rows)),
                                 j.close[sd] + rng.integers(0, 8, int(sd.sum())),
                                 j.ref[step_up] - rng.integers(60, 240, int(step_up.sum()))])
        length = lognormal(rng, 150, 0.5, len(starts)).astype(np.int64)
        ends = np.concatenate([starts[: len(c_rows) + int(sd.sum())]
                               + length[: len(c_rows) + int(sd.sum())], j.ref[step_up]])
        reasons = np.concatenate([
            pick(rng, {"completed": 0.7, "disengaged": 0.15, "moved_away": 0.05, "other": 0.1},
                 len(c_rows) + int(sd.sum())),
            np.full(int(step_up.sum()), "stepped_up"),
        ])
        kids_eh = np.concatenate([kids[c_rows], j.child[sd], j.child[step_up]])
        contact_ref = np.concatenate([n_ref + c_rows, np.full(int(sd.sum() + step_up.sum()),
                                                              NONE)])
        visible = (ends >= self.visible_from) & (starts <= self.end)
        end_known = ends <= self.end
        tables["early_help_episodes"] = self.frame({
            "early_help_id": ids("E", np.arange(len(starts)), 7),
            "child_id": self.child_ids(kids_eh),
            "start_date": dates(starts),
            "end_date": dates(np.where(end_known, ends, NEVER)),
            "end_reason": pl.Series(np.where(end_known, reasons, None).tolist(), dtype=pl.String),
            "lead_agency": pick(rng, {"school": 0.4, "health": 0.2, "early_help_service": 0.3,
                                      "voluntary": 0.1}, len(starts)),
            "contact_id": ids("K", contact_ref, 8),
        }).filter(pl.Series(visible))
        self.sources = sources

    def casework(self, tables: dict[str, pl.DataFrame]) -> None:
        rng, j = self.rng, self.j
        n = len(j)
        rid = ids("R", np.arange(n), 7)
        self.referral_ids = rid
        close = self.upto(j.close)
        reason = np.full(n, "RC7", dtype=object)
        reason[j.nfa == 1] = "RC8"
        assessed_only = (j.kind == SHORT) & (j.nfa == 0)
        reason[assessed_only] = np.where(j.early_help_after[assessed_only] == 1, "RC9", "RC8")
        # "Closed after assessment" does not fit an episode that went on to a section 47
        # (CIN rule 2990).
        reason[assessed_only & (j.sd != NONE)] = "RC7"
        ex = j.exit
        cared = j.lac_start != NONE
        after_care = cared & (j.cin_start != j.lac_end)
        for code, value in ((EXIT_ADOPTED, "RC1"), (EXIT_SGO, "RC4"), (EXIT_CAO, "RC3")):
            reason[after_care & (ex == code)] = value
        to_adults = after_care & (ex == EXIT_AGE18) & (rng.random(n) < 0.25)
        reason[to_adults] = "RC6"
        moved = (reason == "RC7") & (rng.random(n) < 0.04)
        reason[moved] = "RC5"
        need = pick(rng, NEEDS, n)
        need[(j.kind == CP) | (j.kind == LAC)] = np.where(
            rng.random(int(((j.kind == CP) | (j.kind == LAC)).sum())) < 0.85, "N1", "N5")
        contact = ids("K", self.contact_of_journey, 8)
        referrals = self.frame({
            "referral_id": rid, "child_id": self.child_ids(j.child),
            "referral_date": dates(j.ref), "referral_source": self.sources,
            "primary_need": need, "referral_nfa": j.nfa == 1,
            "closure_date": dates(close),
            "closure_reason": pl.Series(np.where(close == NEVER, None, reason).tolist(),
                                        dtype=pl.String),
            "contact_id": contact,
        })
        tables["referrals"] = referrals

        # Assessments.
        rows = np.flatnonzero(j.assess_start != NONE)
        auth = self.upto(j.assess_auth[rows])
        count = rng.integers(1, 4, len(rows))
        factors = []
        for k in count.tolist():
            factors.append(sorted(set(pick(rng, FACTORS, k).tolist())))
        none_found = (j.kind[rows] == SHORT) & (rng.random(len(rows)) < 0.15)
        factors = [["21"] if nf else f for f, nf in zip(factors, none_found.tolist(),
                                                         strict=True)]
        kind = j.kind[rows]
        outcome = np.select(
            [kind == SHORT, kind == CIN, kind == CP, kind == LAC],
            [np.where(j.early_help_after[rows] == 1, "early_help", "nfa"), "cin_plan",
             "strategy_discussion", "looked_after"], "other_services")
        done = auth != NEVER
        tables["assessments"] = self.frame({
            "assessment_id": ids("A", rows, 7),
            "referral_id": rid.gather(rows), "child_id": self.child_ids(j.child[rows]),
            "start_date": dates(j.assess_start[rows]), "authorised_date": dates(auth),
            "factors": pl.Series([f if d else None for f, d in zip(factors, done.tolist(),
                                                                  strict=True)],
                                 dtype=pl.List(pl.String)),
            "outcome": pl.Series(np.where(done, outcome, None).tolist(), dtype=pl.String),
            "worker_id": pl.Series([None] * len(rows), dtype=pl.String),
        }).filter(pl.col("start_date") <= self.p.period_end)

        # Strategy discussions and section 47 enquiries.
        rows = np.flatnonzero(j.sd != NONE)
        sd = j.sd[rows]
        icpc = j.icpc[rows]
        s47 = (icpc != NONE) | (rng.random(len(rows)) < 0.9)
        sdid = ids("D", rows, 7)
        tables["strategy_discussions"] = self.frame({
            "strategy_discussion_id": sdid, "referral_id": rid.gather(rows),
            "child_id": self.child_ids(j.child[rows]), "discussion_date": dates(sd),
            "section_47": s47,
        }).filter(pl.col("discussion_date") <= self.p.period_end)
        s_end = np.where(icpc != NONE, icpc, add_wd(sd, rng.integers(5, 16, len(rows))))
        self.s47_ids = {int(r): f"S{r:07d}" for r in rows[s47].tolist()}
        tables["section_47_enquiries"] = self.frame({
            "s47_id": ids("S", rows[s47], 7),
            "referral_id": rid.gather(rows[s47]),
            "strategy_discussion_id": sdid.filter(pl.Series(s47)),
            "child_id": self.child_ids(j.child[rows[s47]]),
            "start_date": dates(sd[s47]), "end_date": dates(self.upto(s_end[s47])),
            "icpc_required": icpc[s47] != NONE,
            "icpc_date": dates(self.upto(icpc[s47])),
        }).filter(pl.col("start_date") <= self.p.period_end)

        # Child protection plans, conferences and visits.
        rows = np.flatnonzero(j.cp_start != NONE)
        cat = pick(rng, CATEGORIES, len(rows))
        latest = np.where(rng.random(len(rows)) < 0.1, pick(rng, CATEGORIES, len(rows)), cat)
        planid = ids("P", rows, 7)
        cp_end = self.upto(j.cp_end[rows])
        tables["cp_plans"] = self.frame({
            "cp_plan_id": planid, "referral_id": rid.gather(rows),
            "child_id": self.child_ids(j.child[rows]),
            "start_date": dates(j.cp_start[rows]), "end_date": dates(cp_end),
            "initial_category": cat, "latest_category": latest,
            "previous_plans": j.prev_cp[rows],
        }).filter(pl.col("start_date") <= self.p.period_end)
        initial_rows = np.flatnonzero((j.icpc != NONE) & (j.icpc <= self.end))
        plan_of = {int(r): f"P{r:07d}" for r in rows.tolist()}
        owner, review = sequence(
            rng, j.cp_start[rows], np.minimum(j.cp_end[rows], self.end + 1),
            first=lambda k: np.where(rng.random(k) < 0.9, rng.integers(70, 92, k),
                                     rng.integers(92, 120, k)),
            step=lambda k: np.where(rng.random(k) < 0.9, rng.integers(150, 183, k),
                                    rng.integers(183, 220, k)))
        conf_child = np.concatenate([j.child[initial_rows], j.child[rows][owner]])
        tables["cp_conferences"] = self.frame({
            "conference_id": ids("F", np.arange(len(conf_child)), 8),
            "child_id": self.child_ids(conf_child),
            "conference_type": ["initial"] * len(initial_rows) + ["review"] * len(owner),
            "conference_date": dates(np.concatenate([j.icpc[initial_rows], review])),
            "s47_id": pl.Series([self.s47_ids.get(int(r)) for r in initial_rows.tolist()]
                                + [None] * len(owner), dtype=pl.String),
            "cp_plan_id": pl.Series([plan_of.get(int(r)) for r in initial_rows.tolist()]
                                    + [f"P{r:07d}" for r in rows[owner].tolist()],
                                    dtype=pl.String),
        })

        # Child in need plans.
        crow = np.flatnonzero(j.cin_start != NONE)
        crow = crow[j.cin_start[crow] <= self.end]
        tables["cin_plans"] = self.frame({
            "cin_plan_id": ids("N", crow, 7),
            "referral_id": rid.gather(crow), "child_id": self.child_ids(j.child[crow]),
            "start_date": dates(j.cin_start[crow]),
            "end_date": dates(self.upto(j.cin_end[crow])),
        })
        # Visits: CP every 10 working days, CIN every 20 (local standards, DOMAIN.md).
        in_time = 0.88
        cp_owner, cp_day = sequence(
            rng, j.cp_start[rows], np.minimum(j.cp_end[rows], self.end + 1),
            first=lambda k: rng.integers(1, 10, k),
            step=lambda k: np.where(rng.random(k) < in_time, rng.integers(7, 14, k),
                                    rng.integers(15, 25, k)))
        cin_owner, cin_day = sequence(
            rng, j.cin_start[crow], np.minimum(j.cin_end[crow], self.end + 1),
            first=lambda k: rng.integers(3, 25, k),
            step=lambda k: np.where(rng.random(k) < in_time, rng.integers(14, 28, k),
                                    rng.integers(29, 45, k)))
        self.visit_parts = [
            (j.child[rows][cp_owner], cp_day, "cp"),
            (j.child[crow][cin_owner], cin_day, "cin"),
        ]

    # -- care ----------------------------------------------------------------------------

    def care(self, tables: dict[str, pl.DataFrame]) -> None:
        from childrenmatter.simulator.care import build_care

        build_care(self, tables)

    def visits(self, tables: dict[str, pl.DataFrame]) -> None:
        rng = self.rng
        child = np.concatenate([c for c, _, _ in self.visit_parts])
        when = np.concatenate([d for _, d, _ in self.visit_parts])
        kind = np.concatenate([np.full(len(c), k) for c, _, k in self.visit_parts])
        keep = (when >= self.visible_from) & (when <= self.end)
        child, when, kind = child[keep], when[keep], kind[keep]
        age = when - self.dob[child]
        seen = rng.random(len(child)) < 0.97
        alone = seen & (age >= 4 * YEAR) & (rng.random(len(child)) < 0.72)
        order = np.lexsort((when, child))
        tables["visits"] = self.frame({
            "visit_id": ids("V", np.arange(len(child)), 8),
            "child_id": self.child_ids(child[order]), "visit_date": dates(when[order]),
            "visit_type": kind[order], "seen": seen[order], "seen_alone": alone[order],
            "worker_id": pl.Series([None] * len(child), dtype=pl.String),
        })

    # -- workforce -----------------------------------------------------------------------

    def workforce(self, tables: dict[str, pl.DataFrame]) -> None:
        from childrenmatter.simulator.workforce import build_workforce

        self.visits(tables)
        build_workforce(self, tables)

