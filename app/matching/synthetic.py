"""Synthetic volunteers and projects with realistic shapes, for tests and benchmarks.

Most volunteers have 2-6 skills (popular skills are much more common), live in a
few hundred US-like cities (big cities more likely), sit in UTC-5..-8, offer 2-20
h/week, and about half are newcomers. The city table is fixed (its own seed), so
projects and volunteers generated with different seeds share geography.
"""
from __future__ import annotations

import datetime as _dt
from functools import lru_cache

import numpy as np

from .features import OPEN_UNTIL, Labels, ProjectNeeds, VolunteerFeatures, epoch_day

TODAY = epoch_day(_dt.date(2026, 11, 22))
N_CAUSES = 16
N_STATES = 50
N_CITIES = 300

SKILL_NAMES = [
    "React", "Python", "Data analysis", "SQL", "Email marketing", "Graphic design", "Copywriting",
    "Facebook ads", "Google ads", "SEO", "WordPress", "Photography", "Video editing", "UX research",
    "Project management", "Salesforce", "NGP VAN", "Excel", "Social media", "Fundraising analytics",
    "JavaScript", "Django", "Flask", "Figma", "Illustration", "Mobile apps", "Data visualization",
    "Machine learning", "Survey design", "Accessibility", "Content strategy", "Twitter ads", "Node.js",
    "DevOps", "Security", "Spanish translation", "Public speaking", "Event planning", "SMS outreach",
    "Volunteer management",
]
CAUSE_NAMES = [
    "Voting rights", "Climate", "Education", "Health care", "Immigration", "Gun safety", "Housing",
    "Labor", "Criminal justice", "Reproductive rights", "LGBTQ+ equality", "Economic justice",
    "Rural broadband", "Veterans", "Disability rights", "Campaign finance",
]
STATE_CODES = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY",
]


@lru_cache(maxsize=1)
def city_table():
    """(keys, state codes, lat, lon, popularity p) of the fixed synthetic cities."""
    rng = np.random.default_rng(12345)
    st_lat = rng.uniform(27, 47, N_STATES)
    st_lon = rng.uniform(-122, -71, N_STATES)
    state = rng.integers(0, N_STATES, N_CITIES).astype(np.int16)
    lat = st_lat[state] + rng.normal(0, 1.2, N_CITIES)
    lon = st_lon[state] + rng.normal(0, 1.5, N_CITIES)
    pop = 1.0 / np.arange(1, N_CITIES + 1) ** 0.9
    keys = 4_000_000 + np.arange(N_CITIES, dtype=np.int64) * 7  # geonames-like keys
    return keys, state, lat, lon, pop / pop.sum()


def _offset_for_lon(lon):
    """US time zone from longitude: east -5, central -6, mountain -7, pacific -8."""
    lon = np.nan_to_num(np.asarray(lon, dtype=np.float64), nan=-80.0)
    return np.select([lon > -87, lon > -101, lon > -114], [-5.0, -6.0, -7.0], -8.0).astype(np.float32)


def _skill_popularity(n_skills):
    p = 1.0 / (np.arange(n_skills) + 3.0)
    return p / p.sum()


