"""Loading the matcher's inputs from the database: every volunteer as numpy columns, one project's needs.

Each table is read with one query and turned into arrays without per-row ORM objects, so
100,000 volunteers load in a fraction of a second.
"""
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import func

from app.extensions import db
from app.matching.features import OPEN_UNTIL, Labels, ProjectNeeds, VolunteerFeatures, epoch_day
from app.models import (
    Cause,
    Invitation,
    Skill,
    TeamMembership,
    VolunteerProfile,
    VolunteerSkill,
    volunteer_causes,
)
from app.places import city_by_key, us_states
from app.teams.commitments import committed_hours_by_volunteer


@lru_cache(maxsize=1)
def _state_codes():
    codes = [code for code, _ in sorted(us_states())]
    return {code: i for i, code in enumerate(codes)}, dict(enumerate(codes))


def state_index(code):
    return _state_codes()[0].get(code or "", -1)


@lru_cache(maxsize=64)
def utc_offset_hours(tz_name, on=None):
    """Hours east of UTC for a time zone on a day (standard/daylight time differs)."""
    try:
        zone = ZoneInfo(tz_name)
    except Exception:  # unknown or empty name: treat as US Eastern, the commonest
        zone = ZoneInfo("America/New_York")
    day = on or date.today()
    return zone.utcoffset(datetime(day.year, day.month, day.day, 12)).total_seconds() / 3600


class _CityNames(Mapping):
    """City key -> "Richmond, VA", looked up only for the few candidates that get reasons."""

    def __getitem__(self, key):
        city = city_by_key(int(key))
        if city is None:
            raise KeyError(key)
        return city.label

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0


def load_labels():
    skills = dict(db.session.execute(db.select(Skill.id, Skill.name)).all())
    causes = dict(db.session.execute(db.select(Cause.bit, Cause.name)).all())
    return Labels(cities=_CityNames(), skills=skills, causes=causes, states=_state_codes()[1])


def load_volunteer_features(today=None):
    """(VolunteerFeatures of every volunteer, Labels)."""
    today = today or date.today()
    p = VolunteerProfile
    rows = db.session.execute(
        db.select(
            p.id, p.home_city_key, p.current_city_key, p.home_state, p.current_state,
            p.home_lat, p.home_lon, p.current_lat, p.current_lon, p.hours_per_week,
            p.available_from, p.available_until, p.timezone, p.lead_trained, p.paused, p.opted_out,
            p.checkins_on_time, p.checkins_due, p.projects_completed, p.projects_dropped, p.placements,
        ).order_by(p.id)
    ).all()
    n = len(rows)
    cols = list(zip(*rows)) if rows else [()] * 21
    ids = np.fromiter(cols[0], dtype=np.int64, count=n)

    def floats(values):
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

    states = _state_codes()[0]
    tz = {name: utc_offset_hours(name, today) for name in set(cols[12])}

    skill_ids = np.array(sorted(db.session.scalars(db.select(Skill.id))), dtype=np.int64)
    levels = np.zeros((n, len(skill_ids)), dtype=np.uint8)
    vs = db.session.execute(db.select(VolunteerSkill.volunteer_id, VolunteerSkill.skill_id, VolunteerSkill.level)).all()
    if vs and n:
        v_ids, s_ids, lv = (np.array(c) for c in zip(*vs))
        levels[np.searchsorted(ids, v_ids), np.searchsorted(skill_ids, s_ids)] = lv

    causes = np.zeros(n, dtype=np.uint64)
    vc = db.session.execute(
        db.select(volunteer_causes.c.volunteer_id, Cause.bit).join(Cause, Cause.id == volunteer_causes.c.cause_id)
    ).all()
    if vc and n:
        v_ids, bits = (np.array(c, dtype=np.int64) for c in zip(*vc))
        np.bitwise_or.at(causes, np.searchsorted(ids, v_ids), np.left_shift(np.uint64(1), bits.astype(np.uint64)))

    committed = np.zeros(n, dtype=np.float32)
    for vid, hours in committed_hours_by_volunteer().items():
        committed[np.searchsorted(ids, vid)] = hours
    open_inv = np.zeros(n, dtype=np.int32)
    for vid, count in db.session.execute(
        db.select(Invitation.volunteer_id, func.count()).where(Invitation.status == "pending").group_by(Invitation.volunteer_id)
    ):
        open_inv[np.searchsorted(ids, vid)] = count

    features = VolunteerFeatures(
        ids=ids,
        skill_ids=skill_ids,
        skill_levels=levels,
        home_city=np.array([v or 0 for v in cols[1]], dtype=np.int64),
        cur_city=np.array([v or 0 for v in cols[2]], dtype=np.int64),
        home_state=np.array([states.get(v, -1) for v in cols[3]], dtype=np.int16),
        cur_state=np.array([states.get(v, -1) for v in cols[4]], dtype=np.int16),
        home_lat=floats(cols[5]),
        home_lon=floats(cols[6]),
        cur_lat=floats(cols[7]),
        cur_lon=floats(cols[8]),
        causes=causes,
        hours_per_week=np.array(cols[9], dtype=np.float32),
        committed_hours=committed,
        available_from=np.array([epoch_day(d) if d else 0 for d in cols[10]], dtype=np.int32),
        available_until=np.array([epoch_day(d) if d else OPEN_UNTIL for d in cols[11]], dtype=np.int32),
        utc_offset=np.array([tz[name] for name in cols[12]], dtype=np.float32),
        lead_trained=np.array(cols[13], dtype=bool),
        paused=np.logical_or(np.array(cols[14], dtype=bool), np.array(cols[15], dtype=bool)),
        checkins_on_time=np.array(cols[16], dtype=np.int32),
        checkins_due=np.array(cols[17], dtype=np.int32),
        projects_completed=np.array(cols[18], dtype=np.int32),
        projects_dropped=np.array(cols[19], dtype=np.int32),
        placements=np.array(cols[20], dtype=np.int32),
        open_invitations=open_inv,
    )
    return features, load_labels()


def load_project_needs(project):
    """The matcher's view of one project: needed skills, place, dates, who to leave out."""
    campaign = project.campaign
    invited = db.session.scalars(db.select(Invitation.volunteer_id).where(Invitation.project_id == project.id))
    members = db.session.scalars(db.select(TeamMembership.volunteer_id).where(TeamMembership.project_id == project.id))
    mask = 0
    for cause in campaign.causes:
        mask |= 1 << cause.bit
    return ProjectNeeds(
        project_id=project.id,
        needs=tuple((s.skill_id, s.level, s.weight) for s in project.skills),
        hours_per_week=float(project.hours_per_week),
        start_day=epoch_day(project.start_date),
        end_day=epoch_day(project.end_date),
        city=campaign.city_key or 0,
        state=state_index(campaign.state),
        lat=campaign.lat if campaign.lat is not None else float("nan"),
        lon=campaign.lon if campaign.lon is not None else float("nan"),
        causes=mask,
        utc_offset=utc_offset_hours(campaign.timezone, project.start_date),
        team_min=project.team_min,
        team_max=project.team_max,
        exclude_ids=frozenset(invited) | frozenset(members),
    )
