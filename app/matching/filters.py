"""Hard filters: who cannot be proposed for a project at all, and why.

A volunteer failing several filters is counted once, under the first failing filter
in `FILTERS` order, so the counts add up to the number of excluded volunteers.
"""
from __future__ import annotations

import numpy as np

from .components import ProjectContext, date_overlap_days
from .features import VolunteerFeatures, day_to_date

#: Filter reason codes, in the order they are checked and counted.
FILTERS = ("paused", "already_invited", "not_enough_hours", "unavailable_dates")


def failing(f: VolunteerFeatures, ctx: ProjectContext, rows, days=None) -> dict:
    """Boolean arrays (True = excluded) per filter for `rows`; date filter only if enabled.

    `days` may pass `date_overlap_days` already computed for the same rows.
    """
    p = ctx.project
    out = {"paused": f.paused[rows]}
    ids = f.ids[rows]
    if p.exclude_ids:
        out["already_invited"] = np.isin(ids, np.fromiter(p.exclude_ids, dtype=np.int64))
    else:
        out["already_invited"] = np.zeros(ids.shape[0], dtype=bool)
    out["not_enough_hours"] = f.free_hours[rows] < np.float32(p.hours_per_week)
    if ctx.params.filter_no_date_overlap:
        days = date_overlap_days(f, ctx, rows) if days is None else days
        out["unavailable_dates"] = days <= 0
    return out


def eligible_mask(f: VolunteerFeatures, ctx: ProjectContext, rows, days=None):
    """(mask of eligible rows, counts per filter reason) for `rows`."""
    fails = failing(f, ctx, rows, days)
    excluded = np.zeros_like(fails["paused"])
    counts = {}
    for name in FILTERS:
        if name not in fails:
            counts[name] = 0
            continue
        new = fails[name] & ~excluded
        counts[name] = int(np.count_nonzero(new))
        excluded |= fails[name]
    return ~excluded, counts


def filter_sentence(reason: str, f: VolunteerFeatures, row: int, ctx: ProjectContext) -> str:
    """A plain sentence for why one volunteer is excluded by `reason`."""
    p = ctx.project
    if reason == "paused":
        return "paused or opted out of matching"
    if reason == "already_invited":
        return "already invited to or on this project"
    if reason == "not_enough_hours":
        free = max(float(f.free_hours[row]), 0.0)
        return f"only {free:g} h/week free, project needs {float(p.hours_per_week):g}"
    if reason == "unavailable_dates":
        lo, hi = int(f.available_from[row]), int(f.available_until[row])
        window = []
        if lo > 0:
            window.append(f"from {day_to_date(lo).isoformat()}")
        if hi < 2**30:
            window.append(f"until {day_to_date(hi).isoformat()}")
        return (f"available {' '.join(window) or 'at other times'}, project runs "
                f"{day_to_date(p.start_day).isoformat()} to {day_to_date(p.end_day).isoformat()}")
    raise ValueError(f"unknown filter {reason!r}")