def synthetic_features(n: int, n_skills: int = 40, seed: int = 0) -> VolunteerFeatures:
    """n synthetic volunteers (ids 1..n) over `n_skills` skills (ids 1..n_skills)."""
    rng = np.random.default_rng(seed)
    keys, cstate, clat, clon, cpop = city_table()

    levels = np.zeros((n, n_skills), dtype=np.uint8, order="F")  # column-major: see skill_columns
    k = rng.choice(np.arange(1, 9), size=n, p=[.05, .15, .22, .22, .16, .12, .05, .03])
    picks = rng.choice(n_skills, size=(n, 8), p=_skill_popularity(n_skills))
    lv = rng.choice(np.arange(1, 5), size=(n, 8), p=[.2, .35, .3, .15]).astype(np.uint8)
    use = np.arange(8) < k[:, None]
    rows = np.broadcast_to(np.arange(n)[:, None], (n, 8))
    levels[rows[use], picks[use]] = lv[use]

    home = rng.choice(N_CITIES, size=n, p=cpop)
    moved = rng.random(n) < 0.55
    cur = np.where(moved, rng.choice(N_CITIES, size=n, p=cpop), home)
    unknown = rng.random(n) < 0.03
    home_city = np.where(unknown, 0, keys[home])
    home_state = np.where(unknown, -1, cstate[home]).astype(np.int16)
    home_lat = np.where(unknown, np.nan, clat[home] + rng.normal(0, 0.08, n))
    home_lon = np.where(unknown, np.nan, clon[home] + rng.normal(0, 0.08, n))
    cur_lat = clat[cur] + rng.normal(0, 0.08, n)
    cur_lon = clon[cur] + rng.normal(0, 0.08, n)

    cause_p = np.linspace(0.3, 0.04, N_CAUSES)
    bits = rng.random((n, N_CAUSES)) < cause_p
    causes = (bits.astype(np.uint64) << np.arange(N_CAUSES, dtype=np.uint64)).sum(axis=1, dtype=np.uint64)

    hours = rng.choice([2, 3, 4, 5, 6, 8, 10, 12, 15, 20], size=n,
                       p=[.06, .08, .14, .14, .16, .16, .12, .06, .05, .03]).astype(np.float32)
    committed = np.where(rng.random(n) < 0.65, 0, rng.choice([2, 4, 6, 8], size=n)).astype(np.float32)
    committed = np.minimum(committed, hours)

    starts_later = rng.random(n) < 0.3
    avail_from = np.where(starts_later, TODAY + rng.integers(-30, 60, n), 0).astype(np.int32)
    ends = rng.random(n) < 0.25
    avail_until = np.where(ends, TODAY + rng.integers(30, 200, n), OPEN_UNTIL).astype(np.int32)

    offset = _offset_for_lon(cur_lon)
    abroad = rng.random(n) < 0.02
    offset = np.where(abroad, rng.choice([0.0, 1.0, 5.5], size=n), offset).astype(np.float32)

    newcomer = rng.random(n) < 0.55
    completed = np.where(newcomer, 0, rng.poisson(1.5, n)).astype(np.int32)
    dropped = np.where(newcomer, 0, rng.binomial(2, 0.1, n)).astype(np.int32)
    due = ((completed + dropped) * rng.integers(4, 9, n)).astype(np.int32)
    on_time = rng.binomial(due, rng.beta(8, 2, n)).astype(np.int32)
    # campaigns rate most completed projects, mostly 4s and 5s
    ratings = rng.binomial(completed, 0.8).astype(np.int32)
    points = rng.binomial(ratings * 4, 0.85).astype(np.float32) / np.float32(4)
    placements = (completed + dropped + np.where(newcomer, 0, rng.binomial(1, 0.2, n))).astype(np.int32)

    return VolunteerFeatures(
        ids=np.arange(1, n + 1, dtype=np.int64),
        skill_ids=np.arange(1, n_skills + 1, dtype=np.int64),
        skill_levels=levels,
        home_city=home_city, cur_city=np.where(unknown & ~moved, 0, keys[cur]),
        home_state=home_state, cur_state=cstate[cur],
        home_lat=home_lat, home_lon=home_lon, cur_lat=cur_lat, cur_lon=cur_lon,
        causes=causes,
        hours_per_week=hours, committed_hours=committed,
        available_from=avail_from, available_until=avail_until,
        utc_offset=offset,
        lead_trained=rng.random(n) < 0.08,
        paused=rng.random(n) < 0.06,
        checkins_on_time=on_time, checkins_due=due,
        projects_completed=completed, projects_dropped=dropped,
        ratings_received=ratings, rating_points=points,
        placements=placements,
        open_invitations=rng.poisson(0.6, n).astype(np.int32),
        recent_shortlists=rng.poisson(1.0, n).astype(np.int32),
        recent_invitations=rng.poisson(0.3, n).astype(np.int32),
        # about 7% declined something in the last 30 days, giving a reason category
        declined_time=rng.poisson(0.035, n).astype(np.int32),
        declined_skills=rng.poisson(0.02, n).astype(np.int32),
        declined_dates=rng.poisson(0.02, n).astype(np.int32),
    )


def synthetic_project(seed: int = 0, project_id: int = 1, n_skills: int = 40) -> ProjectNeeds:
    """One synthetic project: 2-4 needed skills, 4-10 h/week, 3-8 weeks, a campaign city."""
    rng = np.random.default_rng([seed, project_id])
    keys, cstate, clat, clon, cpop = city_table()
    n_needs = int(rng.integers(2, 5))
    skills = rng.choice(n_skills, size=n_needs, replace=False, p=_skill_popularity(n_skills)) + 1
    needs = [(int(s), int(rng.choice([2, 3, 4], p=[.45, .4, .15])), float(rng.choice([1.0, 1.0, 2.0])))
             for s in skills]
    city = int(rng.choice(N_CITIES, p=cpop))
    start = TODAY + int(rng.integers(7, 45))
    causes = 0
    for b in rng.choice(N_CAUSES, size=int(rng.integers(1, 4)), replace=False):
        causes |= 1 << int(b)
    return ProjectNeeds(
        project_id=project_id, needs=needs,
        hours_per_week=float(rng.choice([4, 5, 6, 8, 10])),
        start_day=start, end_day=start + 7 * int(rng.integers(3, 9)) - 1,
        city=int(keys[city]), state=int(cstate[city]), lat=float(clat[city]), lon=float(clon[city]),
        causes=causes, utc_offset=float(_offset_for_lon(clon[city])),
        team_min=3, team_max=5,
    )


def synthetic_projects(m: int, seed: int = 0, n_skills: int = 40) -> list:
    """m synthetic projects with ids 1..m."""
    return [synthetic_project(seed, pid, n_skills) for pid in range(1, m + 1)]


def synthetic_labels(n_skills: int = 40) -> Labels:
    """Display names for the synthetic skills, causes, cities and states."""
    keys, cstate, _, _, _ = city_table()
    skills = {i + 1: (SKILL_NAMES[i] if i < len(SKILL_NAMES) else f"Skill {i + 1}") for i in range(n_skills)}
    cities = {int(k): f"Town {i}, {STATE_CODES[int(s)]}" for i, (k, s) in enumerate(zip(keys, cstate))}
    return Labels(cities=cities, skills=skills, causes=dict(enumerate(CAUSE_NAMES)),
                  states=dict(enumerate(STATE_CODES)))
