"""Suggest a team from ranked candidates: every needed skill covered, one lead-trained member.

Exact, by a small integer program over the candidates (HiGHS through scipy.optimize.milp;
a team has at most five members and the candidates are the top ~50, so it solves in
milliseconds). In order of priority it maximises: a lead-trained member; the weight of the
needs met at their level; partial levels in needs nobody among the candidates meets; then
the fewest members (at least `team_min`) with the highest scores, ties to lower ids.
A greedy pick (lead first, then best cover) missed coverable skills under stress: a lead
who covers nothing can use the seat another member needed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations
from typing import List, Optional, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from .features import ProjectNeeds, VolunteerFeatures, reject_duplicates


@dataclass(frozen=True)
class TeamSuggestion:
    """A proposed team. `member_ids` has the lead first, then the others by score."""

    member_ids: List[int]
    lead_id: Optional[int]
    uncovered_skill_ids: List[int]           # needs no member meets at the needed level
    coverage: dict = field(default_factory=dict)  # skill id -> id of the member covering it
    notes: List[str] = field(default_factory=list)


def _pairs(candidates) -> list:
    out = []
    for c in candidates:
        if hasattr(c, "volunteer_id"):
            out.append((int(c.volunteer_id), float(c.score)))
        else:
            vid, score = c
            out.append((int(vid), float(score)))
    return out


# objective tiers: each dominates everything below it (scores are in [0, 1], at most 5 members)
_LEAD, _COVER, _PARTIAL = 1e6, 1e4, 1e2


#: Enumerate every team when there are at most this many; otherwise the integer program.
ENUMERATE_TEAMS = 20_000


def _solve(meets, partial, need_w, lead_ok, scores, team_min, team_max):
    """0/1 choice of candidates (see the module docs for the objective).

    Candidates are in rank order. One with `team_max` candidates ranked above it that each
    meet every need it meets, at least its partial levels, and lead if it does, can always
    be swapped for one of them not on the team without loss, so it is dropped first; the
    few left (usually 8-15 of ~55) are then enumerated exactly, in well under a millisecond
    where HiGHS needs ~12 ms for the same answer."""
    n, k = meets.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    share = need_w / need_w.sum() if k else need_w
    order_tiebreak = 1e-6 * np.arange(n) / max(n, 1)  # earlier = better score, then lower id
    covers = (meets[None, :, :] >= meets[:, None, :]).all(axis=2)     # [i, j]: j meets all i meets
    covers &= (partial[None, :, :] >= partial[:, None, :]).all(axis=2)
    covers &= lead_ok[None, :] >= lead_ok[:, None]
    covers &= np.arange(n)[None, :] < np.arange(n)[:, None]            # j ranked above i
    keep = np.flatnonzero(covers.sum(axis=1) < team_max)
    lo = min(team_min, n)
    sizes = range(max(lo, 1), min(team_max, keep.size) + 1)
    if sum(math.comb(keep.size, m) for m in sizes) <= ENUMERATE_TEAMS:
        best_val, best = (0.0, keep[:0]) if lo == 0 else (-np.inf, None)  # the MILP may pick nobody
        for m in sizes:
            teams = keep[np.array(list(combinations(range(keep.size), m)), dtype=np.int64)]
            val = _LEAD * lead_ok[teams].any(axis=1)
            val = val + _COVER * (meets[teams].any(axis=1) @ share if k else 0.0)
            val = val + _PARTIAL * (np.minimum(partial[teams].sum(axis=1), 1) @ share if k else 0.0)
            val = val + (scores - 1 - order_tiebreak)[teams].sum(axis=1)
            i = int(np.argmax(val))
            if val[i] > best_val:
                best_val, best = val[i], teams[i]
        pick = np.zeros(n, dtype=bool)
        if best is not None:
            pick[best] = True
        return pick
    # variables: x (n, binary) | c (k, met) | q (k, partial) | l (lead)
    obj = np.concatenate([scores - 1 - order_tiebreak, _COVER * share, _PARTIAL * share, [_LEAD]])
    rows = [np.concatenate([np.ones(n), np.zeros(2 * k + 1)])]            # team size
    lo, hi = [min(team_min, n)], [team_max]
    for j in range(k):
        row = np.zeros(n + 2 * k + 1)
        row[:n], row[n + j] = -meets[:, j], 1                              # c_j <= members meeting j
        rows.append(row)
        lo.append(-np.inf)
        hi.append(0)
        row = np.zeros(n + 2 * k + 1)
        row[:n], row[n + k + j] = -partial[:, j], 1                        # q_j <= partial levels
        rows.append(row)
        lo.append(-np.inf)
        hi.append(0)
    row = np.zeros(n + 2 * k + 1)
    row[:n], row[-1] = -lead_ok.astype(float), 1                           # l <= leads on the team
    rows.append(row)
    lo.append(-np.inf)
    hi.append(0)
    res = milp(-obj, integrality=np.concatenate([np.ones(n), np.zeros(2 * k + 1)]), bounds=Bounds(0, 1),
               constraints=LinearConstraint(np.array(rows), lo, hi), options={"mip_rel_gap": 0})
    if res.x is None:
        raise RuntimeError(f"team selection failed: {res.message}")
    return res.x[:n] > 0.5


def suggest_team(features: VolunteerFeatures, project: ProjectNeeds, candidates: Sequence) -> TeamSuggestion:
    """Pick between `team_min` and `team_max` ids from `candidates` (Candidate objects or
    (volunteer_id, score) pairs): the exact best cover with a lead (see the module docs).

    Returns fewer than `team_min` members only when there are not enough candidates.
    """
    pairs = sorted(_pairs(candidates), key=lambda p: (-p[1], p[0]))
    ids = [p[0] for p in pairs]
    reject_duplicates("volunteer", np.asarray(ids, dtype=np.int64))
    score = {vid: s for vid, s in pairs}
    rows = features.rows_for_ids(ids) if ids else np.empty(0, np.int64)
    needs = project.needs
    # level of each candidate in each needed skill (0 when the skill has no column)
    levels = np.zeros((len(ids), len(needs)), dtype=np.int64)
    for j, need in enumerate(needs):
        col = features.skill_col.get(int(need.skill_id))
        if col is not None and len(ids):
            levels[:, j] = features.skill_levels[rows, col]
    need_level = np.array([n.level for n in needs], dtype=np.int64)
    meets = levels >= need_level
    # partial credit only where no candidate meets the level: the strongest partial match
    nobody = ~meets.any(axis=0) if len(ids) else np.ones(len(needs), bool)
    partial = np.where(nobody, np.minimum(levels, need_level) / np.maximum(need_level, 1), 0.0)
    need_w = np.array([float(n.weight) for n in needs])
    lead_ok = features.lead_trained[rows] if len(ids) else np.zeros(0, bool)
    pick = _solve(meets.astype(float), partial, need_w, lead_ok,
                  np.array([p[1] for p in pairs]), project.team_min, project.team_max)

    chosen = [i for i in range(len(ids)) if pick[i]]
    notes = []
    leads = [i for i in chosen if lead_ok[i]]
    lead_id = ids[leads[0]] if leads else None  # the best-scoring lead on the team
    if lead_id is None:
        notes.append("no lead-trained volunteer among the candidates")
    rest = sorted((ids[i] for i in chosen if ids[i] != lead_id), key=lambda v: (-score[v], v))
    members = ([lead_id] if lead_id is not None else []) + rest
    covered = meets[[ids.index(v) for v in members]].any(axis=0) if members else np.zeros(len(needs), bool)
    coverage = {}
    for j, need in enumerate(needs):
        for v in members:
            if meets[ids.index(v), j]:
                coverage[int(need.skill_id)] = v
                break
    if len(members) < project.team_min:
        notes.append(f"only {len(members)} eligible candidates for a team of {project.team_min}")
    uncovered = [int(needs[j].skill_id) for j in np.flatnonzero(~covered)]
    if uncovered:
        notes.append(f"{len(uncovered)} needed skill(s) not covered at the needed level")
    return TeamSuggestion(members, lead_id, uncovered, coverage, notes)
