"""Suggest a team from ranked candidates: every needed skill covered, one lead-trained member.

Greedy weighted set cover, deterministic: the lead is picked first (the lead-trained
candidate covering the most need weight, then best score, then lowest id), then
whoever covers the most still-uncovered need weight, until everything is covered or
the team is full; skills nobody covers at the needed level get the candidate with the
highest level in them while seats remain; the team is then filled to `team_min` by
score. Greedy is enough here: a team has at most five members and staff curate it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence

import numpy as np

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


def suggest_team(features: VolunteerFeatures, project: ProjectNeeds, candidates: Sequence) -> TeamSuggestion:
    """Pick between `team_min` and `team_max` ids from `candidates` (Candidate objects or
    (volunteer_id, score) pairs), covering the needed skills and including a lead if any.

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
    meets = levels >= np.array([n.level for n in needs], dtype=np.int64)
    need_w = np.array([float(n.weight) for n in needs])
    lead_ok = features.lead_trained[rows] if len(ids) else np.zeros(0, bool)
    pos = {vid: i for i, vid in enumerate(ids)}

    team: List[int] = []
    covered = np.zeros(len(needs), dtype=bool)
    coverage = {}

    def gain(i):
        return float(need_w[meets[i] & ~covered].sum())

    def add(i):
        team.append(ids[i])
        for j in np.flatnonzero(meets[i] & ~covered):
            coverage[int(needs[j].skill_id)] = ids[i]
        covered[:] |= meets[i]

    notes = []
    leads = [i for i in range(len(ids)) if lead_ok[i]]
    lead_id = None
    if leads:
        # candidates are sorted by score then id, so max() keeps the first on ties
        best = max(leads, key=lambda i: (gain(i), -i))
        add(best)
        lead_id = ids[best]
    else:
        notes.append("no lead-trained volunteer among the candidates")

    while not covered.all() and len(team) < project.team_max:
        free = [i for i in range(len(ids)) if ids[i] not in team and gain(i) > 0]
        if not free:
            break
        add(max(free, key=lambda i: (gain(i), -i)))

    # skills nobody meets: take the strongest partial match while seats remain
    for j in np.flatnonzero(~covered):
        if len(team) >= project.team_max:
            break
        have = max((levels[pos[v], j] for v in team), default=0)
        others = [i for i in range(len(ids)) if ids[i] not in team and levels[i, j] > have]
        if others:
            team.append(ids[max(others, key=lambda i: (levels[i, j], -i))])

    for vid in ids:
        if len(team) >= project.team_min:
            break
        if vid not in team:
            team.append(vid)
    if len(team) < project.team_min:
        notes.append(f"only {len(team)} eligible candidates for a team of {project.team_min}")

    uncovered = [int(needs[j].skill_id) for j in np.flatnonzero(~covered)]
    if uncovered:
        notes.append(f"{len(uncovered)} needed skill(s) not covered at the needed level")
    rest = sorted((v for v in team if v != lead_id), key=lambda v: (-score[v], v))
    members = ([lead_id] if lead_id is not None else []) + rest
    return TeamSuggestion(members, lead_id, uncovered, coverage, notes)
