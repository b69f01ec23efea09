"""The matcher's inputs read from the database: every column converted right, on SQLite and PostgreSQL.

The loader reads raw driver rows for speed, so this pins what each driver hands back
(ISO strings or dates, 0/1 or booleans, NULLs) to the arrays the pure module expects.
"""
import math
from datetime import date, timedelta

import numpy as np
import pytest

from app.matching.features import OPEN_UNTIL, epoch_day
from app.recruiting.features import load_volunteer_features, state_index

# In make test's PostgreSQL pass too (docs/BENCHMARKS.md): raw SQL: the features loader compiles its query for
# the connection's dialect.
pytestmark = pytest.mark.postgres


def test_every_column_round_trips(db, make):
    web, data = make.skill(), make.skill()
    climate, housing = make.cause(), make.cause()
    start, until = date.today() + timedelta(days=10), date.today() + timedelta(days=90)
    placed = make.volunteer(
        city=("Denver", "CO"), hours=12, skills=[(web, 3), (data, 1)], lead_trained=True,
        available_from=start, available_until=until, timezone="America/Denver",
        checkins_on_time=5, checkins_due=6, projects_completed=2, projects_dropped=1, placements=3,
    )
    placed.volunteer_profile.causes.extend([climate, housing])
    newcomer = make.volunteer(paused=True)
    unknown = make.volunteer(opted_out=True)
    p = unknown.volunteer_profile
    p.home_lat = p.home_lon = p.current_lat = p.current_lon = None
    p.home_city_key = p.current_city_key = None
    p.home_state = p.current_state = ""
    db.session.commit()

    f, labels = load_volunteer_features()
    rows = f.rows_for_ids([placed.volunteer_profile.id, newcomer.volunteer_profile.id, p.id])
    a, b, c = (int(r) for r in rows)
    col = {sid: j for j, sid in enumerate(f.skill_ids.tolist())}

    assert f.skill_levels[a, col[web.id]] == 3 and f.skill_levels[a, col[data.id]] == 1
    assert f.skill_levels[b].sum() == 0
    assert int(f.causes[a]) == (1 << climate.bit) | (1 << housing.bit) and int(f.causes[b]) == 0
    assert f.home_state[a] == state_index("CO") and f.cur_state[c] == -1
    assert f.home_city[a] == placed.volunteer_profile.home_city_key and f.home_city[c] == 0
    assert math.isclose(f.home_lat[a], placed.volunteer_profile.home_lat) and np.isnan(f.cur_lon[c])
    assert f.hours_per_week[a] == 12
    assert f.available_from[a] == epoch_day(start) and f.available_until[a] == epoch_day(until)
    assert f.available_until[b] == OPEN_UNTIL
    assert f.utc_offset[a] in (-7.0, -6.0) and f.utc_offset[b] in (-5.0, -4.0)
    assert bool(f.lead_trained[a]) and not f.lead_trained[b]
    assert not f.paused[a] and f.paused[b] and f.paused[c]  # opted out counts as paused
    assert (f.checkins_on_time[a], f.checkins_due[a], f.projects_completed[a], f.projects_dropped[a],
            f.placements[a]) == (5, 6, 2, 1, 3)
    assert f.ratings_received[a] == 0 and f.rating_points[a] == 0
    assert labels.skills[web.id] == web.name and labels.causes[climate.bit] == climate.name
