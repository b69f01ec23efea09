"""Score every volunteer for one project: components, weighted sum, hard filters, top rows.

The arrays are walked in chunks of `CHUNK` rows so the float32 temporaries of one
chunk stay in the CPU cache (at a million rows, memory traffic, not arithmetic, is
the cost), and chunks run on two threads: numpy releases the GIL inside its loops.
Each chunk also keeps its own best rows, so the final top-k never scans all scores.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Mapping, Optional

import numpy as np

from .components import ProjectContext, compute_components, date_overlap_days, prepare
from .features import ProjectNeeds, VolunteerFeatures
from .filters import FILTERS, eligible_mask
from .weights import COMPONENTS, DEFAULT_PARAMS, MatchParams, normalize_weights

CHUNK = 1 << 16
#: below this many rows a second thread costs more than it saves
THREAD_MIN_ROWS = 1 << 18


@dataclass
class Scored:
    """Scores of all rows for one project (-inf for excluded rows) and filter counts."""

    ctx: ProjectContext
    weights: dict
    scores: np.ndarray
    eligible_count: int
    filtered: dict
    top_pool: np.ndarray   # rows that can be in the top `pool_k` (ties included), unsorted
    pool_k: int


def prepare_features(features: VolunteerFeatures, params: MatchParams = DEFAULT_PARAMS) -> VolunteerFeatures:
    """Compute the derived arrays ranking reads (skill columns, unit vectors, free hours,
    exposure divisor, id index) once, at load time, so no ranking pays for them; returns
    `features`. Ranking without it computes the same arrays on first use."""
    f = features
    for _ in (f.skill_columns, f.free_hours, f.lead_rows, f.decline_rows, f.home_xyz, f.cur_xyz, f._id_index):
        pass
    f.exposure_divisor(params.open_invitation_damper, params.recent_invitation_damper,
                       params.recent_shortlist_damper)
    return f


def weighted_scores(comps: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """Weighted sum of component arrays (consumes them: sums in place)."""
    out = None
    for name in COMPONENTS:
        w = weights[name]
        if w == 0:
            continue
        arr = comps[name]
        arr *= np.float32(w)
        if out is None:
            out = arr
        else:
            out += arr
    return out


class _Threshold:
    """Running lower bound of the k-th best score seen so far, shared by the chunk workers.

    Any k-th best of a subset of real scores is <= the global k-th best, so rows below
    it can never reach the top k; a stale read only keeps a few extra rows. This spares
    a full partition of every chunk.
    """

    def __init__(self):
        self.value = -np.inf
        self.lock = threading.Lock()

    def raise_to(self, v):
        with self.lock:
            if v > self.value:
                self.value = v


def _chunk_pool(scores: np.ndarray, k: int, thr: _Threshold) -> np.ndarray:
    """Local rows whose score can reach the top k (every tie at the k-th score kept)."""
    t = thr.value
    rows = np.flatnonzero(scores > t) if t == -np.inf else np.flatnonzero(scores >= t)
    if rows.size <= k:
        return rows
    sub = scores[rows]
    kth = np.partition(sub, sub.size - k)[sub.size - k]
    thr.raise_to(float(kth))
    return rows[sub >= kth]


def score_all(features: VolunteerFeatures, project: ProjectNeeds, weights=None,
              params: MatchParams = DEFAULT_PARAMS, pool_k: int = 50,
              threads: Optional[int] = None) -> Scored:
    """Score every row; excluded rows get -inf. Keeps the rows that may reach the top `pool_k`."""
    w = normalize_weights(weights)
    ctx = prepare(features, project, params)
    n = len(features)
    scores = np.empty(n, dtype=np.float32)
    bounds = [(a, min(a + CHUNK, n)) for a in range(0, n, CHUNK)]
    thr = _Threshold()

    def run(bound):
        a, b = bound
        rows = slice(a, b)
        days = date_overlap_days(features, ctx, rows)
        part = weighted_scores(compute_components(features, ctx, rows, days), w)
        mask, counts = eligible_mask(features, ctx, rows, days)
        np.copyto(part, np.float32(-np.inf), where=~mask)
        scores[a:b] = part
        return counts, int(np.count_nonzero(mask)), _chunk_pool(part, pool_k, thr) + a

    if threads is None:
        threads = min(2, os.cpu_count() or 1) if n >= THREAD_MIN_ROWS else 1
    if threads > 1 and len(bounds) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(run, bounds))
    else:
        results = [run(b) for b in bounds]
    filtered = {name: sum(r[0][name] for r in results) for name in FILTERS}
    eligible = sum(r[1] for r in results)
    top_pool = np.concatenate([r[2] for r in results]) if results else np.empty(0, np.int64)
    return Scored(ctx, w, scores, eligible, filtered, top_pool, pool_k)


def order_rows(features: VolunteerFeatures, scores: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """`rows` sorted by descending score, then ascending volunteer id (the tie-break)."""
    rows = np.asarray(rows, dtype=np.int64)
    return rows[np.lexsort((features.ids[rows], -scores[rows]))]


def top_rows(features: VolunteerFeatures, scored: Scored, k: int) -> np.ndarray:
    """The best `k` eligible rows in deterministic order (k <= scored.pool_k)."""
    if k > scored.pool_k:
        raise ValueError("k larger than the pool kept while scoring")
    return order_rows(features, scored.scores, scored.top_pool)[:k]


def rank_of(features: VolunteerFeatures, scored: Scored, row: int) -> int:
    """1-based rank of an eligible row among all eligible rows (same order as top_rows)."""
    s = scored.scores[row]
    ahead = np.count_nonzero(scored.scores > s)
    ahead += np.count_nonzero((scored.scores == s) & (features.ids < features.ids[row]))
    return int(ahead) + 1
