"""rank_volunteers: the ranked, explained shortlist for one project, with a suggested team."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Mapping, Optional

import numpy as np

from .components import compute_components, prepare
from .explain import reasons_for
from .features import Labels, ProjectNeeds, VolunteerFeatures, reject_duplicates
from .scoring import Scored, order_rows, rank_of, score_all, top_rows, weighted_scores
from .team import TeamSuggestion, suggest_team
from .weights import COMPONENTS, DEFAULT_PARAMS, MatchParams, normalize_weights


@dataclass(frozen=True)
class Candidate:
    """One ranked volunteer: 1-based rank among eligible, score in [0, 1], components, reasons."""

    volunteer_id: int
    rank: int
    score: float
    components: dict
    reasons: List[str]


@dataclass(frozen=True)
class RankResult:
    """Outcome of ranking one project.

    `candidates` are the top_k in rank order, followed by any suggested team member
    ranked below top_k (so every member has a score and reasons). `filtered` counts
    excluded volunteers per filter reason (see filters.FILTERS).
    """

    project_id: int
    candidates: List[Candidate]
    eligible_count: int
    filtered: dict
    team: TeamSuggestion
    weights: dict = field(default_factory=dict)


def build_candidates(features: VolunteerFeatures, scored: Scored, rows, ranks,
                     labels: Optional[Labels]) -> List[Candidate]:
    """Candidates (components and reasons) for a few rows; the only per-row Python work."""
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size == 0:
        return []
    comps = compute_components(features, scored.ctx, rows)
    out = []
    for i, row in enumerate(rows):
        out.append(Candidate(
            volunteer_id=int(features.ids[row]),
            rank=int(ranks[i]),
            score=float(scored.scores[row]),
            components={name: float(comps[name][i]) for name in COMPONENTS},
            reasons=reasons_for(features, scored.ctx, int(row), labels),
        ))
    return out


def explain_volunteers(features: VolunteerFeatures, project: ProjectNeeds, volunteer_ids,
                       weights: Optional[Mapping[str, float]] = None, labels: Optional[Labels] = None,
                       params: MatchParams = DEFAULT_PARAMS) -> List[dict]:
    """Score, components and reasons of named volunteers for `project` (rows chosen elsewhere, e.g. batch).

    Works on those rows only, so explaining a batch proposal costs nothing like a full ranking.
    """
    rows = features.rows_for_ids(volunteer_ids)
    reject_duplicates("volunteer", features.ids[rows])
    if rows.size == 0:
        return []
    ctx = prepare(features, project, params)
    comps = compute_components(features, ctx, rows)
    components = [{name: float(comps[name][i]) for name in COMPONENTS} for i in range(rows.size)]
    scores = weighted_scores(comps, normalize_weights(weights))  # reuses the component arrays in place
    return [
        {
            "volunteer_id": int(features.ids[row]),
            "score": float(scores[i]),
            "components": components[i],
            "reasons": reasons_for(features, ctx, int(row), labels),
        }
        for i, row in enumerate(rows)
    ]


def _best_row(features: VolunteerFeatures, scores: np.ndarray, mask: np.ndarray) -> Optional[int]:
    """Best eligible row (score, then lowest id) among `mask`, or None."""
    rows = np.flatnonzero(mask & (scores > -np.inf))
    if rows.size == 0:
        return None
    return int(order_rows(features, scores, rows)[0])


def team_pool(features: VolunteerFeatures, scored: Scored, top: np.ndarray) -> np.ndarray:
    """The top rows plus, only when the top lacks them, the best eligible lead and the best
    eligible holder of each needed skill the top does not cover, and the best lead meeting
    each need (so the exact cover can seat a lead who also covers; one vectorised scan each)."""
    extra = []
    project = scored.ctx.project
    # leads are few: scan their rows only, not a million-row mask per need
    leads = features.lead_rows[scored.scores[features.lead_rows] > -np.inf]

    def best_lead(ok):
        rows = leads[ok]
        return int(order_rows(features, scored.scores, rows)[0]) if rows.size else None

    if top.size == 0 or not features.lead_trained[top].any():
        row = best_lead(np.ones(leads.size, dtype=bool))
        if row is not None:
            extra.append(row)
    for need in project.needs:
        col = features.skill_col.get(int(need.skill_id))
        if col is None or (top.size and (features.skill_levels[top, col] >= need.level).any()):
            continue
        levels = features.skill_columns[col]
        row = _best_row(features, scored.scores, levels >= need.level)
        if row is None:  # nobody meets the level: the best of the highest level present
            eligible_levels = np.where(scored.scores > -np.inf, levels, 0)
            best = int(eligible_levels.max()) if eligible_levels.size else 0
            if best > 0:
                row = _best_row(features, scored.scores, levels == best)
        if row is not None:
            extra.append(row)
    for need in project.needs:
        col = features.skill_col.get(int(need.skill_id))
        if col is None:
            continue
        row = best_lead(features.skill_levels[leads, col] >= need.level)
        if row is not None:
            extra.append(row)
    in_top = set(top.tolist())
    extra = [r for r in dict.fromkeys(extra) if r not in in_top]
    return np.concatenate([top, np.asarray(extra, dtype=np.int64)]) if extra else top


def rank_volunteers(features: VolunteerFeatures, project: ProjectNeeds,
                    weights: Optional[Mapping[str, float]] = None, top_k: int = 50,
                    labels: Optional[Labels] = None,
                    params: MatchParams = DEFAULT_PARAMS) -> RankResult:
    """Rank every eligible volunteer for `project` and explain the best `top_k`.

    Deterministic: order is descending score, ties by ascending volunteer id.
    """
    if top_k < 1:
        raise ValueError("top_k must be >= 1")
    scored = score_all(features, project, weights, params, pool_k=top_k)
    top = top_rows(features, scored, top_k)
    candidates = build_candidates(features, scored, top, range(1, top.size + 1), labels)
    pool = team_pool(features, scored, top)
    extra_rows = pool[top.size:]
    extra = build_candidates(features, scored, extra_rows,
                             [rank_of(features, scored, int(r)) for r in extra_rows], labels)
    team = suggest_team(features, project, candidates + extra)
    members = set(team.member_ids)
    shown = candidates + sorted((c for c in extra if c.volunteer_id in members), key=lambda c: c.rank)
    return RankResult(project.project_id, shown, scored.eligible_count, scored.filtered, team, scored.weights)
