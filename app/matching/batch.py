"""Batch mode: propose whole teams for many projects at once, never over-committing hours.

The problem, an integer program over every eligible (volunteer, project) edge:

    maximise   sum score[v,p] x[v,p]  +  cover_bonus * sum_p sum_j share[p,j] c[p,j]
                                      +  lead_bonus * sum_p l[p]
    subject to sum_v x[v,p] <= seats[p]                        (team_max, or the open seats)
               sum_p hours[p] x[v,p] <= free_hours[v]          (capacity across projects)
               c[p,j] <= sum of x[v,p] over v meeting need j   (coverage of need j)
               l[p]   <= sum of x[v,p] over lead-trained v      (a lead on the team)
               x binary; c, l in [0, 1]

where share[p,j] is need j's weight over project p's total need weight, so a project with
every need covered earns `cover_bonus` on top of its seat scores. A volunteer's free hours
are a capacity shared by all projects (a b-matching), not one seat per person.

The LP relaxation is tightened with each volunteer's knapsack hull (batch_model.py): the
hours row alone lets the LP put 15 free hours into 1.9 eight-hour seats.

Solving it over all edges is too big at scale (500 projects x 20,000 volunteers is 10M
edges), so the edges are priced in (column generation): start from each project's best
volunteers, solve the LP relaxation, and add outside edges whose reduced cost under the LP
duals is positive; stop when raising each project's seat dual by its best outside gain
(a Lagrangian bound) adds under `price_gap`. That bound is then an upper bound of the
exact integer optimum over all eligible edges. The integer program is solved over the
pools with HiGHS (`scipy.optimize.milp`) in stages (Model.solve_ip); the stats report its
value against that bound (`gap`), so every batch says how near optimal it is.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence

import numpy as np

from .batch_model import Model
from .features import InvalidMatchInput, ProjectNeeds, VolunteerFeatures
from .scoring import order_rows, score_all
from .weights import DEFAULT_PARAMS, MatchParams

#: Keep every project's full score vector between pricing rounds up to this many cells
#: (float32); above it, rescore on each round instead of holding n x m floats.
SCORE_CACHE_CELLS = 25_000_000
_TOL = 1e-7
#: Defaults of batch_match: a fully covered team is worth three seats, a lead half a seat.
COVER_BONUS, LEAD_BONUS = 3.0, 0.5


@dataclass(frozen=True)
class BatchAssignment:
    """Proposed volunteers per project id (lead first, then by score), with their scores.

    `stats` holds the solver's account: `objective` (seat scores plus bonuses), `bound`
    (the LP bound over every eligible edge when `certified`), `gap` = 1 - objective / bound,
    `rounds` of pricing, `edges` and `volunteers_in_pools` of the final pools.
    """

    proposals: Dict[int, List[int]]
    scores: Dict[int, List[float]]
    leads: Dict[int, Optional[int]]
    unfilled: Dict[int, int]           # seats (out of team_max) left empty
    method: str
    stats: dict = field(default_factory=dict)
    uncovered: Dict[int, List[int]] = field(default_factory=dict)  # needed skill ids no member meets


def total_score(assignment: BatchAssignment) -> float:
    """Sum of the scores of every proposed seat."""
    return float(sum(sum(s) for s in assignment.scores.values()))


def hours_by_volunteer(assignment: BatchAssignment, projects: Sequence[ProjectNeeds]) -> Dict[int, float]:
    """Total weekly hours each proposed volunteer would commit to (for checks and display)."""
    hours = {p.project_id: float(p.hours_per_week) for p in projects}
    out: Dict[int, float] = {}
    for pid, vids in assignment.proposals.items():
        for v in vids:
            out[v] = out.get(v, 0.0) + hours[pid]
    return out


class _Project:
    """One project's scores over all rows (cached or recomputed) and its need columns."""

    def __init__(self, features, project, weights, params):
        self.project = project
        self.features, self.weights, self.params = features, weights, params
        self.need_cols = [features.skill_col.get(int(n.skill_id)) for n in project.needs]
        total = sum(float(n.weight) for n in project.needs) or 1.0
        self.need_share = np.array([float(n.weight) / total for n in project.needs])
        self.weight = 1.0
        self.cached: Optional[np.ndarray] = None

    def scores(self) -> np.ndarray:
        if self.cached is not None:
            return self.cached
        return score_all(self.features, self.project, self.weights, self.params, pool_k=1, threads=1).scores

    def meets(self, rows) -> np.ndarray:
        """(len(rows), needs) booleans: row meets need j's level (False without a column)."""
        out = np.zeros((len(rows), len(self.need_cols)), dtype=bool)
        for j, (col, need) in enumerate(zip(self.need_cols, self.project.needs)):
            if col is not None:
                out[:, j] = self.features.skill_levels[rows, col] >= need.level
        return out


