"""Loading the matcher's inputs from the database: every volunteer as numpy columns, one project's needs.

Each table is read with one query and turned into arrays without per-row ORM objects, so
100,000 volunteers load in a fraction of a second.
"""
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import chain
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import func

from app import clock
from app.extensions import db
from app.matching.features import DECLINE_CATEGORIES, OPEN_UNTIL, Labels, ProjectNeeds, VolunteerFeatures, epoch_day
from app.models import (
    Cause,
    HandRaise,
    Invitation,
    MatchCandidate,
    MatchRun,
    Project,
    Rating,
    Skill,
    TeamMembership,
    VolunteerProfile,
    VolunteerSkill,
    volunteer_causes,
)
from app.models.base import utcnow
from app.places import city_by_key, us_states
from app.teams.commitments import committed_hours_by_volunteer
from app.lifecycle import InvitationStatus, MembershipStatus


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
    day = on or clock.today()
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


def _raw_rows(stmt):
    """Every row of a Core select as plain DBAPI tuples, inside the session's transaction.

    Skips SQLAlchemy's Row objects and per-value type processing: on 100,000 volunteers
    that is most of the load time. Values come back as the driver gives them (SQLite:
    dates as ISO strings, booleans as 0/1), which the numpy conversions below accept.
    """
    conn = db.session.connection()
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _epoch_days(values, missing):
    """Epoch days of dates or ISO date strings; `missing` where None."""
    days = np.array(values, dtype="datetime64[D]")
    out = days.astype(np.int64)
    out[np.isnat(days)] = missing
    return out.astype(np.int32)


def _int_pairs(rows, width):
    """Rows of small ints as an (n, width) int64 array (fromiter: 3x faster than np.array on tuples)."""
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width)
    return flat.reshape(-1, width)


def load_volunteer_features(today=None, exposure_until=None, for_project_id=None):
    """(VolunteerFeatures of every volunteer, Labels).

    Exposure counts what happened before `exposure_until` (a run's creation time, so a re-run
    of the same job sees the same history) on projects other than `for_project_id`.
    """
    today = today or clock.today()
    p = VolunteerProfile
    rows = _raw_rows(
        db.select(
            p.id, p.home_city_key, p.current_city_key, p.home_state, p.current_state,
            p.home_lat, p.home_lon, p.current_lat, p.current_lon, p.hours_per_week,
            p.available_from, p.available_until, p.timezone, p.lead_trained, p.paused, p.opted_out,
            p.checkins_on_time, p.checkins_due, p.projects_completed, p.projects_dropped, p.placements,
        ).order_by(p.id)
    )
    n = len(rows)
    cols = list(zip(*rows)) if rows else [()] * 21
    ids = np.fromiter(cols[0], dtype=np.int64, count=n)

    def floats(values):
        return np.array(values, dtype=np.float64)  # None becomes NaN (unknown location)

    def ints(values, dtype):
        return np.array([v or 0 for v in values], dtype=dtype)

    states = _state_codes()[0]
    tz = {name: utc_offset_hours(name, today) for name in set(cols[12])}

    skill_ids = np.array(sorted(db.session.scalars(db.select(Skill.id))), dtype=np.int64)
    levels = np.zeros((n, len(skill_ids)), dtype=np.uint8)
    vs = _int_pairs(_raw_rows(db.select(VolunteerSkill.volunteer_id, VolunteerSkill.skill_id, VolunteerSkill.level)), 3)
    if len(vs) and n:
        levels[np.searchsorted(ids, vs[:, 0]), np.searchsorted(skill_ids, vs[:, 1])] = vs[:, 2]

    causes = np.zeros(n, dtype=np.uint64)
    vc = _int_pairs(_raw_rows(
        db.select(volunteer_causes.c.volunteer_id, Cause.bit).join(Cause, Cause.id == volunteer_causes.c.cause_id)
    ), 2)
    if len(vc) and n:
        np.bitwise_or.at(causes, np.searchsorted(ids, vc[:, 0]), np.left_shift(np.uint64(1), vc[:, 1].astype(np.uint64)))

    committed = np.zeros(n, dtype=np.float32)
    for vid, hours in committed_hours_by_volunteer().items():
        committed[np.searchsorted(ids, vid)] = hours
    ratings, points = campaign_ratings_by_volunteer(ids)
    open_inv = np.zeros(n, dtype=np.int32)
    # Hours asked by pending invitations count as committed: otherwise the same few people
    # are proposed for ten teams at once. Accepting re-checks capacity against real commitments.
    for vid, count, hours in db.session.execute(
        db.select(Invitation.volunteer_id, func.count(), func.sum(Project.hours_per_week))
        .join(Project, Project.id == Invitation.project_id)
        .where(Invitation.status == InvitationStatus.PENDING).group_by(Invitation.volunteer_id)
    ):
        at = np.searchsorted(ids, vid)
        open_inv[at] = count
        committed[at] += float(hours or 0)

    shortlists, invited = recent_exposure(ids, exposure_until, for_project_id)
    declines = recent_declines(ids)
    features = VolunteerFeatures(
        ids=ids,
        skill_ids=skill_ids,
        skill_levels=levels,
        home_city=ints(cols[1], np.int64),
        cur_city=ints(cols[2], np.int64),
        home_state=np.array([states.get(v, -1) for v in cols[3]], dtype=np.int16),
        cur_state=np.array([states.get(v, -1) for v in cols[4]], dtype=np.int16),
        home_lat=floats(cols[5]),
        home_lon=floats(cols[6]),
        cur_lat=floats(cols[7]),
        cur_lon=floats(cols[8]),
        causes=causes,
        hours_per_week=np.array([v or 0 for v in cols[9]], dtype=np.float32),
        committed_hours=committed,
        available_from=_epoch_days(cols[10], 0),
        available_until=_epoch_days(cols[11], OPEN_UNTIL),
        utc_offset=np.array([tz[name] for name in cols[12]], dtype=np.float32),
        lead_trained=np.array(cols[13], dtype=bool),
        paused=np.logical_or(np.array(cols[14], dtype=bool), np.array(cols[15], dtype=bool)),
        checkins_on_time=np.array(cols[16], dtype=np.int32),
        checkins_due=np.array(cols[17], dtype=np.int32),
        projects_completed=np.array(cols[18], dtype=np.int32),
        projects_dropped=np.array(cols[19], dtype=np.int32),
        ratings_received=ratings,
        rating_points=points,
        placements=np.array(cols[20], dtype=np.int32),
        open_invitations=open_inv,
        recent_shortlists=shortlists,
        recent_invitations=invited,
        **declines,
    )
    return features, load_labels()


