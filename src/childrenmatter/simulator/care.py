"""Periods of care: legal statuses, placements, episodes, reviews, visits, missing
episodes, adoption and care leavers.

A period of care is a run of episodes; a new episode starts whenever the legal status or
the placement changes (SSDA903 guidance), so episodes are made from the two timelines.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from childrenmatter.simulator.journeys import (
    EXIT_ADOPTED,
    EXIT_AGE18,
    EXIT_CAO,
    EXIT_HOME,
    EXIT_SGO,
    NEVER,
    NONE,
    YEAR,
    add_wd,
    day,
    lognormal,
)
from childrenmatter.simulator.records import dates, pick, sequence

# Supported accommodation (K3) replaced semi-independent living (H5) from 1 April 2024
# (SSDA903 2024-25 specification).
K3_FROM = day(date(2024, 4, 1))
CONNECTED = ("U1", "U2", "U3")
NEW_ADOPTERS = "A6 new"   # A6 drawn where A5 was: see Period.placements
FOSTER = ("U4", "U5", "U6")
RESIDENTIAL = ("K1", "K2", "R1", "S1")
MOVE_REASONS = {"CARPL": 0.40, "CREQB": 0.14, "CREQO": 0.10, "CHILD": 0.08, "LAREQ": 0.08,
                "STAND": 0.03, "ALLEG": 0.03, "CLOSE": 0.03, "APPRR": 0.02, "OTHER": 0.09}
# Weekly costs in pounds (a judgement from published LA benchmarking: in-house fostering
# ~£450, agency fostering ~£900, children's homes ~£5,500).
COST = {"U1": 280, "U2": 280, "U3": 280, "U4": 450, "U5": 450, "U6": 450, "K1": 8000,
        "K2": 5500, "K3": 1600, "H5": 1400, "P1": 0, "R1": 3500, "R3": 2500, "S1": 4000,
        "A5": 300, "A6": 300}


class Period:
    """Draws the timelines of one period of care."""

    def __init__(self, writer, rng: np.random.Generator):
        self.w = writer
        self.rng = rng
        self.p = writer.p

    def place_type(self, age: float, at: int, since: int, uasc: bool, court: bool) -> str:
        rng = self.rng
        long_term = since > 365 and rng.random() < 0.6
        semi = "K3" if at >= K3_FROM else "H5"
        share = self.p.connected_person_share
        if uasc:
            return semi if age >= 16 and rng.random() < 0.6 else "U6"
        r = rng.random()
        if age < 10:
            if court and r < 0.05:
                return "P1"
            if age < 1 and r < 0.07:
                return "R3"
            if r < 0.07 + share:
                return "U1" if long_term else "U3"
            return "U4" if long_term else "U6"
        if age < 16:
            if r < share * 0.8:
                return "U1" if long_term else "U3"
            if r < share * 0.8 + 0.2:
                return "K2" if rng.random() < 0.97 else "K1"
            return "U4" if long_term else "U6"
        if r < share * 0.6:
            return "U1" if long_term else "U3"
        if r < share * 0.6 + 0.12:
            return "K2"
        if r < share * 0.6 + 0.42:
            return semi
        return "U4" if long_term else "U6"

    def legal(self, s: int, e: int, age: float, exit_: int, uasc: bool) -> tuple[list, int]:
        """The legal statuses as (day, code) and the final hearing day (NONE if none)."""
        rng = self.rng
        if uasc:
            return [(s, "V2")], NONE
        if age >= 12 and rng.random() < 0.015:
            # PACE transfers last hours to days (rule 364: at most 21 days in all); a
            # child still looked after afterwards is accommodated under section 20.
            pace = int(rng.integers(1, 15))
            return ([(s, "J2"), (s + pace, "V2")] if e - s > pace else [(s, "J2")]), NONE
        if exit_ in (EXIT_ADOPTED, EXIT_SGO, EXIT_CAO):
            p_court = 1.0
        elif exit_ == EXIT_AGE18:
            p_court = 0.85 if age < 14 else 0.35
        elif exit_ == EXIT_HOME:
            p_court = (0.3 if age < 10 else 0.12) if e - s > 60 else 0.02
        else:
            p_court = 0.3
        if rng.random() >= p_court:
            return [(s, "V2")], NONE
        timeline = []
        r = rng.random()
        c1 = s
        if r < 0.12:
            timeline.append((s, "L1"))
            c1 = s + int(rng.integers(1, 4))
        elif r < 0.17:
            timeline.append((s, "L2"))
            c1 = s + int(rng.integers(2, 9))
        elif r < 0.37 and e - s > 120:
            timeline.append((s, "V2"))
            c1 = s + int(rng.integers(30, 180))
        if c1 >= e:
            return timeline or [(s, "V2")], NONE
        timeline.append((c1, "C1"))
        # Care proceedings: the Public Law Outline's 26 weeks, often exceeded (Cafcass:
        # average about 40 weeks in 2023-24).
        hearing = c1 + int(lognormal(rng, 280, 0.3, 1)[0])
        if exit_ == EXIT_ADOPTED:
            hearing = min(hearing, s + int((e - s) * 0.45))
            timeline.append((hearing, "E1"))
            return timeline, hearing
        if hearing < e - 1:
            timeline.append((hearing, "C2"))
            return timeline, hearing
        return timeline, e

    def placements(self, s: int, e: int, dob: int, exit_: int, uasc: bool, order_from: int,
                   placed: int) -> list[tuple[int, str]]:
        """Placements as (day, type); ``order_from`` is the first day under a care or
        placement order (NONE if never): only then may a child be placed with parents
        (rule 378: not under section 20)."""
        rng = self.rng
        limit = min(e, self.w.end + 1)
        out: list[tuple[int, str]] = []
        t = s
        while t < limit:
            if placed != NONE and t >= placed:
                break
            court = order_from != NONE and t >= order_from
            kind = self.place_type((t - dob) / YEAR, t, t - s, uasc, court)
            out.append((t, kind))
            rate = (1.1 if t - s < 365 else 0.4) * (0.5 if kind in CONNECTED else 1.0)
            t = t + max(1, int(rng.exponential(365 / rate)))
        if placed != NONE and placed < limit:
            # A5 is placed for adoption with the current foster carers: only from foster
            # care (from placement with parents, say, it would keep PR0: rule 550).
            # From elsewhere it is A6, marked so that build_care draws nothing more for it
            # than for an A5 (keeping the calibrated draws as they were).
            fostered = bool(out) and out[-1][1] in FOSTER + CONNECTED
            if rng.random() < 0.1:
                out.append((placed, "A5" if fostered else NEW_ADOPTERS))
            else:
                out.append((placed, "A6"))
        # Semi-independent placements open on 1 April 2024 became supported accommodation.
        if s < K3_FROM < limit:
            current = [k for d, k in out if d < K3_FROM]
            if current and current[-1] == "H5" and all(d != K3_FROM for d, _ in out):
                out.append((K3_FROM, "K3"))
                out.sort()
        return out


def ceased_reason(rng: np.random.Generator, exit_: int, last_place: str, age18_foster: bool) -> str:
    if exit_ == EXIT_HOME:
        return "E4A" if rng.random() < 0.8 else ("E4B" if rng.random() < 0.75 else "E13")
    if exit_ == EXIT_ADOPTED:
        return "E11" if rng.random() < 0.6 else "E12"
    if exit_ == EXIT_SGO:
        if last_place in CONNECTED:
            return "E45"
        if last_place in FOSTER:
            return "E46"
        return "E47" if rng.random() < 0.7 else "E48"
    if exit_ == EXIT_CAO:
        return "E41"
    if exit_ == EXIT_AGE18:
        if age18_foster and rng.random() < 0.4:
            return "E17"
        return str(pick(rng, {"E5": 0.6, "E6": 0.15, "E8": 0.12, "E7": 0.05, "E9": 0.03,
                              "E3": 0.05}, 1)[0])
    return str(pick(rng, {"E8": 0.4, "E3": 0.25, "E13": 0.2, "E16": 0.05, "E9": 0.1}, 1)[0])


def build_care(w, tables: dict[str, pl.DataFrame]) -> None:
    rng = w.rng
    j = w.j
    rows = np.flatnonzero(j.lac_start != NONE)
    rows = rows[j.lac_start[rows] <= w.end]
    period = Period(w, rng)
    la = w.p.la_code
    neighbours = list(w.p.statistical_neighbours) or ["807", "808", "805", "840", "841"]
    area = f"{chr(65 + int(la) % 26)}{chr(65 + int(la) // 26 % 26)}"
    starts_age14 = (j.lac_start[rows] - w.dob[j.child[rows]]) / YEAR
    uasc_rows = set(rows[(starts_age14 >= 14) & (rng.random(len(rows))
                                                < w.p.uasc_share_of_starts / 0.35)].tolist())
    w.uasc_children = j.child[np.array(sorted(uasc_rows), dtype=np.int64)] if uasc_rows \
        else np.empty(0, np.int64)

    ep: dict[str, list] = {k: [] for k in (
        "child", "poc", "decom", "rne", "ls", "cin", "place", "provider", "dec", "rec",
        "reason", "home_post", "pl_post", "urn", "pl_la", "pl_location", "pl_distance",
        "cost")}
    placements: list[tuple[int, int, int]] = []   # child, start, end
    adoption: dict[str, list] = {k: [] for k in (
        "child", "decision", "match", "placed", "adopted", "ceased", "reason")}
    ends_final = {}
    transferred: set[int] = set()   # rows whose care ended by transfer to another LA (E3)
    for r in rows.tolist():
        c = int(j.child[r])
        s, e, exit_ = int(j.lac_start[r]), int(j.lac_end[r]), int(j.exit[r])
        dob = int(w.dob[c])
        age = (s - dob) / YEAR
        uasc = r in uasc_rows
        legal, hearing = period.legal(s, e, age, exit_, uasc)
        court = any(code in ("C1", "C2", "E1") for _, code in legal)
        placed = NONE
        if exit_ == EXIT_ADOPTED and hearing != NONE:
            length = e - hearing
            decision = hearing - int(rng.integers(0, 30))
            match = hearing + int(length * rng.uniform(0.35, 0.6))
            placed = min(match + int(rng.integers(7, 29)), e - 30)
            placed = max(placed, hearing + 1)
            match = min(match, placed)
            adoption["child"].append(c)
            adoption["decision"].append(decision)
            adoption["match"].append(match)
            adoption["placed"].append(placed)
            adoption["adopted"].append(e)
            adoption["ceased"].append(NONE)
            adoption["reason"].append(None)
        elif court and age < 5 and exit_ in (EXIT_SGO, EXIT_HOME) and hearing != NONE \
                and rng.random() < 0.1 and e - hearing > 120:
            adoption["child"].append(c)
            adoption["decision"].append(hearing - int(rng.integers(0, 30)))
            adoption["match"].append(NONE)
            adoption["placed"].append(NONE)
            adoption["adopted"].append(NONE)
            adoption["ceased"].append(e - int(rng.integers(10, 60)))
            adoption["reason"].append(str(pick(rng, {"RD1": 0.5, "RD2": 0.1, "RD3": 0.2,
                                                      "RD4": 0.2}, 1)[0]))
        order_from = min((d for d, code in legal if code in ("C1", "C2", "E1")), default=NONE)
        places = period.placements(s, e, dob, exit_, uasc, order_from, placed)
        limit = min(e, w.end + 1)
        legal = [(d, code) for d, code in legal if d < limit]
        changes = sorted({d for d, _ in legal} | {d for d, _ in places})
        home = f"{area}{1 + c % 9} {c % 10}"
        details = {}
        for i, (d, kind) in enumerate(places):
            end_p = places[i + 1][0] if i + 1 < len(places) else limit
            placements.append((c, d, end_p))
            if kind in ("A3", "A5") and i > 0:
                # Placed for adoption with the current foster carers: the same home.
                details[d] = dict(details[places[i - 1][0]], cost=float(COST[kind]))
                continue
            if kind == NEW_ADOPTERS and i > 0:
                # Placed with adopters from somewhere other than foster care: the local
                # authority's adoption service, in the area (no draws: see placements).
                details[d] = dict(details[places[i - 1][0]], provider="PR1", urn=None,
                                  pl_la=la, pl_location="IN", cost=float(COST["A6"]),
                                  pl_post=f"{area}{1 + (c + i + 1) % 9} {c % 10}")
                continue
            kind = "A6" if kind == NEW_ADOPTERS else kind
            out = rng.random() < (0.7 if kind in RESIDENTIAL else w.p.placed_out_of_area_share)
            if kind in ("P1", "A5", "A6"):
                out = False
            provider = {"P1": "PR0"}.get(kind) or (
                "PR1" if kind in CONNECTED or kind in ("A5", "A6")
                else ("PR4" if rng.random() < (0.7 if kind in RESIDENTIAL + ("K3", "H5")
                                              else 0.4) else "PR1"))
            distance = float(np.round(lognormal(rng, 28 if out else 3, 0.6, 1)[0], 1))
            details[d] = {
                "provider": provider,
                # Each placement its own postcode (in the area: the home's area, another
                # district), so a move shows in the episode's fields (rules 435, 436).
                "pl_post": (f"{chr(65 + (c + i) % 26)}{chr(65 + (c * 7 + i) % 26)}"
                            f"{1 + i % 9} {c % 10}") if out
                else f"{area}{1 + (c + i + 1) % 9} {c % 10}",
                "urn": (f"SC{100000 + (c * 31 + i) % 900000}"
                        if kind in RESIDENTIAL + ("K3",) else None),
                "pl_la": neighbours[(c + i) % len(neighbours)] if out else la,
                "pl_location": "OUT" if out else "IN",
                "pl_distance": distance,
                "cost": float(COST.get(kind, 500) * rng.uniform(0.85, 1.2)),
            }
        places = [(d, "A6" if kind == NEW_ADOPTERS else kind) for d, kind in places]
        legal_at = dict(legal)
        place_at = dict(places)
        current_ls, current_place = None, None
        need = "N1" if rng.random() < 0.8 else str(pick(rng, {"N2": 0.3, "N4": 0.3, "N5": 0.4},
                                                           1)[0])
        poc = f"{c}-{s}"
        for i, d in enumerate(changes):
            new_ls = legal_at.get(d)
            new_place = place_at.get(d)
            # RNE says what changed (SSDA903 codes; rules 435, 436): a new placement is
            # with new carers (P, or B with a new legal status too), except placing for
            # adoption with the current foster carers (A3, A5: T, or U with a new legal
            # status), which rule 217 requires to be S, T or U.
            same_carers = new_place in ("A3", "A5")
            if i == 0:
                rne = "S"
            elif new_ls and new_place:
                rne = "U" if same_carers else "B"
            elif new_ls:
                rne = "L"
            else:
                rne = "T" if same_carers else "P"
            reclassified = current_place == "H5" and new_place == "K3"
            current_ls = new_ls or current_ls
            if new_place:
                current_place = new_place
                current_detail = details[d]
            if current_ls is None:
                current_ls = legal[0][1]
            nxt = changes[i + 1] if i + 1 < len(changes) else None
            ep["child"].append(c)
            ep["poc"].append(poc)
            ep["decom"].append(d)
            ep["rne"].append(rne)
            ep["ls"].append(current_ls)
            ep["cin"].append(need)
            ep["place"].append(current_place)
            ep["provider"].append(current_detail["provider"])
            ep["dec"].append(nxt if nxt is not None else (e if e <= w.end else NEVER))
            if nxt is not None:
                ep["rec"].append("X1")
            elif e <= w.end:
                ep["rec"].append(ceased_reason(rng, exit_, current_place,
                                               current_place in FOSTER + CONNECTED))
                if ep["rec"][-1] == "E3":
                    transferred.add(r)
            else:
                ep["rec"].append(None)
            # The reason for a placement change is recorded on the episode the move ends
            # (SSDA903 guidance; rule 225).
            if new_place and i > 0:
                ep["reason"][-1] = "PLACE" if reclassified else (
                    "CARPL" if current_place in ("A5", "A6")
                    else str(pick(rng, MOVE_REASONS, 1)[0]))
            ep["reason"].append(None)
            ep["home_post"].append(home)
            for key in ("pl_post", "urn", "pl_la", "pl_location", "pl_distance", "cost"):
                ep[key].append(current_detail[key])
        ends_final[r] = e

    tables["episodes"] = _codes_of_their_year(w.frame({
        "child_id": w.child_ids(np.array(ep["child"], dtype=np.int64)),
        "period_of_care_id": pl.Series(ep["poc"], dtype=pl.String),
        "decom": dates(np.array(ep["decom"], dtype=np.int64)),
        "rne": pl.Series(ep["rne"], dtype=pl.String), "ls": pl.Series(ep["ls"], dtype=pl.String),
        "cin": pl.Series(ep["cin"], dtype=pl.String),
        "place": pl.Series(ep["place"], dtype=pl.String),
        "place_provider": pl.Series(ep["provider"], dtype=pl.String),
        "dec": dates(np.array(ep["dec"], dtype=np.int64)),
        "rec": pl.Series(ep["rec"], dtype=pl.String),
        "reason_place_change": pl.Series(ep["reason"], dtype=pl.String),
        "home_post": pl.Series(ep["home_post"], dtype=pl.String),
        "pl_post": pl.Series(ep["pl_post"], dtype=pl.String),
        "urn": pl.Series(ep["urn"], dtype=pl.String),
        "pl_la": pl.Series(ep["pl_la"], dtype=pl.String),
        "pl_location": pl.Series(ep["pl_location"], dtype=pl.String),
        "pl_distance": pl.Series(ep["pl_distance"], dtype=pl.Float64),
        "cost_per_week": pl.Series(ep["cost"], dtype=pl.Float64),
    }))

    tables["episodes"] = _previous_permanence(tables["episodes"])
    _reviews(w, tables, rows)
    _care_visits(w, placements)
    _missing(w, tables, rows)
    _adoption(w, tables, adoption)
    # Care transferred to another LA: that LA, not this one, keeps in touch (rule 1011).
    _care_leavers(w, tables, rows[~np.isin(rows, np.array(sorted(transferred), np.int64))])


def _collection_year(column: str) -> pl.Expr:
    """The year ending 31 March that contains the date (as dataset.codes counts them)."""
    return pl.col(column).dt.year() + (pl.col(column).dt.month() >= 4).cast(pl.Int32)


def _codes_of_their_year(episodes: pl.DataFrame) -> pl.DataFrame:
    """Reasons ceased as coded in the year the episode ended: before 2018-19 special
    guardianship orders were E43 (to former foster carers) and E44 (to others)."""
    early = _collection_year("dec") < 2019
    return episodes.with_columns(
        pl.when(early & pl.col("rec").is_in(["E45", "E46"])).then(pl.lit("E43"))
        .when(early & pl.col("rec").is_in(["E47", "E48"])).then(pl.lit("E44"))
        .otherwise(pl.col("rec")).alias("rec"))


ADOPTED_RECS = ("E11", "E12")
SGO_RECS = ("E43", "E44", "E45", "E46", "E47", "E48")


def _previous_permanence(episodes: pl.DataFrame) -> pl.DataFrame:
    """On each period's first episode, the permanence its last period of care ended in
    (903 PrevPerm): adoption, a special guardianship or a child arrangements order made
    by this authority, or none (Z1, also for a first period)."""
    before = pl.col("rec").shift(1).over("child_id", order_by="decom")
    ended = pl.col("dec").shift(1).over("child_id", order_by="decom")
    code = (pl.when(before.is_in(ADOPTED_RECS)).then(pl.lit("P1"))
            .when(before.is_in(SGO_RECS)).then(pl.lit("P2"))
            .when(before == "E41").then(pl.lit("P3"))
            .otherwise(pl.lit("Z1")))
    first = pl.col("rne") == "S"
    arranged = first & (code != "Z1")
    return episodes.with_columns(
        prev_perm=pl.when(first).then(code),
        prev_perm_la=pl.when(arranged).then(pl.col("la_code")),
        prev_perm_date=pl.when(arranged).then(ended))


def _reviews(w, tables, rows: np.ndarray) -> None:
    rng, j = w.rng, w.j
    s = j.lac_start[rows]
    e = np.minimum(j.lac_end[rows], w.end + 1)
    n = len(rows)
    # First review within 20 working days, the second within 3 months of it, then at most
    # every 6 months (Care Planning Regulations 2010, reg. 33; DOMAIN.md).
    first = add_wd(s, np.where(rng.random(n) < 0.9, rng.integers(8, 21, n),
                               rng.integers(21, 40, n)))
    second = first + np.where(rng.random(n) < 0.9, rng.integers(60, 92, n),
                              rng.integers(92, 130, n))
    owner, later = sequence(rng, second, e, first=lambda k: np.zeros(k, np.int64),
                            step=lambda k: np.where(rng.random(k) < 0.9,
                                                    rng.integers(150, 183, k),
                                                    rng.integers(183, 230, k)))
    own = np.concatenate([np.flatnonzero(first < e), owner])
    when = np.concatenate([first[first < e], later])
    child = j.child[rows][own]
    age = (when - w.dob[child]) / YEAR
    part = np.where(age < 4, "PN0", pick(rng, {"PN1": 0.42, "PN2": 0.1, "PN3": 0.05,
                                               "PN4": 0.2, "PN5": 0.13, "PN6": 0.07,
                                               "PN7": 0.03}, len(child)))
    frame = w.frame({"child_id": w.child_ids(child), "review_date": dates(when),
                     "participation": part})
    tables["cla_reviews"] = frame.unique(["la_code", "child_id", "review_date"],
                                         maintain_order=True).sort(["child_id", "review_date"])


def _care_visits(w, placements: list[tuple[int, int, int]]) -> None:
    rng = w.rng
    if not placements:
        return
    arr = np.array(placements, dtype=np.int64)
    # A visit within a week of every placement starting, then at most every 6 weeks
    # (Care Planning Regulations 2010, reg. 28; DOMAIN.md).
    owner, when = sequence(
        rng, arr[:, 1], arr[:, 2],
        first=lambda k: np.where(rng.random(k) < 0.9, rng.integers(1, 8, k),
                                 rng.integers(8, 15, k)),
        step=lambda k: np.where(rng.random(k) < 0.9, rng.integers(20, 43, k),
                                rng.integers(43, 65, k)))
    w.visit_parts.append((arr[owner, 0], when, "cla"))


def _missing(w, tables, rows: np.ndarray) -> None:
    rng, j = w.rng, w.j
    child_l, start_l, end_l, kind_l, offered_l, accepted_l = [], [], [], [], [], []
    for r in rows.tolist():
        c = int(j.child[r])
        lo = max(int(j.lac_start[r]), int(w.dob[c] + 11 * YEAR), w.visible_from)
        hi = min(int(j.lac_end[r]), w.end + 1)
        if hi <= lo:
            continue
        rate = 4.0 if rng.random() < 0.25 else 0.12   # [CLA24]: 11% went missing in the year
        n = rng.poisson(rate * (hi - lo) / 365)
        if not n:
            continue
        days = np.unique(rng.integers(lo, hi, n))
        last_end = -1
        for d in days.tolist():
            if d <= last_end:
                continue
            length = int(rng.integers(0, 4))
            end = d + length
            if end >= hi:
                end = NEVER if hi > w.end else hi - 1
            child_l.append(c)
            start_l.append(d)
            end_l.append(end)
            kind_l.append("M" if rng.random() < 0.85 else "A")
            u = rng.random()
            if end == NEVER:
                offered = NEVER
            elif u < 0.8:
                offered = end + int(rng.integers(0, 3))
            elif u < 0.9:
                offered = end + int(rng.integers(4, 12))
            else:
                offered = NEVER
            offered = offered if offered <= w.end else NEVER
            offered_l.append(offered)
            accepted_l.append(None if offered == NEVER else bool(rng.random() < 0.55))
            last_end = end if end != NEVER else 10**9
    tables["missing_episodes"] = w.frame({
        "child_id": w.child_ids(np.array(child_l, dtype=np.int64)),
        "missing": pl.Series(kind_l, dtype=pl.String),
        "start_date": dates(np.array(start_l, dtype=np.int64)),
        "end_date": dates(np.array(end_l, dtype=np.int64)),
        "return_interview_offered_date": dates(np.array(offered_l, dtype=np.int64)),
        "return_interview_accepted": pl.Series(accepted_l, dtype=pl.Boolean),
    })


def _adoption(w, tables, a: dict[str, list]) -> None:
    def col(name):
        arr = np.array(a[name], dtype=np.int64)
        return dates(w.upto(arr))

    frame = w.frame({
        "child_id": w.child_ids(np.array(a["child"], dtype=np.int64)),
        "date_decision": col("decision"), "date_match": col("match"),
        "date_placed": col("placed"), "date_adopted": col("adopted"),
        "date_decision_ceased": col("ceased"),
        "reason_decision_ceased": pl.Series(
            [r if c != NONE and c <= w.end else None
             for r, c in zip(a["reason"], a["ceased"], strict=True)], dtype=pl.String),
    })
    tables["adoption"] = _adopters(w, frame).filter(pl.col("date_decision").is_not_null())


def _adopters(w, frame: pl.DataFrame) -> pl.DataFrame:
    """Who adopted each child adopted (903 AD1): a judgement from the DfE's adoption
    statistics, about one in seven by a single adopter (mostly women), about one in ten
    couples of the same sex. Drawn from a generator of its own, so the draws for everything
    else (and the calibration) are as they were."""
    rng = w.rng.spawn(1)[0]
    n = frame.height
    single = rng.random(n) < 0.14
    same_sex = rng.random(n) < 0.11
    sex = np.where(single, np.where(rng.random(n) < 0.85, "F1", "M1"),
                   np.where(same_sex, np.where(rng.random(n) < 0.5, "FF", "MM"), "MF"))
    status = np.where(single, "L0", np.where(
        same_sex, pick(rng, {"L12": 0.5, "L2": 0.3, "L4": 0.2}, n),
        pick(rng, {"L11": 0.8, "L3": 0.2}, n)))
    adopted = frame["date_adopted"].is_not_null()
    return frame.with_columns(
        number_of_adopters=pl.Series(np.where(single, 1, 2)).set(~adopted, None),
        sex_of_adopters=pl.Series(sex).set(~adopted, None),
        legal_status_of_adopters=pl.Series(status).set(~adopted, None))


def _care_leavers(w, tables, rows: np.ndarray) -> None:
    rng, j = w.rng, w.j
    e = j.lac_end[rows]
    s = j.lac_start[rows]
    child = j.child[rows]
    dob = w.dob[child]
    age_left = (e - dob) / YEAR
    # Eligible: looked after for 13 weeks after 14 and still looked after at 16 (Children
    # (Leaving Care) Act 2000); approximated as leaving at 16 or over after 13 weeks.
    leaver = (e <= w.end) & (age_left >= 16) & (e - np.maximum(s, dob + 14 * YEAR) >= 91)
    out_child, out_day, out_touch, out_act, out_acc = [], [], [], [], []
    for k in range(17, 22):
        birthday = dob + np.round(k * YEAR).astype(np.int64)
        contact = birthday + rng.integers(-60, 30, len(rows))
        ok = leaver & (birthday > e) & (contact > e) & (contact <= w.end) & (
            contact >= w.visible_from)
        n = int(ok.sum())
        touch = pick(rng, {"YES": 0.9, "NO": 0.05, "REFU": 0.03, "NREQ": 0.02}, n)
        activity = pick(rng, {"F1": 0.06, "P1": 0.01, "F2": 0.24, "P2": 0.03, "F3": 0.2,
                              "P3": 0.05, "G4": 0.09, "G5": 0.26, "G6": 0.06}, n)
        # With former foster carers (Z, staying put) only from 18: at 17 the young
        # person is still looked after where they live (rule 3001).
        acc = pick(rng, {"B": 0.12, "C": 0.02, "D": 0.2, "E": 0.08, "K": 0.03, "R": 0.02,
                         "S": 0.015, "T": 0.02, "U": 0.36, "V": 0.01, "W": 0.005, "X": 0.02,
                         "Y": 0.03, "Z": 0.1 if k > 17 else 0.0}, n)
        unsuitable = np.isin(acc, ["S", "V", "W", "X"]) | (rng.random(n) < 0.08)
        acc = np.char.add(acc.astype(str), np.where(unsuitable, "2", "1"))
        in_touch = touch == "YES"
        out_child.append(child[ok])
        out_day.append(contact[ok])
        out_touch.append(touch)
        out_act.append(np.where(in_touch, activity, "0"))
        out_acc.append(np.where(in_touch, acc, "0"))
    frame = w.frame({
        "child_id": w.child_ids(np.concatenate(out_child)),
        "contact_date": dates(np.concatenate(out_day)),
        "in_touch": np.concatenate(out_touch),
        "activity": np.concatenate(out_act), "accommodation": np.concatenate(out_acc),
        "apprentice": rng.random(sum(len(c) for c in out_child)) < 0.25,
    })
    # From 2021-22 training or employment is split: apprenticeships (F4, P4) and the rest
    # (F5, P5) replace F3 and P3 (SSDA903 2022 specification).
    split = _collection_year("contact_date") >= 2022
    activity = pl.col("activity")
    frame = frame.with_columns(
        pl.when(split & (activity == "F3")).then(
            pl.when(pl.col("apprentice")).then(pl.lit("F4")).otherwise(pl.lit("F5")))
        .when(split & (activity == "P3")).then(
            pl.when(pl.col("apprentice")).then(pl.lit("P4")).otherwise(pl.lit("P5")))
        .otherwise(activity).alias("activity"))
    tables["care_leaver_contacts"] = (
        frame.drop("apprentice").unique(["la_code", "child_id", "contact_date"],
                                        maintain_order=True).sort("child_id", "contact_date"))
    w.care_leavers = child[leaver]
