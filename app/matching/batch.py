"""Batch mode: propose volunteers for many projects at once, never over-committing hours.

Capacity rule (the simplest that is always correct): a volunteer gets at most one
seat per batch, and only on projects whose weekly hours fit their free hours (the
hard filter). So nobody is proposed for more hours than they have free. Offering one
person several new teams at once is also what staff want to avoid.

Method: for each project keep its best `per_project_pool` eligible volunteers (plus
its best `lead_pool` lead-trained ones), then solve one maximum-weight bipartite
matching between seats (team_max per project) and those volunteers with
scipy's sparse LAPJV (`min_weight_full_bipartite_matching`). Seat 0 of each project
is a lead seat, open only to lead-trained volunteers, when the project has any.
Every seat also has a private "leave empty" column, so a full matching always exists
and an empty seat simply scores 0. Weights are score + 1 (the solver needs non-zero
weights; with every seat matched exactly once the constant does not move the optimum).

`greedy_batch_match` fills projects one after the other, best free volunteer first,
with the same pools and the same lead seat, so the two differ only in the solver.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .features import ProjectNeeds, VolunteerFeatures
from .scoring import order_rows, score_all, top_rows
from .weights import DEFAULT_PARAMS, MatchParams


@dataclass(frozen=True)
class BatchAssignment:
    """Proposed volunteers per project id (lead first, then by score), with their scores."""

    proposals: Dict[int, List[int]]
    scores: Dict[int, List[float]]
    leads: Dict[int, Optional[int]]
    unfilled: Dict[int, int]           # seats (out of team_max) left empty
    method: str
    stats: dict = field(default_factory=dict)


@dataclass
class _Pool:
    project: ProjectNeeds
    rows: np.ndarray      # pool rows, best first
    scores: np.ndarray    # float64 scores of those rows
    lead: np.ndarray      # lead-trained flags of those rows


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


def candidate_pools(features: VolunteerFeatures, projects: Sequence[ProjectNeeds], weights=None,
                    per_project_pool: int = 30, lead_pool: int = 5,
                    params: MatchParams = DEFAULT_PARAMS, threads: Optional[int] = None) -> List[_Pool]:
    """Score every project against every volunteer and keep each project's best rows.

    Projects are scored on two threads (one project per task); only the pools are kept,
    so memory stays O(volunteers + projects * pool).
    """
    ids = {p.project_id for p in projects}
    if len(ids) != len(projects):
        raise ValueError("duplicate project ids in batch")
    lead_rows_all = np.flatnonzero(features.lead_trained)

    def one(project):
        scored = score_all(features, project, weights, params, pool_k=per_project_pool, threads=1)
        rows = top_rows(features, scored, per_project_pool)
        if lead_pool:
            lead_rows = lead_rows_all[scored.scores[lead_rows_all] > -np.inf]
            if lead_rows.size > lead_pool:
                s = scored.scores[lead_rows]
                kth = np.partition(s, s.size - lead_pool)[s.size - lead_pool]
                lead_rows = lead_rows[s >= kth]
            lead_rows = order_rows(features, scored.scores, lead_rows)[:lead_pool]
            rows = np.concatenate([rows, lead_rows[~np.isin(lead_rows, rows)]])
        return _Pool(project, rows, scored.scores[rows].astype(np.float64), features.lead_trained[rows])

    threads = threads or min(2, os.cpu_count() or 1)
    if threads > 1 and len(projects) > 1:
        with ThreadPoolExecutor(max_workers=threads) as ex:
            return list(ex.map(one, projects))
    return [one(p) for p in projects]


def _result(features, pools, chosen, method, stats) -> BatchAssignment:
    """Assemble a BatchAssignment from per-project lists of (pool index, is lead seat)."""
    proposals, scores, leads, unfilled = {}, {}, {}, {}
    for pool, picks in zip(pools, chosen):
        pid = pool.project.project_id
        lead = [i for i, is_lead in picks if is_lead]
        rest = sorted((i for i, is_lead in picks if not is_lead),
                      key=lambda i: (-pool.scores[i], int(features.ids[pool.rows[i]])))
        order = lead + rest
        proposals[pid] = [int(features.ids[pool.rows[i]]) for i in order]
        scores[pid] = [float(pool.scores[i]) for i in order]
        leads[pid] = int(features.ids[pool.rows[lead[0]]]) if lead else None
        unfilled[pid] = pool.project.team_max - len(order)
    return BatchAssignment(proposals, scores, leads, unfilled, method, stats)


def batch_match(features: VolunteerFeatures, projects: Sequence[ProjectNeeds],
                weights: Optional[Mapping[str, float]] = None, per_project_pool: int = 30,
                lead_pool: int = 5, require_lead: bool = True,
                params: MatchParams = DEFAULT_PARAMS, pools: Optional[List[_Pool]] = None) -> BatchAssignment:
    """Optimal seat assignment over all `projects` (maximum total score, see module docs)."""
    if pools is None:
        pools = candidate_pools(features, projects, weights, per_project_pool,
                                lead_pool if require_lead else 0, params)
    all_rows = np.unique(np.concatenate([p.rows for p in pools])) if pools else np.empty(0, np.int64)
    n_vol = all_rows.size
    seat_rows, seat_cols, seat_w, seat_info = [], [], [], []
    n_seats = sum(p.project.team_max for p in pools)
    seat = 0
    for k, pool in enumerate(pools):
        cols = np.searchsorted(all_rows, pool.rows)
        has_lead = require_lead and bool(pool.lead.any())
        for s in range(pool.project.team_max):
            is_lead = has_lead and s == 0
            sel = np.flatnonzero(pool.lead) if is_lead else np.arange(pool.rows.size)
            seat_rows.append(np.full(sel.size + 1, seat))
            # real edges, then this seat's private "leave empty" column
            seat_cols.append(np.append(cols[sel], n_vol + seat))
            seat_w.append(np.append(pool.scores[sel] + 1.0, 1.0))
            seat_info.append((k, is_lead))
            seat += 1
    if n_seats == 0:
        return _result(features, pools, [[] for _ in pools], "optimal", {})
    graph = csr_array((np.concatenate(seat_w), (np.concatenate(seat_rows), np.concatenate(seat_cols))),
                      shape=(n_seats, n_vol + n_seats))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph, maximize=True)
    chosen = [[] for _ in pools]
    for r, c in zip(row_ind, col_ind):
        if c >= n_vol:
            continue  # seat left empty
        k, is_lead = seat_info[r]
        pool = pools[k]
        i = int(np.flatnonzero(pool.rows == all_rows[c])[0])
        chosen[k].append((i, is_lead))
    stats = {"seats": n_seats, "volunteers_in_pools": int(n_vol), "edges": int(graph.nnz)}
    return _result(features, pools, chosen, "optimal", stats)


def greedy_batch_match(features: VolunteerFeatures, projects: Sequence[ProjectNeeds],
                       weights: Optional[Mapping[str, float]] = None, per_project_pool: int = 30,
                       lead_pool: int = 5, require_lead: bool = True,
                       params: MatchParams = DEFAULT_PARAMS, pools: Optional[List[_Pool]] = None) -> BatchAssignment:
    """Baseline: projects in the given order, each takes its best still-free volunteers."""
    if pools is None:
        pools = candidate_pools(features, projects, weights, per_project_pool,
                                lead_pool if require_lead else 0, params)
    used = set()
    chosen = []
    for pool in pools:
        order = [int(i) for i in np.lexsort((features.ids[pool.rows], -pool.scores))]
        picks = []
        seats = pool.project.team_max
        if require_lead and pool.lead.any():
            seats -= 1  # the lead seat takes only a lead, as in batch_match
            lead = next((i for i in order if pool.lead[i] and int(pool.rows[i]) not in used), None)
            if lead is not None:
                picks.append((lead, True))
                used.add(int(pool.rows[lead]))
        taken = 0
        for i in order:
            if taken >= seats:
                break
            if int(pool.rows[i]) not in used:
                picks.append((i, False))
                used.add(int(pool.rows[i]))
                taken += 1
        chosen.append(picks)
    return _result(features, pools, chosen, "greedy", {})
