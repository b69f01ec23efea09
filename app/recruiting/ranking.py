"""The match page's ranking, kept per worker: a finished run's rows never change.

Each gunicorn worker keeps a run's rows PAGE_CACHE_SECONDS["match_ranking"] (app/page_cache.py),
with the cells of each row that depend on the run and the volunteer alone (rank, name, badges,
place, score, reasons, hours) rendered once: a page of 20 rows then costs 20 string joins instead
of some 500 template interpolations. Only the names, places and hours can be that much older than
the database, and a write in the same worker drops them at once. Invitations and the team are read
fresh on every request and decide each row's first cell (app/recruiting/page.page_rows).
"""
from flask import get_template_attribute

from app.page_cache import cached
from app.recruiting.page import ranking_rows


def ranking(run):
    """[(candidate, name, email, profile, cells)] of a finished run, best first."""
    return cached("match_ranking", _rows, run.id, run.project_id)


def _rows(run_id, project_id):
    cells = get_template_attribute("recruiting/_ranking_cells.html", "cells")
    return [(c, name, email, p, cells(c, name, p, project_id)) for c, name, email, p in ranking_rows(run_id, project_id)]
