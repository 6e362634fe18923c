"""Teams, workers and who was allocated to each child when.

Each team has a number of posts sized so that the average caseload is the authority's
figure; each post is held by a run of workers (agency workers stay a shorter time), and a
child allocated to a post moves to the next holder when a worker leaves.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from childrenmatter.simulator.journeys import NONE, YEAR, lognormal
from childrenmatter.simulator.records import ids as identifiers

TEAMS = (
    ("assessment", "Assessment team"),
    ("cin_cp", "Child in need and protection team"),
    ("looked_after", "Children in care team"),
    ("leaving_care", "Leaving care team"),
)
SW_REASONS_MIDWAY = {"MANAGE": 0.45, "ABSENC": 0.2, "ORGRST": 0.15, "CHCHAN": 0.1,
                     "OTHERS": 0.1}


def _phases(w) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(child, start, end, team index) for every stretch of work on a child."""
    j = w.j
    end_or_close = np.where(j.lac_start != NONE, j.lac_start, j.close)
    parts = []
    has = j.assess_start != NONE
    # The assessment team hands over when the child comes into care, even mid-assessment.
    assessed = np.where(j.lac_start[has] != NONE,
                        np.minimum(j.assess_auth[has], j.lac_start[has]), j.assess_auth[has])
    parts.append((j.child[has], j.ref[has], np.maximum(assessed, j.ref[has] + 1), 0))
    mid = (j.assess_auth != NONE) & (end_or_close > j.assess_auth) & (j.kind != 0)
    parts.append((j.child[mid], j.assess_auth[mid], end_or_close[mid], 1))
    care = j.lac_start != NONE
    parts.append((j.child[care], j.lac_start[care], j.lac_end[care], 2))
    after = care & (j.close > j.lac_end)
    parts.append((j.child[after], j.lac_end[after], j.close[after], 1))
    leavers = np.asarray(getattr(w, "care_leavers", np.empty(0, np.int64)))
    if len(leavers):
        rows = np.flatnonzero(care & np.isin(j.child, leavers) & (j.lac_end <= w.end))
        twenty_one = w.dob[j.child[rows]] + np.round(21 * YEAR).astype(np.int64)
        # A personal adviser takes over once any support at home after care has ended.
        handover = np.maximum(j.lac_end[rows], j.close[rows])
        keep = twenty_one > handover
        rows = rows[keep]
        parts.append((j.child[rows], handover[keep], twenty_one[keep], 3))
    child = np.concatenate([p[0] for p in parts])
    start = np.concatenate([p[1] for p in parts])
    end = np.concatenate([p[2] for p in parts])
    team = np.concatenate([np.full(len(p[0]), p[3]) for p in parts])
    # One worker at a time: a stretch ends when the child's next one begins (a care
    # leaver referred again, say), so allocations never overlap (903 SW08STG2, SW10STG2).
    order = np.lexsort((start, child))
    child, start, end, team = child[order], start[order], end[order], team[order]
    same = np.r_[child[1:] == child[:-1], False]
    following = np.r_[start[1:], 0]
    end = np.where(same, np.minimum(end, following), end)
    ok = end > start
    return child[ok], start[ok], end[ok], team[ok]