def _best(features, scores, mask, k):
    """Up to k best eligible rows among `mask` (score, then id)."""
    rows = np.flatnonzero(mask & (scores > -np.inf))
    if rows.size > k:
        s = scores[rows]
        kth = np.partition(s, s.size - k)[s.size - k]
        rows = rows[s >= kth]
    return order_rows(features, scores, rows)[:k]


def _initial_pool(pr: _Project, scores, pool_size) -> np.ndarray:
    """Best rows overall, plus the best leads and the best holders of each need."""
    f, p = pr.features, pr.project
    everyone = np.ones(len(f), dtype=bool)
    parts = [_best(f, scores, everyone, pool_size), _best(f, scores, f.lead_trained, 3)]
    for col, need in zip(pr.need_cols, p.needs):
        if col is not None:
            parts.append(_best(f, scores, f.skill_levels[:, col] >= need.level, 3))
    return np.unique(np.concatenate(parts))


def batch_match(features: VolunteerFeatures, projects: Sequence[ProjectNeeds],
                weights: Optional[Mapping[str, float]] = None, params: MatchParams = DEFAULT_PARAMS,
                cover_bonus: float = COVER_BONUS, lead_bonus: float = LEAD_BONUS, pool_size: Optional[int] = None,
                max_rounds: int = 30, time_limit: float = 40.0, rel_gap: float = 1e-4,
                price_gap: float = 0.0005, project_weights: Optional[Mapping[int, float]] = None,
                threads: Optional[int] = None) -> BatchAssignment:
    """Whole teams for every project, optimal up to `stats["gap"]` (see the module docs).

    `cover_bonus` is what a project with every need covered earns over its seat scores (a
    seat scores at most 1; 3 puts whole teams first: >= 98% of teams covered where 1 gave
    92% with scarce volunteers, for under 1% of seat score), `lead_bonus` what a
    lead-trained member earns it. `project_weights` maps a project id to a positive
    multiplier of everything that project earns (default 1; partner priority tiers pass
    1.25 / 1 / 0.85): when volunteers are scarce the heavier project gets its seats first.
    `time_limit` (s) bounds each integer stage; `price_gap` is how far above the LP over all
    edges the reported bound may be before pricing stops. Deterministic up to HiGHS time limits.
    """
    ids = [p.project_id for p in projects]
    if len(set(ids)) != len(ids):
        raise InvalidMatchInput("duplicate project ids in batch")
    if not projects:
        return BatchAssignment({}, {}, {}, {}, "exact", {"seats": 0})
    threads = threads or min(2, os.cpu_count() or 1)
    prs = [_Project(features, p, weights, params) for p in projects]
    for pr in prs:
        pr.weight = _project_weight(project_weights, pr.project.project_id)
    cache = len(features) * len(prs) <= SCORE_CACHE_CELLS
    free = features.free_hours

    def first(pr):
        s = pr.scores()
        if cache:
            pr.cached = s
        rows = _initial_pool(pr, s, pool_size or 4 * pr.project.team_max)
        pr.pool_scores = s[rows]
        return rows

    t0 = time.perf_counter()
    pools = _map(first, prs, threads)
    rounds, certified = 0, False
    while True:
        model = Model(prs, pools, free, cover_bonus, lead_bonus, features.lead_trained)
        bound, y_seat, y_cap, y_cov, y_lead = model.solve_lp()
        rounds += 1
        if rounds > max_rounds:
            break
        y_cap_all = np.zeros(len(features))
        y_cap_all[model.vols] = y_cap
        # each hull row weighs project k's edge by its hours class's coefficient
        y_card_class = np.zeros((len(model.card_levels), len(features)))
        for v, a, y in model.y_card:
            y_card_class[:, v] += a[:, None] * y[None, :]
        class_of = {float(h): i for i, h in enumerate(model.card_levels)}

        def price(k):
            """Rows outside project k's pool whose edge has a positive reduced cost (at most 2 seats' worth)."""
            pr, rows = prs[k], pools[k]
            scores = pr.scores()
            d = -pr.weight * scores.astype(np.float64) - y_seat[k] - model.hours[k] * y_cap_all
            d -= y_card_class[class_of[float(model.hours[k])]]
            for j, (col, need) in enumerate(zip(pr.need_cols, pr.project.needs)):
                if col is not None and y_cov[model.cov_start[k] + j] < 0:
                    d += y_cov[model.cov_start[k] + j] * (features.skill_levels[:, col] >= need.level)
            if y_lead[k] < 0:
                d += y_lead[k] * features.lead_trained
            d[rows] = np.inf
            best_gain = max(0.0, -float(d.min()))
            bad = np.flatnonzero(d < -_TOL)
            if bad.size > 2 * pr.project.team_max:
                bad = bad[np.argsort(d[bad], kind="stable")[:2 * pr.project.team_max]]
            if bad.size:
                rows = np.union1d(rows, bad)
                pr.pool_scores = scores[rows]
            return rows, bad.size, best_gain * pr.project.team_max

        priced = _map(price, range(len(prs)), threads)
        # Raising project k's seat dual by its best outside gain prices every outside edge out,
        # so the LP over all edges is at most `bound + lag` (a Lagrangian bound): stop pricing
        # once that is within price_gap, and report the larger, still certified, bound.
        lag = float(sum(g for _, _, g in priced))
        if lag <= price_gap * bound:
            bound, certified = bound + lag, True
            break
        pools = [rows for rows, _, _ in priced]

    t1 = time.perf_counter()
    _, chosen, res = model.solve_ip(time_limit, rel_gap, bound)
    t2 = time.perf_counter()
    fractional = int(np.count_nonzero((model.lp_x[:model.n_e] > 1e-6) & (model.lp_x[:model.n_e] < 1 - 1e-6)))
    teams = [[] for _ in prs]
    for e in np.flatnonzero(chosen):
        teams[int(model.e_proj[e])].append(int(model.e_row[e]))
    filled_after = _fill_empty_seats(prs, teams, free)
    result = _result(features, prs, teams, cover_bonus, lead_bonus)
    objective = result.stats["objective"]
    result.stats.update({
        "seats": int(sum(p.team_max for p in projects)),
        "bound": float(bound),
        "certified": certified,
        "gap": float(1 - objective / bound) if bound > 0 else 0.0,
        "rounds": rounds,
        "edges": int(model.n_e),
        "volunteers_in_pools": int(model.n_v),
        "mip_gap": float(getattr(res, "mip_gap", 0.0) or 0.0),
        "search_rounds": int(getattr(model, "search_rounds", 0)),
        "pricing_s": t1 - t0,
        "integer_s": t2 - t1,
        "fractional_edges": fractional,
        "seats_filled_after_ip": filled_after,
    })
    return result


