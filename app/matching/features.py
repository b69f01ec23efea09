"""Input data of the matcher: columnar volunteer features, one project's needs, labels.

A DB-loading service builds these; tests build them from plain rows with
`VolunteerFeatures.from_rows`. Arrays are used as given when their dtype already
matches (no copy), so a loader can hand over large arrays cheaply.
"""
from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Mapping, Optional, Sequence

import numpy as np

#: Open-ended availability window bounds (epoch days).
OPEN_FROM = 0
OPEN_UNTIL = 2**30

LEVEL_NAMES = {0: "none", 1: "beginner", 2: "intermediate", 3: "advanced", 4: "expert"}

_EPOCH = _dt.date(1970, 1, 1)


class InvalidMatchInput(ValueError):
    """Input the matcher refuses: a missing number, a duplicate id, a bad shape.

    Raised before any scoring, so a bad loader fails loudly instead of a volunteer being
    counted eligible and silently left off (or explained as "score nan").
    """


#: float columns where NaN means "unknown" and the formulas handle it; every other
#: float column is a required number.
NAN_ALLOWED = frozenset({"home_lat", "home_lon", "cur_lat", "cur_lon", "utc_offset"})


def epoch_day(value: _dt.date) -> int:
    """Days since 1970-01-01 for a date (the unit of every date in the matcher)."""
    return (value - _EPOCH).days


def day_to_date(day: int) -> _dt.date:
    """Inverse of `epoch_day`."""
    return _EPOCH + _dt.timedelta(days=int(day))


# column name -> (dtype, trailing shape is (S,) for skill_levels only)
_COLUMNS = {
    "ids": np.int64,
    "skill_levels": np.uint8,
    "home_city": np.int64,
    "cur_city": np.int64,
    "home_state": np.int16,
    "cur_state": np.int16,
    "home_lat": np.float64,
    "home_lon": np.float64,
    "cur_lat": np.float64,
    "cur_lon": np.float64,
    "causes": np.uint64,
    "hours_per_week": np.float32,
    "committed_hours": np.float32,
    "available_from": np.int32,
    "available_until": np.int32,
    "utc_offset": np.float32,
    "lead_trained": np.bool_,
    "paused": np.bool_,
    "checkins_on_time": np.int32,
    "checkins_due": np.int32,
    "projects_completed": np.int32,
    "projects_dropped": np.int32,
    "ratings_received": np.int32,
    "rating_points": np.float32,
    "placements": np.int32,
    "open_invitations": np.int32,
    "recent_shortlists": np.int32,
    "recent_invitations": np.int32,
    "declined_time": np.int32,
    "declined_skills": np.int32,
    "declined_dates": np.int32,
}

#: columns a caller may leave out (None): zeros of the column's dtype
_OPTIONAL = ("recent_shortlists", "recent_invitations", "declined_time", "declined_skills", "declined_dates")

#: Decline reason categories a volunteer can give, and the column that counts each.
DECLINE_CATEGORIES = {"time": "declined_time", "skills": "declined_skills", "dates": "declined_dates"}

# defaults for `from_rows` (a newcomer with no location, open availability)
_ROW_DEFAULTS = {
    "home_city": 0, "cur_city": 0, "home_state": -1, "cur_state": -1,
    "home_lat": math.nan, "home_lon": math.nan, "cur_lat": math.nan, "cur_lon": math.nan,
    "causes": 0, "hours_per_week": 0.0, "committed_hours": 0.0,
    "available_from": OPEN_FROM, "available_until": OPEN_UNTIL, "utc_offset": -5.0,
    "lead_trained": False, "paused": False, "checkins_on_time": 0, "checkins_due": 0,
    "projects_completed": 0, "projects_dropped": 0,
    "ratings_received": 0, "rating_points": 0.0, "placements": 0, "open_invitations": 0,
    "recent_shortlists": 0, "recent_invitations": 0,
    "declined_time": 0, "declined_skills": 0, "declined_dates": 0,
}


def _unit_xyz(lat_deg: np.ndarray, lon_deg: np.ndarray):
    """Unit-sphere coordinates (float32); NaN where the location is unknown."""
    lat = np.radians(lat_deg).astype(np.float32)
    lon = np.radians(lon_deg).astype(np.float32)
    cos_lat = np.cos(lat)
    return cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)


