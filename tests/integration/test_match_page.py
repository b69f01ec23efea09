"""The match page for a busy staffer: a compact ranking 20 rows at a time, the suggested team pinned
at the top, every component of a candidate on demand (htmx fragment or a full page), the profile one
click away; staff only."""
import re

import pytest

from app.models import MatchRun
from tests.integration.test_recruiting import _start, market  # noqa: F401 -- the fixture


@pytest.fixture
def crowd(make, market):  # noqa: F811
    """The market plus 30 more eligible volunteers, so the ranking has more than one page."""
    react = market["project"].skills[0].skill
    for _ in range(30):
        make.volunteer(city=("Norfolk", "VA"), skills=[(react, 2)])
    return market


def _rows(body):
    return re.findall(r'<tr>\s*<td>(?:<input type="checkbox"|<span class="badge)', body)


def test_the_ranking_is_compact_pages_by_20_and_pins_the_suggested_team(client, db, login, crowd):
    login(crowd["staff"])
    _start(client, crowd["project"])
    run = db.session.scalar(db.select(MatchRun))
    assert run.status == "done" and len(run.candidates) > 30
    url = f"/staff/recruiting/projects/{crowd['project'].id}"
    body = client.get(url).get_data(as_text=True)
    assert len(_rows(body)) == 20
    more = re.search(r'href="([^"]*show=40[^"]*)#candidates">Show (\d+) more', body)
    assert more, "a show-more link"
    shown = len(_rows(client.get(more.group(1).replace("&amp;", "&")).get_data(as_text=True)))
    assert shown == min(40, len(run.candidates)) == 20 + int(more.group(2))
    pinned = body.split('id="suggested-h"', 1)[1].split("</section>", 1)[0]
    assert crowd["star"].name in pinned and "Invite the suggested team" in pinned
    # Three reasons at most per row; the components are not on the page until asked for.
    assert all(len(re.findall("<li>", ul)) <= 3 for ul in re.findall(r'<ul class="reasons">(.*?)</ul>', body))
    assert "<meter class=\"component\"" not in body
    # Filters hide rows but not the pinned team.
    filtered = client.get(url + "?state=WA").get_data(as_text=True)
    assert crowd["star"].name in filtered.split('id="suggested-h"', 1)[1].split("</section>", 1)[0]


def test_a_candidates_components_come_as_a_fragment_or_a_page(client, db, login, market):  # noqa: F811
    login(market["staff"])
    _start(client, market["project"])
    star = market["star"].volunteer_profile
    url = f"/staff/recruiting/projects/{market['project'].id}/candidates/{star.id}"
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    # one bar per ranking component (skills, affinity, availability, reliability, fairness, interest)
    components = len(client.application.config["MATCH_WEIGHTS"])
    assert "<html" not in fragment and fragment.count('<meter class="component"') == components == 6
    assert "Richmond, VA" in fragment
    page = client.get(url).get_data(as_text=True)
    assert "<html" in page and market["star"].name in page and "React" in page and "Track record" in page
    assert client.get(f"/staff/recruiting/projects/{market['project'].id}/candidates/999999").status_code == 404


@pytest.mark.parametrize("role,expected", [(None, 302), ("volunteer", 403), ("campaign", 403), ("staff", 200),
                                           ("admin", 200)])
def test_the_candidate_page_is_staff_only(client, make, login, market, role, expected):  # noqa: F811
    if role:
        login(make.user(role))
    star = market["star"].volunteer_profile
    assert client.get(f"/staff/recruiting/projects/{market['project'].id}/candidates/{star.id}").status_code == expected


def test_a_cached_ranking_still_shows_each_invitation_at_once(app, client, db, login, crowd):
    """The ranking of a finished run is kept per worker (page_cache "match_ranking"); invitations are
    not part of it, so a volunteer just invited shows as invited on the next page, and the filters
    (hide invited, lead-trained only, state) apply to the cached rows as they did to the query."""
    from sqlalchemy import event

    app.config["PAGE_CACHE_SECONDS"] = {"match_ranking": 60}
    login(crowd["staff"])
    _start(client, crowd["project"])
    url = f"/staff/recruiting/projects/{crowd['project'].id}"
    star = crowd["star"].volunteer_profile
    first = client.get(url).get_data(as_text=True)
    assert f'name="volunteer_id" value="{star.id}"' in first
    client.post(f"{url}/invite", data={"volunteer_id": str(star.id)})
    seen = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        again = client.get(url).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert seen and not any("FROM match_candidates" in s for s in seen), "the ranking came from the cache"
    assert f'name="volunteer_id" value="{star.id}"' not in again.split('id="candidates"', 1)[1]
    hidden = client.get(url + "?hide_invited=1").get_data(as_text=True).split('id="candidates"', 1)[1]
    assert crowd["star"].name not in hidden
    leads = client.get(url + "?lead_only=1").get_data(as_text=True).split('id="candidates"', 1)[1]
    assert crowd["star"].name in leads and crowd["good"][0].name not in leads
    assert crowd["star"].name not in client.get(url + "?state=WA").get_data(as_text=True).split(
        'id="candidates"', 1)[1]