def _fill_empty_seats(prs, teams, free) -> int:
    """Seats the integer solution left empty, filled with the best eligible volunteers who still
    have the hours (any row, not only the pools). Only adds score; returns the seats filled."""
    left = free.astype(np.float64).copy()
    for pr, team in zip(prs, teams):
        left[team] -= float(pr.project.hours_per_week)
    added = 0
    order = sorted(range(len(prs)), key=lambda k: -prs[k].weight)  # priority projects first
    for pr, team in ((prs[k], teams[k]) for k in order):
        open_seats = pr.project.team_max - len(team)
        if open_seats <= 0:
            continue
        scores = pr.scores()
        hours = float(pr.project.hours_per_week)
        ok = (scores > -np.inf) & (left >= hours - 1e-6)
        ok[team] = False
        rows = _best(pr.features, scores, ok, open_seats)
        left[rows] -= hours
        team.extend(int(r) for r in rows)
        added += int(rows.size)
    return added


def _project_weight(project_weights, pid) -> float:
    w = 1.0 if project_weights is None else project_weights.get(pid, 1.0)
    try:
        w = float(w)
    except (TypeError, ValueError):
        w = float("nan")
    if not np.isfinite(w) or w <= 0:
        raise InvalidMatchInput(f"project {pid}: weight must be a positive number, got {w!r}")
    return w


def _map(fn, items, threads):
    items = list(items)
    if threads > 1 and len(items) > 1:
        with ThreadPoolExecutor(max_workers=threads) as ex:
            return list(ex.map(fn, items))
    return [fn(x) for x in items]


def _result(features, prs, teams, cover_bonus, lead_bonus) -> BatchAssignment:
    """Proposals from per-project row lists; stats["objective"] is recomputed from them."""
    proposals, scores, leads, unfilled, uncovered = {}, {}, {}, {}, {}
    objective = 0.0
    for pr, team in zip(prs, teams):
        rows = np.asarray(team, dtype=np.int64)
        sc = pr.scores()[rows].astype(np.float64) if rows.size else np.empty(0)
        order = np.lexsort((features.ids[rows], -sc)) if rows.size else np.empty(0, np.int64)
        rows, sc = rows[order], sc[order]
        lead_at = np.flatnonzero(features.lead_trained[rows])
        if lead_at.size:  # the best-scoring lead-trained member leads, and is listed first
            i = int(lead_at[0])
            rows = np.concatenate([rows[i:i + 1], np.delete(rows, i)])
            sc = np.concatenate([sc[i:i + 1], np.delete(sc, i)])
        pid = pr.project.project_id
        proposals[pid] = [int(v) for v in features.ids[rows]]
        scores[pid] = [float(s) for s in sc]
        leads[pid] = proposals[pid][0] if lead_at.size else None
        unfilled[pid] = pr.project.team_max - len(rows)
        met = pr.meets(rows).any(axis=0) if rows.size else np.zeros(len(pr.project.needs), bool)
        uncovered[pid] = [int(n.skill_id) for n, ok in zip(pr.project.needs, met) if not ok]
        objective += pr.weight * (float(sc.sum()) + cover_bonus * float(pr.need_share[met].sum())
                                  + lead_bonus * bool(lead_at.size))
    return BatchAssignment(proposals, scores, leads, unfilled, "exact", {"objective": objective}, uncovered)
