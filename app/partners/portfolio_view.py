"""The portfolio page's campaign blocks (requests and projects), rendered once per worker.

They show the page's details and health flags (app/partners/portfolio.py), which are themselves
kept a minute per worker; rendering twenty blocks of tables was most of the page's remaining
cost, so the HTML is kept beside them (page_cache "portfolio_bodies", same sources and TTL).
The header of each block, with the campaign's tier and its priority form, is rendered each time.
"""
from flask import get_template_attribute

from app.page_cache import cached
from app.partners.services import TIER_LABELS
from app.templating import options_html


def bodies(rows):
    """{campaign id: the HTML of its requests and projects} for the page's rows."""
    return cached("portfolio_bodies", lambda _ids: _render(rows), tuple(r["campaign"].id for r in rows))


def _render(rows):
    body = get_template_attribute("partners/_campaign_body.html", "body")
    return {row["campaign"].id: body(row) for row in rows}


def tier_options(selected):
    """The <option>s of the priority select, `selected` marked."""
    return options_html(tuple(TIER_LABELS.items()), selected)
