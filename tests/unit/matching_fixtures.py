"""Hand-built inputs for the matching unit tests (plain functions, no Flask, no conftest)."""
import math

from app.matching import Labels, ProjectNeeds, VolunteerFeatures, epoch_day
import datetime as dt

DAY0 = epoch_day(dt.date(2026, 12, 1))       # project start
RICHMOND = (37.5407, -77.4360)
WASHINGTON = (38.9072, -77.0369)
LOS_ANGELES = (34.0522, -118.2437)
RICHMOND_KEY, NORFOLK_KEY, LA_KEY = 4781708, 4776222, 5368361
VA, CA = 45, 4
REACT, PYTHON, DESIGN = 10, 20, 30
VOTING, CLIMATE, HOUSING = 0, 1, 6

LABELS = Labels(
    cities={RICHMOND_KEY: "Richmond, VA", NORFOLK_KEY: "Norfolk, VA", LA_KEY: "Los Angeles, CA"},
    skills={REACT: "React", PYTHON: "Python", DESIGN: "Graphic design"},
    causes={VOTING: "Voting rights", CLIMATE: "Climate", HOUSING: "Housing"},
    states={VA: "VA", CA: "CA"},
)


def features(*rows, skill_ids=(REACT, PYTHON, DESIGN)):
    """VolunteerFeatures from dicts; every volunteer defaults to 10 free h/week."""
    full = []
    for r in rows:
        r = dict(r)
        r.setdefault("hours_per_week", 10.0)
        full.append(r)
    return VolunteerFeatures.from_rows(full, skill_ids=list(skill_ids))


def project(**kw):
    """A Richmond project needing React (advanced), 6 h/week for 4 weeks, causes voting + climate."""
    base = dict(
        project_id=1, needs=[(REACT, 3, 1.0)], hours_per_week=6.0,
        start_day=DAY0, end_day=DAY0 + 27,
        city=RICHMOND_KEY, state=VA, lat=RICHMOND[0], lon=RICHMOND[1],
        causes=(1 << VOTING) | (1 << CLIMATE), utc_offset=-5.0, team_min=3, team_max=5,
    )
    base.update(kw)
    return ProjectNeeds(**base)


def nowhere(**kw):
    """Row kwargs for a volunteer with no location at all."""
    return dict(home_lat=math.nan, home_lon=math.nan, cur_lat=math.nan, cur_lon=math.nan, **kw)


def components(f, p, params=None):
    """The five component arrays for every row of `f` (float32), via the production kernels."""
    import numpy as np

    from app.matching.components import compute_components, prepare
    from app.matching.weights import DEFAULT_PARAMS

    return compute_components(f, prepare(f, p, params or DEFAULT_PARAMS), np.arange(len(f)))
