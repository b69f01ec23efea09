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

Solving it over all edges is too big at scale (500 projects x 20,000 volunteers is 10M
edges), so the edges are priced in (column generation): start from each project's best
volunteers, solve the LP relaxation, and add every outside edge whose reduced cost under
the LP duals is positive; stop when none is. The LP over those pools is then provably the
LP over all edges, whose value bounds the exact integer optimum from above. The integer
program is finally solved over the pools with HiGHS (`scipy.optimize.milp`); the stats
report its value against that bound (`gap`), so every batch says how near optimal it is.
"""
from __future__ import annotations

import os
import time
from functools import lru_cache
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence

import numpy as np
from scipy.spatial import ConvexHull
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_array

from .features import InvalidMatchInput, ProjectNeeds, VolunteerFeatures
from .scoring import order_rows, score_all
from .weights import DEFAULT_PARAMS, MatchParams

#: Keep every project's full score vector between pricing rounds up to this many cells
#: (float32); above it, rescore on each round instead of holding n x m floats.
SCORE_CACHE_CELLS = 25_000_000
_TOL = 1e-7
#: Defaults of batch_match: a fully covered team is worth three seats, a lead half a seat.
COVER_BONUS, LEAD_BONUS = 3.0, 0.5
#: The whole-pool integer program is tried (after the LP-support ones) only up to this many edges.
WHOLE_POOL_EDGES = 20_000


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


@lru_cache(maxsize=256)
def knapsack_facets(free: int, levels: tuple) -> List[tuple]:
    """Facets (a, b), a >= 0 per hours class, of the convex hull of the seat counts y (per class
    of `levels` hours) with sum(levels * y) <= free: every valid a . y <= b, and no weaker."""
    h = np.asarray(levels, dtype=np.float64)
    usable = np.flatnonzero(h <= free)
    if usable.size == 0:
        return []
    if usable.size == 1:
        a = np.zeros(h.size)
        a[usable[0]] = 1.0
        return [(a, float(free // h[usable[0]]))]
    hu = h[usable]
    grids = np.meshgrid(*[np.arange(int(free // x) + 1) for x in hu], indexing="ij")
    pts = np.stack([g.ravel() for g in grids], axis=1).astype(np.float64)
    pts = pts[pts @ hu <= free + 1e-9]
    hull = ConvexHull(pts)
    out = {}
    for eq in hull.equations:
        normal, offset = eq[:-1], -eq[-1]
        if offset <= 1e-9 or normal.min() < -1e-9:
            continue  # y >= 0 facets (offset 0); a down-closed set has no others with negative parts
        a = np.clip(normal, 0, None) / normal[normal > 1e-9].min()
        for scale in range(1, 61):  # integer coefficients: exact rows, no solver tolerance games
            if np.allclose(a * scale, np.round(a * scale), atol=1e-6):
                break
        a = np.round(a * scale)
        out[tuple(a)] = float(np.max(pts @ a))
    facets = []
    for key, b in out.items():
        a = np.zeros(h.size)
        a[usable] = key
        a[h > free] = b + 1  # classes that never fit: any seat there breaks the row (and is never eligible)
        facets.append((a, b))
    return facets


class _Model:
    """The LP/IP over the current pools: variables [x edges | c (project, need) | l project]."""

    def __init__(self, prs, pools, free_hours, cover_bonus, lead_bonus, lead_trained):
        m = len(prs)
        e_proj = np.concatenate([np.full(r.size, k) for k, r in enumerate(pools)]).astype(np.int64)
        e_row = np.concatenate(pools).astype(np.int64)
        e_score = np.concatenate([prs[k].pool_scores * prs[k].weight for k in range(m)]).astype(np.float64)
        hours = np.array([float(pr.project.hours_per_week) for pr in prs])
        vols, e_vol = np.unique(e_row, return_inverse=True)
        n_e, n_v = e_row.size, vols.size
        cov_start = np.cumsum([0] + [len(pr.project.needs) for pr in prs])
        n_c = int(cov_start[-1])
        r_cap, r_cov, r_lead = m, m + n_v, m + n_v + n_c  # seat rows are 0..m-1
        rows, cols, vals = [e_proj, r_cap + e_vol], [np.arange(n_e)] * 2, [np.ones(n_e), hours[e_proj]]
        # coverage and lead rows: -x for each edge that helps, +1 for the c / l variable
        offset = 0
        for k, pr in enumerate(prs):
            size = pools[k].size
            met = pr.meets(pools[k])
            ei, nj = np.nonzero(met)
            rows.append(r_cov + cov_start[k] + nj)
            cols.append(offset + ei)
            vals.append(-np.ones(ei.size))
            leads = np.flatnonzero(lead_trained[pools[k]])
            rows.append(np.full(leads.size, r_lead + k))
            cols.append(offset + leads)
            vals.append(-np.ones(leads.size))
            offset += size
        rows += [r_cov + np.arange(n_c), r_lead + np.arange(m)]
        cols += [n_e + np.arange(n_c), n_e + n_c + np.arange(m)]
        vals += [np.ones(n_c), np.ones(m)]
        # Knapsack hull rows, what makes the LP bound tight when hours are scarce: the hours row
        # alone lets the LP put 15 free hours into 1.9 eight-hour seats. Per volunteer, the seats
        # they can hold form a knapsack over the few distinct project hours; its convex hull's
        # facets (a . seats-per-hours-class <= b, cached per free-hours value) replace it exactly.
        free_v = free_hours[vols].astype(np.float64)
        r_card = m + n_v + n_c + m
        levels = np.unique(hours)
        e_class = np.searchsorted(levels, hours[e_proj])
        self.card_levels = levels
        self.card_rows, card_b = [], []  # (volunteer rows, coefficient per class, row ids)
        for fi in np.unique(np.floor(free_v + 1e-6)):
            in_f = np.flatnonzero(np.floor(free_v + 1e-6) == fi)
            for a, bb in knapsack_facets(int(fi), tuple(float(x) for x in levels)):
                coef = a[e_class]
                load = np.bincount(e_vol, weights=coef, minlength=n_v)[in_f]
                need = in_f[load > bb + 1e-9]
                if not need.size:
                    continue
                row_of = np.full(n_v, -1, np.int64)
                row_of[need] = r_card + np.arange(need.size)
                edges = np.flatnonzero((row_of[e_vol] >= 0) & (coef > 0))
                rows.append(row_of[e_vol[edges]])
                cols.append(edges)
                vals.append(coef[edges])
                self.card_rows.append((vols[need], a, r_card + np.arange(need.size)))
                card_b.append(np.full(need.size, bb))
                r_card += need.size
        shape = (r_card, n_e + n_c + m)
        self.A = coo_array((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=shape).tocsr()
        seats = np.array([pr.project.team_max for pr in prs], dtype=np.float64)
        self.b = np.concatenate([seats, free_v, np.zeros(n_c + m)] + card_b)
        share = np.concatenate([pr.need_share for pr in prs]) if n_c else np.zeros(0)
        pw = np.array([pr.weight for pr in prs])
        c_weight = np.repeat(pw, [len(pr.project.needs) for pr in prs])
        self.obj = np.concatenate([e_score, cover_bonus * share * c_weight, lead_bonus * pw])
        self.e_proj, self.e_row, self.e_score, self.vols = e_proj, e_row, e_score, vols
        self.n_e, self.n_c, self.m, self.n_v, self.cov_start = n_e, n_c, m, n_v, cov_start
        self.hours = hours

    def solve_lp(self):
        # interior point: 2-3x faster than simplex on these LPs, and its crossover gives vertex duals
        res = linprog(-self.obj, A_ub=self.A, b_ub=self.b, bounds=(0, 1), method="highs-ipm")
        if res.status != 0:
            raise RuntimeError(f"batch LP failed: {res.message}")
        self.lp_x = res.x
        y = res.ineqlin.marginals  # <= 0: change of the (minimised) objective per unit of b
        self.reduced = -self.obj - self.A.T @ y  # >= 0 for an edge the LP leaves at 0 by choice
        m, n_v, n_c = self.m, self.n_v, self.n_c
        self.y_card = [(v, a, y[r]) for v, a, r in self.card_rows]
        return -res.fun, y[:m], y[m:m + n_v], y[m + n_v:m + n_v + n_c], y[m + n_v + n_c:m + n_v + n_c + m]

    def solve_ip(self, time_limit, rel_gap, bound, target=0.01):
        """An integer solution over the pools: (1) HiGHS on the LP's support only (every edge the
        LP uses at all; seconds, and optimal on it when volunteers are scarce, where HiGHS on the
        whole pool stalls near 15%); then, while short of `target` of the LP bound, (2) the
        whole pool when it is small (plentiful volunteers, few edges), and (3) local search:
        free the seats of ~60 projects that share volunteers, over the edges within 0.05 of
        entering the LP, keep the rest as it is, and re-solve (small IPs HiGHS finishes)."""
        started = time.perf_counter()
        integrality = np.concatenate([np.ones(self.n_e), np.zeros(self.n_c + self.m)])
        constraints = LinearConstraint(self.A, -np.inf, self.b)
        xe, rc = self.lp_x[:self.n_e], self.reduced[:self.n_e]

        def solve(lo, hi, limit):
            res = milp(-self.obj, integrality=integrality, bounds=Bounds(lo, hi), constraints=constraints,
                       options={"time_limit": max(limit, 1.0), "mip_rel_gap": rel_gap})
            return res if res.x is not None else None

        zeros, ones = np.zeros(self.obj.size), np.ones(self.obj.size)
        support = ones.copy()
        support[:self.n_e][(xe < 1e-6) & (rc > 1e-9)] = 0
        best = solve(zeros, support, time_limit)
        done = lambda: best is not None and -best.fun >= (1 - target) * bound  # noqa: E731
        if not done() and self.n_e <= WHOLE_POOL_EDGES:
            res = solve(zeros, ones, time_limit / 2)
            if res is not None and (best is None or res.fun < best.fun):
                best = res
        if best is None:
            raise RuntimeError("batch integer program found no solution")
        self.search_rounds = self._local_search(best, solve, rc, started + 1.5 * time_limit, done)
        return -best.fun, best.x[:self.n_e] > 0.5, best

    def _local_search(self, best, solve, rc, deadline, done, size=60, near=0.05):
        """Large-neighbourhood search from `best` (updated in place); returns the rounds run."""
        allowed = (self.lp_x[:self.n_e] > 1e-6) | (rc <= near)
        e_vol = np.searchsorted(self.vols, self.e_row)
        rng = np.random.default_rng(0)
        rounds = stale = 0
        while not done() and stale < 8 and time.perf_counter() < deadline - 1:
            rounds += 1
            picked = {int(rng.integers(self.m))}
            frontier = list(picked)
            while frontier and len(picked) < size:  # grow along shared volunteers
                on = np.isin(self.e_proj, frontier) & allowed
                nxt = np.unique(self.e_proj[np.isin(e_vol, e_vol[on]) & allowed])
                frontier = [int(k) for k in nxt if int(k) not in picked][:size - len(picked)]
                picked.update(frontier)
            free_e = np.isin(self.e_proj, list(picked))
            cur = np.round(best.x[:self.n_e])
            lo, hi = np.zeros(self.obj.size), np.ones(self.obj.size)
            lo[:self.n_e] = np.where(free_e, 0, cur)
            hi[:self.n_e] = np.where(free_e, allowed, cur)
            hi[:self.n_e] = np.maximum(hi[:self.n_e], lo[:self.n_e])
            res = solve(lo, hi, min(10.0, deadline - time.perf_counter()))
            if res is not None and res.fun < best.fun - 1e-7:
                best.x, best.fun, stale = res.x, res.fun, 0
            else:
                stale += 1
        return rounds


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
        model = _Model(prs, pools, free, cover_bonus, lead_bonus, features.lead_trained)
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