@dataclass(frozen=True, eq=False)
class VolunteerFeatures:
    """Columnar features of n volunteers (see the data contract in the module docs).

    `skill_levels[i, j]` is volunteer i's level (0 none .. 4 expert) in skill
    `skill_ids[j]`. Cities are geonames keys (0 unknown), states are codes (-1
    unknown), coordinates are degrees (NaN unknown), `causes` is a bitmask, days are
    epoch days. Derived arrays (free hours, unit vectors, id index) are computed on
    first use and cached on the instance.
    """

    ids: np.ndarray
    skill_ids: np.ndarray
    skill_levels: np.ndarray
    home_city: np.ndarray
    cur_city: np.ndarray
    home_state: np.ndarray
    cur_state: np.ndarray
    home_lat: np.ndarray
    home_lon: np.ndarray
    cur_lat: np.ndarray
    cur_lon: np.ndarray
    causes: np.ndarray
    hours_per_week: np.ndarray
    committed_hours: np.ndarray
    available_from: np.ndarray
    available_until: np.ndarray
    utc_offset: np.ndarray
    lead_trained: np.ndarray
    paused: np.ndarray
    checkins_on_time: np.ndarray
    checkins_due: np.ndarray
    projects_completed: np.ndarray
    projects_dropped: np.ndarray
    ratings_received: np.ndarray  # campaign ratings of completed projects the volunteer was on
    rating_points: np.ndarray     # their sum, each rating mapped 1..5 -> 0..1
    placements: np.ndarray
    open_invitations: np.ndarray
    # exposure memory: shortlists (ranked in a run's top list) and invitations over recent runs
    recent_shortlists: Optional[np.ndarray] = None
    recent_invitations: Optional[np.ndarray] = None
    # recent declines by reason category ("not enough time", "not my skills", "dates")
    declined_time: Optional[np.ndarray] = None
    declined_skills: Optional[np.ndarray] = None
    declined_dates: Optional[np.ndarray] = None

    def __post_init__(self):
        set_ = object.__setattr__
        for name in _OPTIONAL:
            if getattr(self, name) is None:
                set_(self, name, np.zeros(np.shape(self.ids), dtype=_COLUMNS[name]))
        set_(self, "skill_ids", _as_array("skill_ids", self.skill_ids, np.int64).reshape(-1))
        reject_duplicates("skill", self.skill_ids)
        for name, dtype in _COLUMNS.items():
            set_(self, name, _as_array(name, getattr(self, name), dtype))
        n = self.ids.shape[0]
        for name, dtype in _COLUMNS.items():
            arr = getattr(self, name)
            want = (n, self.skill_ids.shape[0]) if name == "skill_levels" else (n,)
            if arr.shape != want:
                raise InvalidMatchInput(f"{name} has shape {arr.shape}, expected {want}")
            if dtype in (np.float32, np.float64) and name not in NAN_ALLOWED:
                bad = ~np.isfinite(arr)
                if bad.any():
                    raise InvalidMatchInput(
                        f"{name} must be a number for every volunteer; missing for id(s) "
                        f"{[int(v) for v in self.ids[bad][:5]]}")
        reject_duplicates("volunteer", self.ids)

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping], skill_ids: Optional[Sequence[int]] = None):
        """Build features from plain dicts (for tests and small loaders).

        Each row needs `id`; `skills` is a mapping skill id -> level; every other
        column defaults to a newcomer with unknown location and open availability
        (see `_ROW_DEFAULTS`). `skill_ids` fixes the column order; by default the
        sorted union of the rows' skills.
        """
        if skill_ids is None:
            skill_ids = sorted({s for r in rows for s in r.get("skills", {})})
        col = {int(s): j for j, s in enumerate(skill_ids)}
        levels = np.zeros((len(rows), len(col)), dtype=np.uint8, order="F")
        for i, r in enumerate(rows):
            for s, lvl in r.get("skills", {}).items():
                levels[i, col[int(s)]] = lvl
        data = {"ids": [int(r["id"]) for r in rows]}
        for name, default in _ROW_DEFAULTS.items():
            data[name] = [r.get(name, default) for r in rows]
        cols = {name: _as_array(name, vals, _COLUMNS[name]) for name, vals in data.items()}
        return cls(skill_ids=np.array(list(skill_ids), dtype=np.int64), skill_levels=levels, **cols)

    def fresh(self) -> "VolunteerFeatures":
        """Same arrays, empty derived-array cache (benchmarks use it to time a cold run)."""
        return VolunteerFeatures(**{f.name: getattr(self, f.name) for f in fields(self)})

    # ---- derived arrays, cached -------------------------------------------------
    @cached_property
    def skill_col(self) -> dict:
        """skill id -> column index in `skill_levels`."""
        return {int(s): j for j, s in enumerate(self.skill_ids)}

    @cached_property
    def skill_columns(self) -> np.ndarray:
        """`skill_levels` transposed, contiguous (ranking reads a few whole skills); free when
        the loader builds `skill_levels` column-major (order="F"), as ours do."""
        return np.ascontiguousarray(self.skill_levels.T)

    @cached_property
    def free_hours(self) -> np.ndarray:
        """Hours per week offered minus hours already committed (float32)."""
        return self.hours_per_week - self.committed_hours

    def exposure_divisor(self, k_open: float, k_invited: float, k_shortlisted: float) -> np.ndarray:
        """1 + k_open * open + k_invited * recent invitations + k_shortlisted * recent shortlists
        (float32), computed once per feature set and constants: one array for the scorer to read."""
        cache = self.__dict__.setdefault("_exposure_cache", {})
        key = (float(k_open), float(k_invited), float(k_shortlisted))
        if key not in cache:
            out = self.open_invitations.astype(np.float32) * np.float32(k_open)
            out += np.float32(1)
            if k_invited:
                out += self.recent_invitations.astype(np.float32) * np.float32(k_invited)
            if k_shortlisted:
                out += self.recent_shortlists.astype(np.float32) * np.float32(k_shortlisted)
            cache[key] = out
        return cache[key]

    @cached_property
    def lead_rows(self) -> np.ndarray:
        """Sorted rows of lead-trained volunteers."""
        return np.flatnonzero(self.lead_trained)

    @cached_property
    def decline_rows(self) -> np.ndarray:
        """Sorted rows with any recent decline (few): the interest kernel touches only these."""
        return np.flatnonzero((self.declined_time | self.declined_skills | self.declined_dates) != 0)

    @cached_property
    def home_xyz(self):
        """Home location as unit vectors (3 float32 arrays), for chord distances."""
        return _unit_xyz(self.home_lat, self.home_lon)

    @cached_property
    def cur_xyz(self):
        """Current location as unit vectors (3 float32 arrays)."""
        return _unit_xyz(self.cur_lat, self.cur_lon)

    @cached_property
    def _id_index(self):
        # rows ordered by id; skip the sort when the loader already sorted by id
        ids = self.ids
        if ids.size < 2 or bool(np.all(ids[1:] > ids[:-1])):
            return None
        return np.argsort(ids, kind="stable")

    def rows_for_ids(self, ids) -> np.ndarray:
        """Row indices of the given volunteer ids; KeyError for an unknown id."""
        want = np.asarray(ids, dtype=np.int64).reshape(-1)
        order = self._id_index
        sorted_ids = self.ids if order is None else self.ids[order]
        pos = np.searchsorted(sorted_ids, want)
        pos_c = np.minimum(pos, max(len(sorted_ids) - 1, 0))
        if len(sorted_ids) == 0 or not np.array_equal(sorted_ids[pos_c], want):
            missing = [int(v) for v, p in zip(want, pos_c)
                       if len(sorted_ids) == 0 or sorted_ids[p] != v]
            raise KeyError(f"unknown volunteer id(s): {missing[:5]}")
        return pos_c if order is None else order[pos_c]


