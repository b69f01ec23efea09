"""Many synthetic volunteers, fast, for benchmarks: `flask seed synthetic --volunteers 100000`.

Rows go in with bulk Core INSERTs in batches (no ORM object per row); ids come back through
INSERT ... RETURNING (SQLite >= 3.35 and PostgreSQL), so the skills and causes rows can point
at their profiles. The shapes follow the demo: personas that decide which skills people have
(skills the menu needs are more common), real US cities weighted by population, a time zone
that matches the current city, 3-15 h/week, ~15% lead-trained, ~5% paused, and about half
newcomers. Everyone else carries a track record as if from earlier seasons (counters only:
no projects are created), so reliability has something to separate.

On PostgreSQL the same rows go through COPY instead (ids drawn from the tables' sequences
first), because psycopg's executemany of hundreds of thousands of small rows is several times
slower than COPY; everywhere else it is `insert(Model.__table__)` with a list of dicts.

Emails are synthetic<k>@example.net with k above the current highest user id, so running the
command again adds new people instead of colliding with the last run.
"""
import secrets
from datetime import timedelta

import numpy as np
import sqlalchemy as sa
from sqlalchemy import func, insert

from app import clock
from app.extensions import db
from app.models import Cause, Skill, TemplateSkill, User, VolunteerProfile, VolunteerSkill, volunteer_causes
from app.models.base import utcnow
from app.models.users import hash_password
from app.places import us_states
from app.seed import demo_text as T

PASSWORD = "barnstorm-demo"  # noqa: S105 -- published demo password; `flask seed` refuses it in production
HOURS = np.array([3, 4, 5, 6, 8, 10, 12, 15])
HOURS_P = np.array([5, 9, 14, 14, 18, 18, 11, 11], dtype=float)
SKILL_COUNTS = np.array([2, 3, 4, 5, 6])
SKILL_COUNTS_P = np.array([0.1, 0.22, 0.33, 0.23, 0.12])
CAUSE_COUNTS = np.array([1, 2, 3, 4])
CAUSE_COUNTS_P = np.array([0.2, 0.35, 0.3, 0.15])


def _cities():
    """US cities over 20,000 people without neighbourhoods, and their draw weights."""
    from app.seed.demo_builder import _towns

    cities = sorted((c for code, _n in us_states() for c in _towns(code, 20_000)), key=lambda c: c.key)
    pop = np.array([c.population for c in cities], dtype=float) ** 0.7
    return cities, pop / pop.sum()


def _skill_table():
    from app.seed.menu import load_menu

    rows = db.session.execute(
        db.select(Skill.id, Skill.category).where(Skill.retired.is_(False)).order_by(Skill.id)
    ).all()
    if not rows:
        load_menu()
        return _skill_table()
    needed = dict(
        db.session.execute(db.select(TemplateSkill.skill_id, func.count()).group_by(TemplateSkill.skill_id)).all()
    )
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    base = np.array([1.0 + 1.5 * needed.get(r[0], 0) for r in rows])
    personas = list(T.PERSONAS)
    # log-probabilities of each skill for each persona
    logp = np.log(np.array([
        [base[j] * T.PERSONAS[p]["categories"].get(rows[j][1], 0.05) for j in range(len(rows))] for p in personas
    ]))
    share = np.array([T.PERSONAS[p]["share"] for p in personas])
    return ids, logp, share / share.sum(), personas


def _top_k_without_replacement(rng, logp, counts):
    """Row i gets counts[i] distinct columns, drawn with probabilities exp(logp) (Gumbel top-k)."""
    keys = logp + rng.gumbel(size=(len(counts), logp.shape[-1]))
    order = np.argsort(-keys, axis=1)
    return [order[i, : counts[i]] for i in range(len(counts))]


def _is_postgres():
    return db.session.get_bind().dialect.name == "postgresql"


def _insert(table, rows, returning_ids=False):
    """Bulk-insert `rows` (dicts with the same keys); with returning_ids, their new ids in order."""
    if not rows:
        return []
    if _is_postgres():
        ids = None
        if returning_ids:
            ids = db.session.execute(
                sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                {"t": table.name, "n": len(rows)},
            ).scalars().all()
        columns = (["id"] if ids else []) + list(rows[0])
        cursor = db.session.connection().connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            if ids:
                for new_id, row in zip(ids, rows):
                    copy.write_row((new_id, *row.values()))
            else:
                for row in rows:
                    copy.write_row(tuple(row.values()))
        return ids or []
    if returning_ids:
        return db.session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
        ).scalars().all()
    db.session.execute(insert(table), rows)
    return []


