"""Every main page, for every role, on a phone (390x844, mobile emulation) and at 1280 px:
no horizontal overflow, and no serious or critical axe-core violation (WCAG 2.2 AA rules).
Screenshots of every page land in tests/artifacts/pages/."""
import json
import os

import pytest
from playwright.sync_api import expect

from app.extensions import db as _db
from tests.browser.every_page import ROLES, SIZES, build_site, log_in
from tests.conftest import ARTIFACTS, LiveServer, _empty_tables, _make_app

pytestmark = pytest.mark.browser
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


def _visit(browser, site, role, size):
    """Yield (name, page) for each of the role's pages, logged in, at the given size."""
    server, roles = site
    if role not in roles:
        pytest.skip(f"the demo has no {role}")
    context = browser.new_context(base_url=server.url, **SIZES[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        log_in(page, roles[role].email)
        for name, path in roles[role].pages:
            response = page.goto(path)
            assert response.status == 200, f"{role} {path}: {response.status}"
            page.wait_for_load_state("load")
            yield name, path, page
        assert not errors, f"browser console errors: {errors}"
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ROLES)
def test_no_page_is_wider_than_the_screen(browser, site, role, size):
    os.makedirs(SHOTS, exist_ok=True)
    roles_first = {r: site[1][r].pages[0][0] for r in site[1]}
    too_wide = []
    for name, path, page in _visit(browser, site, role, size):
        page.screenshot(path=os.path.join(SHOTS, f"{role}-{name}-{size}.png"), full_page=True)
        found = page.evaluate(OVERFLOW_JS)
        if found["overflow"] > 0:
            too_wide.append(f"{path}: {found['overflow']} px too wide ({', '.join(found['culprits'])})")
        if size == "phone" and name == roles_first[role]:
            # The folded menu, opened from the keyboard, fits too.
            page.locator(".site-menu > summary").focus()
            page.keyboard.press("Enter")
            expect(page.locator(".site-menu nav, .site-menu ul").first).to_be_visible()
            page.screenshot(path=os.path.join(SHOTS, f"{role}-menu-open-{size}.png"))
            found = page.evaluate(OVERFLOW_JS)
            if found["overflow"] > 0:
                too_wide.append(f"{path} (menu open): {found['overflow']} px too wide")
    assert not too_wide, "\n".join(too_wide)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ROLES)
def test_no_serious_accessibility_violation(browser, site, role, size):
    if not os.path.exists(AXE):
        pytest.fail("axe-core is not installed; run the suite through `make test` (tests/run.sh installs it).")
    with open(AXE, encoding="utf-8") as fh:
        axe_source = fh.read()
    found = []
    for name, path, page in _visit(browser, site, role, size):
        # evaluate() runs outside the page's CSP (script-src 'self'), which would refuse a <script> tag.
        page.evaluate(axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        for v in result["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = [json.dumps(n["target"]) for n in v["nodes"][:3]]
                found.append(f"{path}: {v['id']} ({v['impact']}) x{len(v['nodes'])}: {', '.join(targets)}")
    assert not found, "\n".join(found)
