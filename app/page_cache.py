"""A small in-process cache for page data that is the same for every viewer and harmless when a
little stale: the staff overview's counts, the staff health board and a partner's portfolio
(its totals, and its campaigns' requests and projects) (docs/BENCHMARKS.md, "Load").

Why in-process and not Redis: the cached values are a few KB, computing them costs several
aggregate queries, and a Redis round trip plus unpickling would cost about what one of those
queries does. Each gunicorn worker keeps its own copy.

How long, and how it is invalidated:
* every entry lives at most PAGE_CACHE_SECONDS[key] seconds (config; 0 turns the key off);
* any commit in this process that wrote a row of a table an entry reads from drops that entry at
  once (app/writes.py notes the tables written through the session, ORM objects and
  UPDATE/DELETE statements alike), so whoever acts sees the result on their next page in the same
  worker;
* the other workers see it when their copy expires: at most the TTL later.
"""
import threading
import time

from flask import current_app, has_app_context

from app import writes

# The tables each cached value is computed from: a write to any of them drops the value.
SOURCES = {
    "staff_overview": {"projects", "help_requests", "campaigns", "volunteer_profiles", "team_memberships",
                       "lead_applications", "users", "sprints", "checkins"},
    "health_board": {"projects", "campaigns", "sprints", "checkins", "team_memberships", "volunteer_profiles",
                     "users"},
    "portfolio_totals": {"partner_campaigns", "campaigns", "help_requests", "projects", "sprints", "checkins",
                         "checkin_hours", "deliverables", "deliverable_progress", "team_memberships",
                         "volunteer_profiles", "users"},
    "portfolio_details": {"help_requests", "projects", "checkins", "checkin_hours", "deliverables"},
    # The rendered blocks of a page of campaigns: their details and health flags.
    "portfolio_bodies": {"help_requests", "projects", "sprints", "checkins", "checkin_hours", "deliverables",
                         "team_memberships", "volunteer_profiles", "users", "campaigns"},
    # A finished run's ranking is fixed; the names, places and hours shown beside it are not.
    "match_ranking": {"match_runs", "match_candidates", "users", "volunteer_profiles"},
}



class _Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.values = {}  # (key, args) -> (expires_at, value)

    def forget(self, key):
        with self.lock:
            for k in [k for k in self.values if k[0] == key]:
                del self.values[k]


def cached(key, compute, *args):
    """compute(*args), or the value this process computed for (key, args) less than the TTL ago."""
    ttl = current_app.config.get("PAGE_CACHE_SECONDS", {}).get(key, 0)
    store = current_app.extensions.get("page_cache")
    if not ttl or store is None:
        return compute(*args)
    now = time.monotonic()
    hit = store.values.get((key, args))
    if hit is not None and hit[0] > now:
        return hit[1]
    value = compute(*args)
    with store.lock:
        for stale in [k for k, (expires, _v) in store.values.items() if expires <= now]:
            del store.values[stale]  # e.g. yesterday's board: never asked for again
        store.values[(key, args)] = (now + ttl, value)
    return value


def install_page_cache(app):
    """Give the app its store; entries are dropped by the writes app/writes.py notes at each COMMIT."""
    app.extensions["page_cache"] = _Store()
    writes.install()
    writes.on_commit(_forget_written)


def _forget_written(tables):
    if not has_app_context():
        return
    store = current_app.extensions.get("page_cache")
    if store is not None:
        for key, sources in SOURCES.items():
            if sources & tables:
                store.forget(key)