def create_synthetic_volunteers(n, seed=0, batch=5000):
    """Insert `n` synthetic volunteers (users, profiles, skills, causes); returns how many were created."""
    if n <= 0:
        return 0
    rng = np.random.default_rng(seed)
    skill_ids, skill_logp, persona_p, personas = _skill_table()
    cause_ids = np.array(db.session.scalars(db.select(Cause.id).order_by(Cause.bit)).all(), dtype=np.int64)
    cities, city_p = _cities()
    password_hash = hash_password(PASSWORD)  # once for everyone
    today = clock.today()
    now = utcnow()
    first = db.session.scalar(db.select(func.max(User.id))) or 0
    users_t, profiles_t = User.__table__, VolunteerProfile.__table__
    created = 0
    while created < n:
        m = min(batch, n - created)
        numbers = first + created + 1 + np.arange(m)

        persona = rng.choice(len(personas), size=m, p=persona_p)
        fn = rng.integers(0, len(T.FIRST_NAMES), m)
        ln = rng.integers(0, len(T.LAST_NAMES), m)
        users = [
            {
                "email": f"synthetic{int(k)}@example.net",
                "name": f"{T.FIRST_NAMES[a]} {T.LAST_NAMES[b]}",
                "password_hash": password_hash,
                "role": "volunteer",
                "session_token": secrets.token_urlsafe(32),
                "active": True,
                "created_at": now,
            }
            for k, a, b in zip(numbers, fn, ln)
        ]
        user_ids = _insert(users_t, users, returning_ids=True)

        home = rng.choice(len(cities), size=m, p=city_p)
        moved = rng.random(m) < 0.45
        current = np.where(moved, rng.choice(len(cities), size=m, p=city_p), home)
        hours = rng.choice(HOURS, size=m, p=HOURS_P / HOURS_P.sum())
        from_days = np.where(rng.random(m) < 0.85, -rng.integers(0, 300, m), rng.integers(7, 45, m))
        until_days = np.where(rng.random(m) < 0.6, -1, rng.integers(60, 300, m))
        lead = rng.random(m) < 0.15
        paused = rng.random(m) < 0.05
        veteran = rng.random(m) < 0.5
        completed = np.where(veteran, rng.poisson(1.3, m), 0)
        dropped = np.where(veteran, rng.binomial(1, 0.12, m), 0)
        due = (completed + dropped) * rng.integers(3, 8, m)
        on_time = rng.binomial(due, np.clip(rng.beta(8, 1.5, m), 0, 1))
        led = np.where(lead, rng.binomial(completed, 0.5), 0)
        profiles = []
        for i in range(m):
            h, c = cities[home[i]], cities[current[i]]
            p = T.PERSONAS[personas[persona[i]]]
            profiles.append({
                "user_id": user_ids[i],
                "headline": p["headlines"][i % len(p["headlines"])],
                "bio": "",
                "home_city": h.name, "home_state": h.state, "home_city_key": h.key,
                "home_lat": h.lat, "home_lon": h.lon,
                "current_city": c.name, "current_state": c.state, "current_city_key": c.key,
                "current_lat": c.lat, "current_lon": c.lon,
                "hours_per_week": int(hours[i]),
                "available_from": today + timedelta(days=int(from_days[i])),
                "available_until": None if until_days[i] < 0 else today + timedelta(days=int(until_days[i])),
                "timezone": c.timezone,
                "links": "",
                "lead_trained": bool(lead[i]),
                "lead_trained_on": today - timedelta(days=30 + i % 300) if lead[i] else None,
                "paused": bool(paused[i]),
                "opted_out": False,
                "checkins_due": int(due[i]),
                "checkins_on_time": int(on_time[i]),
                "projects_completed": int(completed[i]),
                "projects_dropped": int(dropped[i]),
                "projects_led": int(led[i]),
                "placements": int(completed[i] + dropped[i]),
                "created_at": now,
                "updated_at": now,
            })
        profile_ids = _insert(profiles_t, profiles, returning_ids=True)

        skill_rows = []
        counts = rng.choice(SKILL_COUNTS, size=m, p=SKILL_COUNTS_P)
        for g in range(len(personas)):
            rows = np.flatnonzero(persona == g)
            if not rows.size:
                continue
            picks = _top_k_without_replacement(rng, skill_logp[g], counts[rows])
            levels = rng.choice(4, size=(rows.size, SKILL_COUNTS.max()), p=[0.2, 0.35, 0.3, 0.15]) + 1
            for r, cols, lv in zip(rows, picks, levels):
                pid = profile_ids[r]
                skill_rows.extend(
                    {"volunteer_id": pid, "skill_id": int(skill_ids[c]), "level": int(level)}
                    for c, level in zip(cols, lv)
                )
        _insert(VolunteerSkill.__table__, skill_rows)

        if cause_ids.size:
            cause_counts = np.minimum(rng.choice(CAUSE_COUNTS, size=m, p=CAUSE_COUNTS_P), cause_ids.size)
            picks = _top_k_without_replacement(rng, np.zeros(cause_ids.size), cause_counts)
            _insert(
                volunteer_causes,
                [{"volunteer_id": profile_ids[i], "cause_id": int(cause_ids[c])} for i in range(m) for c in picks[i]],
            )
        db.session.commit()
        created += m
    return created