def _as_array(name, values, dtype):
    """np.asarray with a clear error for None/text in an integer or boolean column."""
    try:
        arr = np.asarray(values, dtype=dtype)
    except (TypeError, ValueError) as err:
        raise InvalidMatchInput(f"{name}: every value must be a number ({err})") from None
    if arr.dtype == object:  # pragma: no cover - numpy refuses object -> numeric above
        raise InvalidMatchInput(f"{name}: every value must be a number")
    return arr


def reject_duplicates(what: str, ids: np.ndarray) -> None:
    """InvalidMatchInput naming a few duplicate ids (cheap when the ids are already sorted)."""
    if ids.size < 2 or bool(np.all(ids[1:] > ids[:-1])):
        return
    s = np.sort(ids)
    dup = np.unique(s[1:][s[1:] == s[:-1]])
    if dup.size:
        raise InvalidMatchInput(f"duplicate {what} id(s): {[int(v) for v in dup[:5]]}")


def _finite(name: str, value) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise InvalidMatchInput(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(out):
        raise InvalidMatchInput(f"{name} must be a finite number, got {value!r}")
    return out


@dataclass(frozen=True)
class Need:
    """One needed skill: `level` 1..4 (capped coverage), `weight` > 0."""

    skill_id: int
    level: int
    weight: float = 1.0

    def __post_init__(self):
        level = _finite("need level", self.level)
        if not 1 <= level <= 4 or level != int(level):
            raise InvalidMatchInput(f"need level must be 1..4, got {self.level}")
        if not _finite("need weight", self.weight) > 0:
            raise InvalidMatchInput(f"need weight must be > 0, got {self.weight}")


@dataclass(frozen=True)
class ProjectNeeds:
    """What one project asks for. `needs` accepts Need objects or (skill_id, level[, weight]) tuples.

    Location fields describe the campaign (city key 0 / state -1 / NaN coordinates
    when unknown); `causes` is a bitmask; `utc_offset` NaN means unknown (no
    time-zone penalty); `exclude_ids` are volunteers already invited or on the team;
    `raised_hand_ids` are volunteers who asked to join this project.
    """

    project_id: int
    needs: tuple
    hours_per_week: float
    start_day: int
    end_day: int
    city: int = 0
    state: int = -1
    lat: float = math.nan
    lon: float = math.nan
    causes: int = 0
    utc_offset: float = math.nan
    team_min: int = 3
    team_max: int = 5
    exclude_ids: frozenset = field(default_factory=frozenset)
    raised_hand_ids: frozenset = field(default_factory=frozenset)

    def __post_init__(self):
        set_ = object.__setattr__
        needs = tuple(n if isinstance(n, Need) else Need(*n) for n in self.needs)
        set_(self, "needs", needs)
        set_(self, "exclude_ids", frozenset(int(v) for v in self.exclude_ids))
        set_(self, "raised_hand_ids", frozenset(int(v) for v in self.raised_hand_ids))
        skills = [int(n.skill_id) for n in needs]
        if len(set(skills)) != len(skills):
            raise InvalidMatchInput(f"project {self.project_id}: a skill is listed twice in its needs")
        for name in ("start_day", "end_day", "team_min", "team_max", "causes"):
            _finite(f"project {name}", getattr(self, name))
        if not _finite("project hours_per_week", self.hours_per_week) > 0:
            raise InvalidMatchInput("project hours_per_week must be > 0")
        for name in ("lat", "lon", "utc_offset"):  # NaN = unknown; None is a loader bug
            if getattr(self, name) is None:
                raise InvalidMatchInput(f"project {name}: use NaN for unknown, not None")
        if self.end_day < self.start_day:
            raise InvalidMatchInput("project end_day is before start_day")
        if not 1 <= self.team_min <= self.team_max:
            raise InvalidMatchInput("need 1 <= team_min <= team_max")
        if not 0 <= int(self.causes) < 2**64:
            raise InvalidMatchInput("causes must be a 64-bit mask")


@dataclass(frozen=True)
class Labels:
    """Display names for reasons; anything missing falls back to a neutral code."""

    cities: Mapping[int, str] = field(default_factory=dict)
    skills: Mapping[int, str] = field(default_factory=dict)
    causes: Mapping[int, str] = field(default_factory=dict)
    states: Mapping[int, str] = field(default_factory=dict)

    def city(self, key: int) -> str:
        return self.cities.get(int(key), f"city #{int(key)}")

    def skill(self, key: int) -> str:
        return self.skills.get(int(key), f"skill #{int(key)}")

    def cause(self, bit: int) -> str:
        return self.causes.get(int(bit), f"cause #{int(bit)}")

    def state(self, code: int) -> str:
        return self.states.get(int(code), f"state #{int(code)}")