def build_workforce(w, tables: dict[str, pl.DataFrame]) -> None:
    rng, p = w.rng, w.p
    child, start, end, team = _phases(w)
    # Worker changes in the middle of a stretch of work (about one every two years).
    owners, starts, ends, teams, reasons = [], [], [], [], []
    cur = start.copy()
    idx = np.arange(len(start))
    while len(idx):
        gap = rng.exponential(2 * 365, len(idx)).astype(np.int64) + 30
        change = cur + gap
        stops = change < end[idx]
        owners.append(child[idx])
        starts.append(cur)
        ends.append(np.where(stops, change, end[idx]))
        teams.append(team[idx])
        reasons.append(np.where(stops, "MID", "TEAM"))
        idx, cur = idx[stops], change[stops]
    a_child = np.concatenate(owners)
    a_start = np.concatenate(starts)
    a_end = np.concatenate(ends)
    a_team = np.concatenate(teams)
    a_reason = np.concatenate(reasons).astype(object)
    visible = (a_end >= w.visible_from) & (a_start <= w.end)
    a_child, a_start, a_end, a_team, a_reason = (
        x[visible] for x in (a_child, a_start, a_end, a_team, a_reason))
    # What runs past the period's end is open: its end is not known yet.
    a_end = np.minimum(a_end, w.end + 1)

    # Posts per team from the average number of children allocated at once.
    first_day = int(min(a_start.min(initial=w.start), w.start))
    span = w.end - w.start + 1
    worker_rows = []
    post_team, post_bounds, post_workers = [], [], []
    next_id = 0
    for t, (service, _name) in enumerate(TEAMS):
        mine = a_team == t
        overlap = (np.minimum(a_end[mine], w.end + 1) - np.maximum(a_start[mine], w.start))
        load = np.clip(overlap, 0, None).sum() / span
        posts = max(2, int(np.ceil(load / p.caseload_per_worker)))
        for _ in range(posts):
            bounds, ids = [], []
            t0 = first_day - int(rng.integers(0, 700))
            while t0 <= w.end:
                agency = rng.random() < p.agency_worker_share
                stay = int(lognormal(rng, 300 if agency else 1100, 0.5, 1)[0]) + 30
                newly = not agency and rng.random() < 0.15
                qualified = t0 - (int(rng.integers(0, 60)) if newly
                                  else int(rng.integers(365, 20 * 365)))
                role = ("personal_adviser" if service == "leaving_care" else
                        "senior_practitioner" if rng.random() < 0.2 else "social_worker")
                left = t0 + stay
                worker_rows.append((f"SW{next_id:05d}", f"T{t}", role, t0,
                                    left if left <= w.end else None, agency, qualified))
                bounds.append(t0)
                ids.append(next_id)
                next_id += 1
                t0 = left
            bounds.append(t0)
            post_team.append(t)
            post_bounds.append(np.array(bounds))
            post_workers.append(np.array(ids))
        worker_rows.append((f"SW{next_id:05d}", f"T{t}", "team_manager", first_day, None,
                            False, first_day - 3650))
        next_id += 1

    # Allocate: a post at random within the team; its holder on the day, then the next
    # holder each time one leaves.
    post_team = np.array(post_team)
    alloc: dict[str, list] = {k: [] for k in ("child", "worker", "start", "end", "reason")}
    for t in range(len(TEAMS)):
        posts = np.flatnonzero(post_team == t)
        mine = np.flatnonzero(a_team == t)
        chosen = rng.choice(posts, size=len(mine))
        for post in posts.tolist():
            rows = mine[chosen == post]
            if not len(rows):
                continue
            bounds, ids = post_bounds[post], post_workers[post]
            s, e = a_start[rows], a_end[rows]
            c, reason = a_child[rows], a_reason[rows]
            while len(s):
                k = np.clip(np.searchsorted(bounds, s, side="right") - 1, 0, len(ids) - 1)
                leaves = bounds[k + 1]
                split = (leaves < e) & (leaves > s)
                alloc["child"].append(c)
                alloc["worker"].append(ids[k])
                alloc["start"].append(s)
                alloc["end"].append(np.where(split, leaves, e))
                alloc["reason"].append(np.where(split, "LEFTRL", reason))
                s, e, c, reason = leaves[split], e[split], c[split], reason[split]

    child = np.concatenate(alloc["child"])
    start = np.concatenate(alloc["start"])
    end = np.concatenate(alloc["end"])
    worker = np.concatenate(alloc["worker"])
    reason = np.concatenate(alloc["reason"]).astype(object)
    mid = reason == "MID"
    reason[mid] = list(np.array(list(SW_REASONS_MIDWAY))[
        rng.choice(len(SW_REASONS_MIDWAY), size=int(mid.sum()),
                   p=np.array(list(SW_REASONS_MIDWAY.values())))])
    reason[reason == "TEAM"] = "TSPROC"
    closed = end <= w.end
    frame = w.frame({
        "child_id": w.child_ids(child),
        "worker_id": identifiers("SW", worker, 5),
        "start_date": pl.Series(start.astype("datetime64[D]")),
        "end_date": pl.Series(np.where(closed, end, 0).astype("datetime64[D]")),
        "reason_ended": pl.Series(np.where(closed, reason, None).tolist(), dtype=pl.String),
    }).with_columns(
        pl.when(pl.Series(closed)).then(pl.col("end_date")).otherwise(None).alias("end_date"))
    # One allocation per child per day: where two stretches start together, keep the later.
    tables["allocations"] = (frame.sort(["child_id", "start_date"])
                             .unique(["la_code", "child_id", "start_date"], keep="last",
                                     maintain_order=True))
    used = set(tables["allocations"]["worker_id"].unique().to_list())
    workers = [r for r in worker_rows if r[0] in used or r[2] == "team_manager"
               or (r[4] is None or r[4] >= w.start)]
    tables["workers"] = w.frame({
        "worker_id": [r[0] for r in workers], "team_id": [r[1] for r in workers],
        "role": [r[2] for r in workers],
        "start_date": pl.Series(np.array([r[3] for r in workers]).astype("datetime64[D]")),
        "end_date": pl.Series([r[4] for r in workers], dtype=pl.Int32).cast(pl.Date),
        "agency": [r[5] for r in workers],
        "qualified_date": pl.Series(np.array([r[6] for r in workers])
                                    .astype("datetime64[D]")),
    })
    tables["teams"] = w.frame({
        "team_id": [f"T{t}" for t in range(len(TEAMS))],
        "team_name": [name for _, name in TEAMS],
        "service": [service for service, _ in TEAMS],
    })
    _attach_workers(tables)


def _attach_workers(tables: dict[str, pl.DataFrame]) -> None:
    """The worker allocated on the day of each visit and assessment."""
    alloc = tables["allocations"].select(
        "la_code", "child_id", pl.col("start_date").alias("_from"),
        pl.col("end_date").alias("_to"), pl.col("worker_id").alias("_worker")).sort("_from")
    for name, on in (("visits", "visit_date"), ("assessments", "start_date")):
        frame = tables[name]
        joined = frame.drop("worker_id").sort(on).join_asof(
            alloc, left_on=on, right_on="_from", by=["la_code", "child_id"], strategy="backward",
            check_sortedness=False)
        joined = joined.with_columns(
            pl.when(pl.col("_to").is_null() | (pl.col("_to") > pl.col(on)))
            .then(pl.col("_worker")).otherwise(None).alias("worker_id"))
        tables[name] = joined.select(frame.columns)
