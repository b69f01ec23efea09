"""Wording the pages share: plurals, thousands, team sizes, a phase's last day."""
from datetime import date
from decimal import Decimal


def test_the_wording_filters(app):
    f = app.jinja_env.filters
    assert f["counted"](1, "week") == "1 week" and f["counted"](6, "week") == "6 weeks"
    assert f["counted"](5000, "volunteer") == "5,000 volunteers" and f["counted"](2, "person", "people") == "2 people"
    assert f["number"](5000) == "5,000" and f["number"](4.5) == "4.5" and f["number"](6.0) == "6"
    assert f["number"](Decimal("4.5")) == "4.5" and f["number"](0.25) == "0.25" and f["number"](1e6) == "1,000,000"
    assert f["size_range"](3, 3) == "3" and f["size_range"](3, 5) == "3-5"
    # A 1-week phase from Dec 2 has end_date Dec 9 (exclusive): its last sprint ends Dec 8.
    assert f["last_day"](date(2026, 12, 9)) == "Dec 8, 2026"
    assert app.jinja_env.from_string("{{ [1, 2]|count }}").render() == "2"  # Jinja's own count untouched