#: How far back the fairness component remembers shortlists and invitations.
EXPOSURE_WINDOW = timedelta(days=30)


def recent_exposure(ids, now=None, other_than_project_id=None):
    """(shortlists, invitations) arrays aligned with `ids` over the EXPOSURE_WINDOW before `now`.

    A shortlist is a project whose ranking put the volunteer in its stored top list (a
    project ranked again counts once); invitations count whatever their outcome. Rows of
    `other_than_project_id` are left out: being shown again for the same project is not
    more exposure, and a re-run must not see its own earlier output.
    """
    now = now or utcnow()
    since = now - EXPOSURE_WINDOW
    other = other_than_project_id or 0
    shortlists = np.zeros(len(ids), dtype=np.int32)
    invited = np.zeros(len(ids), dtype=np.int32)
    if not len(ids):
        return shortlists, invited
    for vid, count in db.session.execute(
        db.select(MatchCandidate.volunteer_id, func.count(func.distinct(MatchCandidate.project_id)))
        .join(MatchRun, MatchRun.id == MatchCandidate.run_id)
        .where(MatchRun.kind == "project", MatchRun.created_at >= since, MatchRun.created_at < now,
               MatchCandidate.project_id != other)
        .group_by(MatchCandidate.volunteer_id)
    ):
        shortlists[np.searchsorted(ids, vid)] = count
    for vid, count in db.session.execute(
        db.select(Invitation.volunteer_id, func.count())
        .where(Invitation.created_at >= since, Invitation.created_at < now, Invitation.project_id != other)
        .group_by(Invitation.volunteer_id)
    ):
        invited[np.searchsorted(ids, vid)] = count
    return shortlists, invited


def recent_declines(ids, now=None):
    """{feature column: counts aligned with `ids`} of declines by reason category over the window."""
    since = (now or utcnow()) - EXPOSURE_WINDOW
    out = {column: np.zeros(len(ids), dtype=np.int32) for column in DECLINE_CATEGORIES.values()}
    if not len(ids):
        return out
    for vid, category, count in db.session.execute(
        db.select(Invitation.volunteer_id, Invitation.decline_category, func.count())
        .where(Invitation.status == InvitationStatus.DECLINED, Invitation.decline_category.in_(tuple(DECLINE_CATEGORIES)),
               Invitation.created_at >= since)
        .group_by(Invitation.volunteer_id, Invitation.decline_category)
    ):
        out[DECLINE_CATEGORIES[category]][np.searchsorted(ids, vid)] = count
    return out


def campaign_ratings_by_volunteer(ids):
    """(count, points) arrays aligned with `ids`: the campaign's rating of each project a volunteer completed.

    Read from history rather than stored on the profile, so a rating given late or changed
    by staff is reflected at the next match run. A 1..5 rating counts (score - 1) / 4.
    """
    count = np.zeros(len(ids), dtype=np.int32)
    points = np.zeros(len(ids), dtype=np.float32)
    rows = db.session.execute(
        db.select(TeamMembership.volunteer_id, func.count(), func.sum(Rating.score - 1))
        .join(Rating, Rating.project_id == TeamMembership.project_id)
        .where(TeamMembership.status == MembershipStatus.COMPLETED, Rating.kind == "campaign")
        .group_by(TeamMembership.volunteer_id)
    ).all()
    if rows and len(ids):
        v_ids, counts, sums = (np.array(c) for c in zip(*rows))
        at = np.searchsorted(ids, v_ids)
        count[at] = counts
        points[at] = sums.astype(np.float32) / np.float32(4)
    return count, points


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
        raised_hand_ids=frozenset(
            db.session.scalars(db.select(HandRaise.volunteer_id).where(HandRaise.project_id == project.id))
        ),
    )
