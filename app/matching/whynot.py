"""why_not: why a given volunteer is not on a project's shortlist."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Mapping, Optional

import numpy as np

from .components import compute_components
from .explain import reasons_for
from .features import Labels, ProjectNeeds, VolunteerFeatures
from .filters import FILTERS, failing, filter_sentence
from .scoring import rank_of, score_all, top_rows
from .weights import COMPONENTS, DEFAULT_PARAMS, MatchParams


@dataclass(frozen=True)
class WhyNot:
    """Explanation for one volunteer and one project.

    Excluded: `filters` lists every failing hard filter (FILTERS order) with one
    sentence each in `sentences`. Eligible: `rank` among `eligible_count`, `score`,
    `components`, `reasons`, and against the last of the top_k (`cutoff_rank`,
    `cutoff_score`): `gap` (>= 0 when outside the top_k) and `gap_by_component`, the
    weighted component differences that put the cutoff candidate ahead, largest first.
    """

    volunteer_id: int
    eligible: bool
    summary: str
    filters: List[str] = field(default_factory=list)
    sentences: List[str] = field(default_factory=list)
    rank: Optional[int] = None
    eligible_count: int = 0
    in_top_k: bool = False
    score: Optional[float] = None
    components: dict = field(default_factory=dict)
    reasons: List[str] = field(default_factory=list)
    cutoff_rank: Optional[int] = None
    cutoff_score: Optional[float] = None
    gap: Optional[float] = None
    gap_by_component: dict = field(default_factory=dict)


def why_not(features: VolunteerFeatures, project: ProjectNeeds, volunteer_id: int,
            weights: Optional[Mapping[str, float]] = None, labels: Optional[Labels] = None,
            top_k: int = 50, params: MatchParams = DEFAULT_PARAMS) -> WhyNot:
    """Explain one volunteer's standing for `project`; KeyError if the id is unknown."""
    row = int(features.rows_for_ids([volunteer_id])[0])
    scored = score_all(features, project, weights, params, pool_k=top_k)
    one = np.array([row])
    fails = failing(features, scored.ctx, one)
    names = [name for name in FILTERS if name in fails and bool(fails[name][0])]
    if names:
        sentences = [filter_sentence(n, features, row, scored.ctx) for n in names]
        return WhyNot(int(volunteer_id), False, "Not eligible: " + "; ".join(sentences) + ".",
                      filters=names, sentences=sentences, eligible_count=scored.eligible_count)

    rank = rank_of(features, scored, row)
    comps = compute_components(features, scored.ctx, one)
    components = {n: float(comps[n][0]) for n in COMPONENTS}
    score = float(scored.scores[row])
    top = top_rows(features, scored, top_k)
    cut_row = int(top[-1])
    cut_score = float(scored.scores[cut_row])
    in_top = rank <= top.size
    gap = max(cut_score - score, 0.0)
    cut = compute_components(features, scored.ctx, np.array([cut_row]))
    diffs = {n: scored.weights[n] * (float(cut[n][0]) - components[n]) for n in COMPONENTS}
    gap_by = {n: round(d, 4) for n, d in sorted(diffs.items(), key=lambda kv: -kv[1]) if d > 0}
    if in_top:
        summary = (f"Ranked {rank} of {scored.eligible_count:,} eligible (score {score:.3f}), "
                   f"inside the top {top.size}.")
    else:
        behind = ", ".join(f"{n} {v:.3f}" for n, v in gap_by.items()) or "ties broken by id"
        summary = (f"Ranked {rank} of {scored.eligible_count:,} eligible (score {score:.3f}); "
                   f"{gap:.3f} below #{top.size} (score {cut_score:.3f}). Behind on: {behind}.")
    return WhyNot(int(volunteer_id), True, summary, rank=rank, eligible_count=scored.eligible_count,
                  in_top_k=in_top, score=score, components=components,
                  reasons=reasons_for(features, scored.ctx, row, labels),
                  cutoff_rank=int(top.size), cutoff_score=cut_score, gap=gap, gap_by_component=gap_by)
