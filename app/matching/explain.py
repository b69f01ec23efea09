"""Human-readable reasons for one candidate's score (built only for the top rows)."""
from __future__ import annotations

import math
from typing import List, Optional

from .components import ProjectContext, haversine_km
from .features import LEVEL_NAMES, Labels, VolunteerFeatures


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def distance_km(f: VolunteerFeatures, row: int, lat: float, lon: float) -> Optional[float]:
    """km from the nearer known location (home or current) of one volunteer, None if unknown."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    ds = [float(haversine_km(f.home_lat[row], f.home_lon[row], lat, lon)),
          float(haversine_km(f.cur_lat[row], f.cur_lon[row], lat, lon))]
    ds = [d for d in ds if math.isfinite(d)]
    return min(ds) if ds else None


def place_reasons(f: VolunteerFeatures, ctx: ProjectContext, row: int, labels: Labels) -> List[str]:
    """Hometown / lives in / same state / distance."""
    p = ctx.project
    out = []
    city_match = False
    if p.city != 0:
        if f.home_city[row] == p.city:
            out.append(f"hometown {labels.city(p.city)}")
            city_match = True
        if f.cur_city[row] == p.city:
            out.append(f"lives in {labels.city(p.city)}")
            city_match = True
    # Each reason names whose place it is (hometown or where they live) and the campaign's place,
    # so "same state" beside an address in another state is not a puzzle.
    if not city_match and p.state >= 0 and p.state in (int(f.home_state[row]), int(f.cur_state[row])):
        whose = "hometown" if int(f.home_state[row]) == p.state else "lives"
        out.append(f"{whose} in the campaign's state ({labels.state(p.state)})")
    if not city_match:
        d = distance_km(f, row, p.lat, p.lon)
        if d is not None:
            where = labels.city(p.city) if p.city != 0 else "the campaign"
            out.append(f"{d:,.0f} km from {where}")
    return out


def skill_reasons(f: VolunteerFeatures, ctx: ProjectContext, row: int, labels: Labels) -> List[str]:
    """'k of n needed skills' and one line per needed skill the volunteer has."""
    needs = ctx.project.needs
    if not needs:
        return []
    details, met = [], 0
    for need in needs:
        col = f.skill_col.get(int(need.skill_id))
        level = int(f.skill_levels[row, col]) if col is not None else 0
        if level >= need.level:
            met += 1
        if level > 0:
            details.append(f"{labels.skill(need.skill_id)}: {LEVEL_NAMES[min(level, 4)]} "
                           f"(needs {LEVEL_NAMES[need.level]})")
    return [f"{met} of {len(needs)} needed skills"] + details


def availability_reasons(f: VolunteerFeatures, ctx: ProjectContext, row: int) -> List[str]:
    """Free hours against the ask, partial date coverage, time-zone difference."""
    p = ctx.project
    out = [f"{float(f.free_hours[row]):g} h/week free, {float(p.hours_per_week):g} needed"]
    days = min(int(f.available_until[row]), p.end_day) - max(int(f.available_from[row]), p.start_day) + 1
    share = max(days, 0) / ctx.day_span
    if share < 1:
        out.append(f"available for {share:.0%} of the project dates")
    off = float(f.utc_offset[row])
    if math.isfinite(off) and math.isfinite(p.utc_offset) and abs(off - p.utc_offset) >= 2:
        out.append(f"{abs(off - p.utc_offset):g} h time-zone difference")
    return out


def cause_reasons(f: VolunteerFeatures, ctx: ProjectContext, row: int, labels: Labels) -> List[str]:
    """'shares 2 causes: A, B'."""
    shared = int(f.causes[row]) & int(ctx.project.causes)
    bits = [i for i in range(64) if shared >> i & 1]
    if not bits:
        return []
    return [f"shares {_plural(len(bits), 'cause')}: " + ", ".join(labels.cause(b) for b in bits)]


def history_reasons(f: VolunteerFeatures, row: int) -> List[str]:
    """Track record (or 'new to Barnstorm'), placement history, lead training."""
    on, due = int(f.checkins_on_time[row]), int(f.checkins_due[row])
    done, dropped = int(f.projects_completed[row]), int(f.projects_dropped[row])
    out = []
    if due == 0 and done == 0 and dropped == 0:
        out.append("new to Barnstorm")
    else:
        parts = []
        if done:
            parts.append(f"completed {_plural(done, 'project')}")
        if due:
            parts.append("all check-ins on time" if on >= due else f"{on} of {due} check-ins on time")
        if dropped:
            parts.append(f"dropped {_plural(dropped, 'project')}")
        rated = int(f.ratings_received[row])
        if rated:
            # points are the 0..1 mapping of 1..5 stars
            stars = 1 + 4 * float(f.rating_points[row]) / rated
            parts.append(f"campaigns rated their work {stars:.1f}/5")
        out.append(", ".join(parts))
    if int(f.placements[row]) == 0:
        out.append("never placed yet")
    opened = int(f.open_invitations[row])
    if opened >= 2:
        out.append(f"{opened} open invitations")
    shortlisted, invited = int(f.recent_shortlists[row]), int(f.recent_invitations[row])
    if invited or shortlisted >= 3:
        out.append(f"recently shortlisted {_plural(shortlisted, 'time')}, invited {_plural(invited, 'time')}")
    if bool(f.lead_trained[row]):
        out.append("lead-trained")
    return out


def interest_reasons(f: VolunteerFeatures, ctx: ProjectContext, row: int) -> List[str]:
    """A raised hand on this project; recent declines by reason."""
    out = []
    if int(f.ids[row]) in ctx.project.raised_hand_ids:
        out.append("raised a hand for this project")
    parts = [f"{n} not enough time" for n in [int(f.declined_time[row])] if n]
    parts += [f"{n} not my skills" for n in [int(f.declined_skills[row])] if n]
    parts += [f"{n} dates" for n in [int(f.declined_dates[row])] if n]
    if parts:
        out.append("recently declined: " + ", ".join(parts))
    return out


def reasons_for(f: VolunteerFeatures, ctx: ProjectContext, row: int,
                labels: Optional[Labels] = None) -> List[str]:
    """All reasons for one volunteer row, strongest signals (place, skills) first."""
    labels = labels or Labels()
    row = int(row)
    return (place_reasons(f, ctx, row, labels) + skill_reasons(f, ctx, row, labels)
            + availability_reasons(f, ctx, row) + cause_reasons(f, ctx, row, labels)
            + interest_reasons(f, ctx, row) + history_reasons(f, row))
