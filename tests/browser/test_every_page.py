"""Every main page, for every role, on a phone (390x844, mobile emulation) and at 1280 px:
no horizontal overflow, and no serious or critical axe-core violation (WCAG 2.2 AA rules).
Screenshots of every page land in tests/artifacts/pages/ (JPEG)."""
import json
import os
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from app.extensions import db as _db
from tests.browser.every_page import ROLES, SIZES, build_site, log_in
from tests.conftest import ARTIFACTS, LiveServer, _empty_tables, _make_app

# One xdist group: one demo site, and each (role, size) visited once for both tests (`visits`).
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("every_page")]
SHOTS = os.path.join(ARTIFACTS, "pages")
AXE = os.path.join(os.path.dirname(__file__), "..", ".node", "node_modules", "axe-core", "axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# How far the page's content reaches past the viewport's layout width. clientWidth, not innerWidth:
# under mobile emulation Chromium widens innerWidth to fit content that is too wide.
OVERFLOW_JS = """() => {
  const doc = document.documentElement, width = doc.clientWidth;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1 && getComputedStyle(el).position !== 'fixed') {
      let p = el.parentElement, clipped = false;
      for (; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
      }
      if (!clipped) culprits.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')
                                  + ' ' + Math.round(r.right - width) + 'px');
    }
  }
  return {overflow: doc.scrollWidth - width, culprits: culprits.slice(-5)};
}"""


@pytest.fixture(scope="module")
def site(_schema, tmp_path_factory):
    app = _make_app(_schema, tmp_path_factory.mktemp("every-page"))
    with app.app_context():
        roles = build_site()
        server = LiveServer(app).start()
        yield server, roles
        server.stop()
        _db.session.remove()
        _empty_tables()
        _db.session.remove()
        _db.engine.dispose()


@dataclass
class Visit:
    """What one pass over a role's pages at one size found, for both tests below."""
    too_wide: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    failure: BaseException = None


@pytest.fixture(scope="module")
def visits():
    """{(role, size): Visit}: each role's pages are loaded once per size and both checks run on that load.

    Loading, logging in and the full-page screenshot cost most of this module's time; the checks
    themselves are cheap. The module is one xdist group, so both tests of a (role, size) find the
    same visit on their worker."""
    return {}


def _visited(browser, site, visits, role, size):
    server, roles = site
    if role not in roles:
        pytest.skip(f"the demo has no {role}")
    if (role, size) not in visits:
        visit = Visit()
        try:
            _check_pages(browser, server, roles, role, size, visit)
        except BaseException as error:  # kept, and raised again by each test that needs this visit
            visit.failure = error
        visits[(role, size)] = visit
    visit = visits[(role, size)]
    if visit.failure is not None:
        raise visit.failure
    return visit


def _check_pages(browser, server, roles, role, size, visit):
    """Open each of the role's pages, logged in, at the given size: overflow, screenshot, then axe."""
    if not os.path.exists(AXE):
        pytest.fail("axe-core is not installed; run the suite through `make test` (tests/run.sh installs it).")
    with open(AXE, encoding="utf-8") as fh:
        axe_source = fh.read()
    os.makedirs(SHOTS, exist_ok=True)
    context = browser.new_context(base_url=server.url, **SIZES[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda msg: visit.console_errors.append(msg.text) if msg.type == "error" else None)
    try:
        log_in(page, roles[role].email)
        for index, (name, path) in enumerate(roles[role].pages):
            response = page.goto(path)
            assert response.status == 200, f"{role} {path}: {response.status}"
            page.wait_for_load_state("load")
            found = page.evaluate(OVERFLOW_JS)
            if found["overflow"] > 0:
                visit.too_wide.append(f"{path}: {found['overflow']} px too wide ({', '.join(found['culprits'])})")
            # JPEG at CSS pixels: a tenth of a full-resolution PNG's encoding time, still readable.
            page.screenshot(path=os.path.join(SHOTS, f"{role}-{name}-{size}.jpg"), full_page=True,
                            type="jpeg", quality=70, scale="css")
            # evaluate() runs outside the page's CSP (script-src 'self'), which would refuse a <script> tag.
            page.evaluate(axe_source)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                AXE_TAGS,
            )
            for v in result["violations"]:
                if v["impact"] in ("serious", "critical"):
                    targets = [json.dumps(n["target"]) for n in v["nodes"][:3]]
                    visit.violations.append(
                        f"{path}: {v['id']} ({v['impact']}) x{len(v['nodes'])}: {', '.join(targets)}")
            if size == "phone" and index == 0:
                # The folded menu, opened from the keyboard, fits too (after axe: it changes the page).
                page.locator(".site-menu > summary").focus()
                page.keyboard.press("Enter")
                expect(page.locator(".site-menu nav, .site-menu ul").first).to_be_visible()
                page.screenshot(path=os.path.join(SHOTS, f"{role}-menu-open-{size}.jpg"), type="jpeg", quality=70,
                                scale="css")
                found = page.evaluate(OVERFLOW_JS)
                if found["overflow"] > 0:
                    visit.too_wide.append(f"{path} (menu open): {found['overflow']} px too wide")
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ROLES)
def test_no_page_is_wider_than_the_screen(browser, site, visits, role, size):
    visit = _visited(browser, site, visits, role, size)
    assert not visit.too_wide, "\n".join(visit.too_wide)
    # A CSP violation or a JS error is a bug the user would see.
    assert not visit.console_errors, f"browser console errors: {visit.console_errors}"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ROLES)
def test_no_serious_accessibility_violation(browser, site, visits, role, size):
    visit = _visited(browser, site, visits, role, size)
    assert not visit.violations, "\n".join(visit.violations)
    assert not visit.console_errors, f"browser console errors: {visit.console_errors}"
