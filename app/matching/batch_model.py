"""The batch LP / integer program over the current pools (see batch.py for the problem).

Variables are [x edges | c (project, need) | l project]; rows are seats, hours, coverage,
lead, and the knapsack hull rows that make the LP bound tight when hours are scarce.
"""
from __future__ import annotations

import time
from functools import lru_cache
from typing import List

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_array
from scipy.spatial import ConvexHull

#: The whole-pool integer program is tried (after the LP-support ones) only up to this many edges.
WHOLE_POOL_EDGES = 20_000


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


class Model:
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
