"""The skeleton of an authority's casework: one journey per referral.

A journey is one CIN episode — from referral to closure — with its key dates: the
assessment, any child protection plan, any period of care. Four kinds:

- ``SHORT``: referral, perhaps an assessment (and perhaps a section 47 enquiry that leads
  nowhere), then closure or early help;
- ``CIN``: a child in need plan after the assessment;
- ``CP``: strategy discussion, section 47, initial conference and a child protection plan,
  sometimes ending with the child coming into care;
- ``LAC``: a child coming into care without a plan first.

Stocks follow the authority's targets through a monthly controller: each month, as many
new journeys start as are needed for the number open at the month's end to meet its
target, given those already running (whose end dates are drawn when they start). On the
calibration date the stocks are then made exact by adding or removing whole journeys of
children who have no other history, so no record is left dangling.

Days are integers counted from 1970-01-01; ``NEVER`` stands for "not yet ended".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from childrenmatter.clocks.calendar import add_working_days_array
from childrenmatter.simulator.params import AuthorityParams, Trajectory

NEVER = 1_000_000
NONE = -1
YEAR = 365.25
# Days from a birth to the 18th birthday or the day after: 18 years hold four or five leap
# days, so this is never before the birthday (SSDA903 rule 460: E17 only at 18 or over).
EIGHTEEN = 18 * 365 + 5

SHORT, CIN, CP, LAC = 0, 1, 2, 3

# How a period of care ends. Drawn with the age at entry, before its length.
EXIT_HOME, EXIT_ADOPTED, EXIT_SGO, EXIT_CAO, EXIT_AGE18, EXIT_OTHER = range(6)

# [CLA24] reasons ceased by age at entry, simplified: rows are age bands
# (<1, 1-4, 5-9, 10-15, 16-17); columns follow the EXIT_ constants.
EXIT_BY_AGE = np.array([
    [0.28, 0.36, 0.21, 0.05, 0.05, 0.05],
    [0.36, 0.24, 0.20, 0.05, 0.10, 0.05],
    [0.45, 0.03, 0.15, 0.05, 0.27, 0.05],
    [0.55, 0.00, 0.05, 0.03, 0.33, 0.04],
    [0.33, 0.00, 0.00, 0.00, 0.62, 0.05],
])
# Median length of care in days by exit, and the spread (log scale).
EXIT_MEDIAN_DAYS = np.array([120.0, 730.0, 500.0, 420.0, 0.0, 200.0])
EXIT_SIGMA = np.array([1.3, 0.35, 0.5, 0.5, 0.0, 1.0])

# Ages (years) at the start of each kind, as (band lower, band upper, weight).
# [CLA24] starts by age; [CIN24] CP plans and referrals by age.
AGE_BANDS = {
    LAC: ((0.0, 0.08, 0.12), (0.08, 1.0, 0.07), (1, 5, 0.15), (5, 10, 0.15),
          (10, 16, 0.33), (16, 17.9, 0.18)),
    CP: ((0.0, 1.0, 0.12), (1, 5, 0.27), (5, 10, 0.28), (10, 16, 0.29), (16, 17.5, 0.04)),
    CIN: ((-0.3, 0.0, 0.03), (0, 1, 0.06), (1, 5, 0.18), (5, 10, 0.24), (10, 16, 0.36),
          (16, 17.9, 0.13)),
}
AGE_BANDS[SHORT] = AGE_BANDS[CIN]

# Referral volume through the year (a judgement from the CIN census's monthly pattern:
# fewer in August and at Christmas, more in the autumn term).
SEASON = np.array([1.05, 1.0, 1.05, 0.95, 1.05, 1.05, 1.0, 0.8, 0.95, 1.1, 1.1, 0.9])
SEASON = SEASON / SEASON.mean()


def day(d: date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


def add_wd(days: np.ndarray, n: np.ndarray | int) -> np.ndarray:
    starts = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    return add_working_days_array(starts, np.asarray(n)).astype(np.int64)


def lognormal(rng: np.random.Generator, median: float | np.ndarray, sigma: float | np.ndarray,
              size: int) -> np.ndarray:
    return np.asarray(median) * np.exp(np.asarray(sigma) * rng.standard_normal(size))


def target(trajectory: Trajectory, days: np.ndarray | int) -> np.ndarray:
    xs = np.array([day(d) for d, _ in trajectory.points], dtype=float)
    ys = np.array([v for _, v in trajectory.points], dtype=float)
    return np.interp(np.asarray(days, dtype=float), xs, ys)


FIELDS = (
    "kind", "child", "ref", "close", "nfa", "assess_start", "assess_auth", "s47", "sd",
    "icpc", "cp_start", "cp_end", "prev_cp", "cin_start", "cin_end", "lac_start", "lac_end",
    "exit", "early_help_after", "from_early_help",
)


@dataclass
class Journeys:
    """Struct of arrays, one element per journey."""

    arrays: dict[str, np.ndarray]

    @classmethod
    def empty(cls) -> Journeys:
        return cls({f: np.empty(0, dtype=np.int64) for f in FIELDS})

    def __len__(self) -> int:
        return len(self.arrays["kind"])

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["arrays"][name]
        except KeyError:
            raise AttributeError(name) from None

    def extend(self, batch: dict[str, np.ndarray]) -> None:
        n = len(batch["kind"])
        for f in FIELDS:
            value = batch.get(f)
            if value is None:
                value = np.full(n, NONE, dtype=np.int64)
            self.arrays[f] = np.concatenate([self.arrays[f], np.asarray(value, dtype=np.int64)])

    def keep(self, mask: np.ndarray) -> None:
        self.arrays = {f: a[mask] for f, a in self.arrays.items()}


@dataclass
class Children:
    dob: np.ndarray
    last_close: np.ndarray
    last_ref: np.ndarray
    journeys: np.ndarray
    cp_plans: np.ndarray

    @classmethod
    def empty(cls) -> Children:
        z = np.empty(0, dtype=np.int64)
        return cls(z.copy(), z.copy(), z.copy(), z.copy(), z.copy())

    def add(self, dobs: np.ndarray) -> np.ndarray:
        first = len(self.dob)
        n = len(dobs)
        self.dob = np.concatenate([self.dob, dobs.astype(np.int64)])
        self.last_close = np.concatenate([self.last_close, np.full(n, NEVER, np.int64)])
        self.last_ref = np.concatenate([self.last_ref, np.full(n, NEVER, np.int64)])
        self.journeys = np.concatenate([self.journeys, np.zeros(n, np.int64)])
        self.cp_plans = np.concatenate([self.cp_plans, np.zeros(n, np.int64)])
        return np.arange(first, first + n)


class Simulation:
    """One authority's journeys, built month by month."""

    def __init__(self, params: AuthorityParams, rng: np.random.Generator):
        self.p = params
        self.rng = rng
        self.start = day(params.period_start)
        self.end = day(params.period_end)
        self.origin = self.start - int(19 * YEAR)   # room for the history of those in care
        self.journeys = Journeys.empty()
        self.children = Children.empty()
        size = self.end + 3 * 366 - self.origin
        self.delta = {name: np.zeros(size + 1, dtype=np.int64) for name in ("lac", "cp", "cin")}

    # -- stocks -------------------------------------------------------------------------

    def _mark(self, name: str, starts: np.ndarray, ends: np.ndarray, sign: int = 1) -> None:
        valid = (starts != NONE) & (ends > starts)
        starts, ends = starts[valid], ends[valid]
        size = len(self.delta[name]) - 1
        s = np.clip(starts - self.origin, 0, size)
        e = np.clip(ends - self.origin, 0, size)
        np.add.at(self.delta[name], s, sign)
        np.add.at(self.delta[name], e, -sign)

    def _record(self, b: dict[str, np.ndarray], sign: int = 1) -> None:
        self._mark("lac", b["lac_start"], b["lac_end"], sign)
        self._mark("cp", b["cp_start"], b["cp_end"], sign)
        # Children in need by the local definition: the episode is open and the child is
        # neither on a plan nor looked after.
        self._mark("cin", b["ref"], b["close"], sign)
        self._mark("cin", b["cp_start"], b["cp_end"], -sign)
        self._mark("cin", b["lac_start"], b["lac_end"], -sign)

    def stock(self, name: str, at: int) -> int:
        return int(self.delta[name][: at - self.origin + 1].sum())

    # -- drawing ages and children ------------------------------------------------------

    def _ages(self, kind: int, n: int) -> np.ndarray:
        bands = AGE_BANDS[kind]
        weights = np.array([w for _, _, w in bands])
        pick = self.rng.choice(len(bands), size=n, p=weights / weights.sum())
        lo = np.array([b[0] for b in bands])[pick]
        hi = np.array([b[1] for b in bands])[pick]
        return ((lo + (hi - lo) * self.rng.random(n)) * YEAR).astype(np.int64)

    def _assign(self, kind: int, ref: np.ndarray, anchor: np.ndarray,
                max_age_at_anchor: float, repeat: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Children for new journeys: some already known (re-referrals), the rest new.

        Returns the child index of each journey and the number of CP plans each child
        had before it.
        """
        n = len(ref)
        child = np.full(n, NONE, dtype=np.int64)
        share = self.p.repeat_referral_share * (1.4 if kind == CP else 1.0)
        repeat = (self.rng.random(n) < share) & repeat
        known = self.children
        want = np.flatnonzero(repeat)
        if len(want) and len(known.dob):
            first = int(ref.min())
            closed = known.last_close < first
            # Most re-referrals come within a year of the last referral ([CIN24]: 22% of
            # referrals are within 12 months of a previous one); a second CP plan is most
            # likely for a child who has had one.
            pools = [np.flatnonzero(closed & (known.last_ref >= first - 330)),
                     np.flatnonzero(closed & (known.last_ref < first - 330))]
            if kind == CP:
                pools.insert(0, np.flatnonzero(closed & (known.cp_plans > 0)))
                odds = np.array([0.55, 0.3, 0.15])
            else:
                odds = np.array([0.62, 0.38])
            which = self.rng.choice(len(pools), size=len(want), p=odds)
            for k, pool in enumerate(pools):
                rows = want[which == k]
                size = min(len(rows), len(pool))
                if not size:
                    continue
                rows = rows[:size]
                picked = self.rng.choice(pool, size=size, replace=False)
                # A child picked from two pools at once keeps only the first journey.
                fresh = ~np.isin(picked, child)
                age = anchor[rows] - known.dob[picked]
                ok = (fresh & (known.last_close[picked] < ref[rows]) & (age >= 0)
                      & (age < max_age_at_anchor * YEAR) & (ref[rows] - known.dob[picked] > -120))
                child[rows[ok]] = picked[ok]
        new = child == NONE
        ages = self._ages(kind, int(new.sum()))
        if kind in (LAC, CP):
            ages = np.minimum(ages, int(max_age_at_anchor * YEAR) - 1)
            dobs = anchor[new] - ages
        else:
            dobs = ref[new] - ages
        child[new] = self.children.add(dobs)
        prev_cp = self.children.cp_plans[child].copy()
        return child, prev_cp

    def _settle(self, b: dict[str, np.ndarray]) -> None:
        # An episode stays open until its assessment is authorised (CIN rules 8565, 8867).
        authorised = b["assess_auth"] != NONE
        b["close"] = np.where(authorised, np.maximum(b["close"], b["assess_auth"]), b["close"])
        kids = b["child"]
        self.children.last_close[kids] = b["close"]
        self.children.last_ref[kids] = b["ref"]
        self.children.journeys[kids] += 1
        self.children.cp_plans[kids] += (b["cp_start"] != NONE).astype(np.int64)
        self._record(b)
        self.journeys.extend(b)

    @staticmethod
    def _full(b: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Every field, as int64; those a kind does not have are NONE."""
        n = len(b["kind"])
        return {f: (np.asarray(b[f], dtype=np.int64) if f in b
                    else np.full(n, NONE, dtype=np.int64)) for f in FIELDS}

    # -- the parts of a journey ---------------------------------------------------------

    def _assessment(self, ref: np.ndarray, late_share: float) -> tuple[np.ndarray, np.ndarray]:
        n = len(ref)
        start = ref + self.rng.integers(0, 4, n)
        late = self.rng.random(n) < late_share
        wd = np.where(late, self.rng.integers(46, 90, n),
                      np.clip(lognormal(self.rng, 22, 0.45, n), 3, 45).astype(np.int64))
        return start, add_wd(start, wd)

    def _care(self, start: np.ndarray, dob: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """How and when each period of care beginning on ``start`` ends."""
        n = len(start)
        age = (start - dob) / YEAR
        band = np.digitize(age, [1, 5, 10, 16])
        cum = EXIT_BY_AGE[band].cumsum(axis=1)
        exit_ = (self.rng.random(n)[:, None] > cum).sum(axis=1)
        exit_ = np.minimum(exit_, EXIT_OTHER)
        length = lognormal(self.rng, EXIT_MEDIAN_DAYS[exit_], EXIT_SIGMA[exit_], n)
        # A short stay is common for those returning home: a fifth leave within weeks.
        quick = (exit_ == EXIT_HOME) & (self.rng.random(n) < 0.2)
        length = np.where(quick, self.rng.integers(1, 28, n), length).astype(np.int64)
        eighteen = dob + EIGHTEEN
        ends = np.where(exit_ == EXIT_AGE18, eighteen, start + np.maximum(length, 1))
        aged_out = ends >= eighteen
        ends = np.minimum(ends, eighteen)
        exit_ = np.where(aged_out, EXIT_AGE18, exit_)
        return np.maximum(ends, start + 1), exit_

    def _after_care(self, lac_end: np.ndarray, exit_: np.ndarray) -> dict[str, np.ndarray]:
        n = len(lac_end)
        supported = (exit_ == EXIT_HOME) & (self.rng.random(n) < 0.5)
        cin_end = lac_end + self.rng.integers(60, 200, n)
        return {
            "cin_start": np.where(supported, lac_end, NONE),
            "cin_end": np.where(supported, cin_end, NONE),
            "close": np.where(supported, cin_end, lac_end),
        }

    # -- the kinds ----------------------------------------------------------------------

    def short(self, ref: np.ndarray, repeat: bool = True) -> dict[str, np.ndarray]:
        n = len(ref)
        rng = self.rng
        child, prev_cp = self._assign(SHORT, ref, ref, 17.9, repeat)
        nfa = rng.random(n) < 0.12
        a_start, a_auth = self._assessment(ref, self.p.late_assessment_share)
        s47 = ~nfa & (rng.random(n) < 0.35)
        sd = ref + rng.integers(0, 10, n)
        close = np.where(nfa, ref, a_auth + rng.integers(0, 8, n))
        icpc = np.where(s47 & (rng.random(n) < 0.15), self._icpc_after(sd), NONE)
        close = np.where(icpc != NONE, np.maximum(close, icpc + 1), close)
        eh = ~nfa & (rng.random(n) < 0.35)
        return self._full({
            "kind": np.full(n, SHORT), "child": child, "prev_cp": prev_cp, "ref": ref,
            "close": close, "nfa": nfa,
            "assess_start": np.where(nfa, NONE, a_start),
            "assess_auth": np.where(nfa, NONE, a_auth),
            "s47": s47, "sd": np.where(s47, sd, NONE), "icpc": icpc,
            "early_help_after": eh,
        })

    def cin(self, ref: np.ndarray, repeat: bool = True) -> dict[str, np.ndarray]:
        n = len(ref)
        rng = self.rng
        child, prev_cp = self._assign(CIN, ref, ref, 17.9, repeat)
        a_start, a_auth = self._assessment(ref, self.p.late_assessment_share)
        length = np.clip(lognormal(rng, 210, 0.7, n), 30, 6 * YEAR).astype(np.int64)
        cin_end = a_auth + length
        eighteen = self.children.dob[child] + EIGHTEEN
        cin_end = np.minimum(cin_end, np.maximum(eighteen, a_auth + 1))
        s47 = rng.random(n) < 0.25
        sd = ref + rng.integers(0, 10, n)
        icpc = np.where(s47 & (rng.random(n) < 0.2), self._icpc_after(sd), NONE)
        return self._full({
            "kind": np.full(n, CIN), "child": child, "prev_cp": prev_cp, "ref": ref,
            "close": cin_end + rng.integers(0, 15, n), "nfa": np.zeros(n, bool),
            "assess_start": a_start, "assess_auth": a_auth, "cin_start": a_auth,
            "cin_end": cin_end, "s47": s47, "sd": np.where(s47, sd, NONE), "icpc": icpc,
        })

    def _icpc_after(self, sd: np.ndarray) -> np.ndarray:
        n = len(sd)
        late = self.rng.random(n) < self.p.late_icpc_share
        wd = np.where(late, self.rng.integers(16, 31, n), self.rng.integers(5, 16, n))
        return add_wd(sd, wd)

    def cp(self, icpc: np.ndarray, repeat: bool = True, *,
           to_care_share: float | None = None) -> dict[str, np.ndarray]:
        n = len(icpc)
        rng = self.rng
        late = rng.random(n) < self.p.late_icpc_share
        wd = np.where(late, rng.integers(16, 31, n), rng.integers(5, 16, n))
        # Walk back from the conference to the strategy discussion, in working days.
        sd = icpc - np.round(wd * 7 / 5).astype(np.int64)
        icpc = add_wd(sd, wd)
        fast = rng.random(n) < 0.4
        ref = sd - np.where(fast, rng.integers(0, 3, n), rng.integers(3, 40, n))
        child, prev_cp = self._assign(CP, ref, icpc, 17.3, repeat)
        dob = self.children.dob[child]
        a_start, a_auth = self._assessment(ref, self.p.late_assessment_share)
        length = np.clip(lognormal(rng, 285, 0.6, n), 21, 5 * YEAR).astype(np.int64)
        eighteen = dob + EIGHTEEN
        cp_end = np.minimum(icpc + length, np.maximum(eighteen, icpc + 1))
        share = self.p.cp_to_care_share if to_care_share is None else to_care_share
        to_care = (rng.random(n) < share) & (cp_end < eighteen - 30)
        lac_end, exit_ = self._care(cp_end, dob)
        after = self._after_care(lac_end, exit_)
        step_down = ~to_care & (rng.random(n) < 0.6)
        post_end = cp_end + rng.integers(30, 240, n)
        cin_start = np.where(to_care, after["cin_start"], np.where(step_down, cp_end, NONE))
        cin_end = np.where(to_care, after["cin_end"], np.where(step_down, post_end, NONE))
        close = np.where(to_care, after["close"],
                         np.where(step_down, post_end, cp_end + rng.integers(0, 10, n)))
        return self._full({
            "kind": np.full(n, CP), "child": child, "prev_cp": prev_cp, "ref": ref,
            "close": close, "nfa": np.zeros(n, bool), "assess_start": a_start,
            "assess_auth": np.maximum(a_auth, a_start), "s47": np.ones(n, bool), "sd": sd,
            "icpc": icpc, "cp_start": icpc, "cp_end": cp_end,
            "cin_start": cin_start, "cin_end": cin_end,
            "lac_start": np.where(to_care, cp_end, NONE),
            "lac_end": np.where(to_care, lac_end, NONE),
            "exit": np.where(to_care, exit_, NONE),
        })

    def _cp_without_care(self, icpc: np.ndarray, repeat: bool = True) -> dict[str, np.ndarray]:
        return self.cp(icpc, repeat, to_care_share=0.0)

    def lac(self, start: np.ndarray, repeat: bool = True) -> dict[str, np.ndarray]:
        n = len(start)
        rng = self.rng
        emergency = rng.random(n) < 0.45
        lag = np.where(emergency, rng.integers(0, 4, n), rng.integers(14, 120, n))
        ref = start - lag
        child, prev_cp = self._assign(LAC, ref, start, 17.9, repeat)
        dob = self.children.dob[child]
        start = np.maximum(start, dob)   # a baby comes into care no earlier than its birth
        ref = np.minimum(ref, start)
        lac_end, exit_ = self._care(start, dob)
        after = self._after_care(lac_end, exit_)
        a_start, a_auth = self._assessment(ref, self.p.late_assessment_share)
        a_auth = np.maximum(a_auth, a_start)
        s47 = emergency & (rng.random(n) < 0.5)
        pre_plan = ~emergency & (a_auth < start - 14)
        cin_start = np.where(pre_plan, a_auth, after["cin_start"])
        cin_end = np.where(pre_plan, start, after["cin_end"])
        return self._full({
            "kind": np.full(n, LAC), "child": child, "prev_cp": prev_cp, "ref": ref,
            "close": after["close"], "nfa": np.zeros(n, bool), "assess_start": a_start,
            "assess_auth": a_auth, "s47": s47, "sd": np.where(s47, ref, NONE),
            "lac_start": start, "lac_end": lac_end, "exit": exit_,
            # A plan before care and support after it cannot both be held in one pair of
            # columns; the plan after care is dropped where both arise (rare).
            "cin_start": cin_start, "cin_end": cin_end,
        })

    # -- the stock at the start ---------------------------------------------------------

    def seed_stock(self) -> None:
        """Children already in care, on plans and in need when the period starts.

        With entries at a steady rate, those still open at the start are the entries of
        the past whose journeys outlast the time since: so draw starts evenly over the
        longest possible past and keep the journeys still open (exact for a steady rate).
        """
        at = self.start
        plan = (
            (self.p.looked_after, 1.0, "lac", 18.0, self.lac),
            (self.p.cp_plans, 1.0, "cp", 5.0, self._cp_without_care),
            (self.p.cin_local, 0.75, "cin", 6.0, self.cin),
            (self.p.cin_local, 1.0, "cin", 0.4, self.short),
        )
        for trajectory, share, name, years, make in plan:
            goal = int(round(float(target(trajectory, at)) * share))
            while (have := self.stock(name, at)) < goal:
                n = max(2 * (goal - have), 20)
                anchors = np.sort(at - self.rng.integers(1, int(years * YEAR), n))
                batch = make(anchors, repeat=False)
                span = {"lac": ("lac_start", "lac_end"), "cp": ("cp_start", "cp_end"),
                        "cin": ("ref", "close")}[name]
                alive = np.flatnonzero(self._open_at(batch[span[0]], batch[span[1]], at))
                batch = {k: v[alive[: goal - have]] for k, v in batch.items()}
                self._settle(batch)

    # -- the months ---------------------------------------------------------------------

    def _entries(self, gap: float, stay: float) -> int:
        """New journeys to close a gap, given the share expected still open at month end.

        Rounded at random rather than drawn from a Poisson, so that the stock follows its
        target closely; the month-to-month variety comes from the journeys' own lengths.
        """
        want = max(gap, 0.0) / stay
        return int(want + self.rng.random())

    def run(self) -> None:
        self.seed_stock()
        rng = self.rng
        month = np.datetime64(self.p.period_start, "M")
        last = np.datetime64(self.p.period_end, "M")
        spill = 0
        last_cin = 0
        year0 = self.p.period_start.year
        while month <= last:
            before = len(self.journeys)
            a = int(month.astype("datetime64[D]").astype(np.int64))
            b = int((month + 1).astype("datetime64[D]").astype(np.int64))
            t = b - 1
            # Looked after, by those coming into care directly.
            gap = target(self.p.looked_after, t) - self.stock("lac", t)
            n = self._entries(gap, 0.95)
            if n:
                self._settle(self.lac(np.sort(rng.integers(a, b, n))))
            gap = target(self.p.cp_plans, t) - self.stock("cp", t)
            n = self._entries(gap, 0.97)
            if n:
                self._settle(self.cp(np.sort(rng.integers(a, b, n))))
            # Referrals that close soon fill the month's referral volume.
            season = SEASON[int(str(month)[5:7]) - 1]
            growth = 1 + 0.01 * (int(str(month)[:4]) - year0)
            wanted = self.p.referrals_per_year / 12 * season * growth
            already = int(((self.journeys.ref >= a) & (self.journeys.ref < b)).sum())
            n = rng.poisson(max(wanted - already - last_cin - spill, 0.0))
            if n:
                self._settle(self.short(np.sort(rng.integers(a, b, n))))
            gap = target(self.p.cin_local, t) - self.stock("cin", t)
            n = self._entries(gap, 0.9)
            last_cin = n
            if n:
                self._settle(self.cin(np.sort(rng.integers(a, b, n))))
            # Referrals this month's new journeys placed in earlier months.
            spill = int((self.journeys.ref[before:] < a).sum())
            month += 1
        self.calibrate()

    # -- the calibration date -----------------------------------------------------------

    def _open_at(self, start: np.ndarray, end: np.ndarray, at: int) -> np.ndarray:
        return (start != NONE) & (start <= at) & (end > at)

    def _remove(self, rows: np.ndarray) -> None:
        arrays = self.journeys.arrays
        batch = {f: arrays[f][rows] for f in FIELDS}
        self._record(batch, sign=-1)
        keep = np.ones(len(self.journeys), dtype=bool)
        keep[rows] = False
        self.journeys.keep(keep)
        # The removed journeys' children had no other journey; they stay as unused rows in
        # the pool and are dropped when the records are written.
        self.children.journeys[batch["child"]] -= 1

    def _adjust(self, kind: int, count: int, goal: int, at: int, open_rows: np.ndarray,
                make) -> None:
        j = self.journeys
        if count > goal:
            alone = self.children.journeys[j.child[open_rows]] == 1
            candidates = open_rows[alone & (j.kind[open_rows] == kind)]
            drop = self.rng.choice(candidates, size=count - goal, replace=False)
            self._remove(drop)
        while count < goal:
            n = goal - count
            batch = make(np.sort(at - self.rng.integers(0, 365, 3 * n)))
            covering = self._covering(kind, batch, at)
            rows = np.flatnonzero(covering)[:n]
            if len(rows):
                # These children are new: a repeat would have a history to keep.
                batch = {k: v[rows] for k, v in batch.items()}
                self._settle(batch)
            count += len(rows)

    def _covering(self, kind: int, b: dict[str, np.ndarray], at: int) -> np.ndarray:
        if kind == LAC:
            return self._open_at(b["lac_start"], b["lac_end"], at)
        if kind == CP:
            return self._open_at(b["cp_start"], b["cp_end"], at) & (b["lac_start"] == NONE)
        return (self._open_at(b["ref"], b["close"], at)
                & ~self._open_at(b["cp_start"], b["cp_end"], at)
                & ~self._open_at(b["lac_start"], b["lac_end"], at))

    def calibrate(self) -> None:
        """Make the stocks on the calibration date exactly the targets."""
        at = day(self.p.calibration_date)
        goals = {
            LAC: int(round(float(target(self.p.looked_after, at)))),
            CP: int(round(float(target(self.p.cp_plans, at)))),
            CIN: int(round(float(target(self.p.cin_local, at)))),
        }
        for kind, make in ((LAC, self.lac), (CP, self._cp_without_care), (CIN, self.cin)):
            j = self.journeys
            open_rows = np.flatnonzero(self._covering(kind, j.arrays, at))
            name = {LAC: "lac", CP: "cp", CIN: "cin"}[kind]
            count = self.stock(name, at)
            if kind == CIN and count > goals[CIN]:
                # Short journeys may be removed as well as CIN plans.
                alone = self.children.journeys[j.child[open_rows]] == 1
                candidates = open_rows[alone & np.isin(j.kind[open_rows], (SHORT, CIN))]
                drop = self.rng.choice(candidates, size=count - goals[CIN], replace=False)
                self._remove(drop)
                continue
            self._adjust(kind, count, goals[kind], at, open_rows, make)
