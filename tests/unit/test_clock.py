"""One clock (app/clock.py): every rule reads today and now from it, and tests can stop it."""
import re
from datetime import date, datetime
from pathlib import Path

from app import clock
from app.models.base import utcnow

APP = Path(__file__).resolve().parents[2] / "app"
# Reading the system clock anywhere but app/clock.py makes a second notion of "today".
# (time.time() for rate-limit windows and HTTP dates is seconds, not a day, and stays.)
OTHER_CLOCKS = re.compile(r"date\.today\b|datetime\.now\(|datetime\.utcnow\(|datetime\.today\(|func\.current_date|"
                          r"func\.now\(|CURRENT_DATE")


def test_frozen_clock_is_seen_through_every_import():
    moment = datetime(2027, 3, 5, 23, 30)
    with clock.frozen_at(moment):
        assert clock.now() == moment
        assert utcnow() == moment  # the models' timestamps come from the same clock
        assert clock.today() == date(2027, 3, 5)
    assert clock.today() != date(2027, 3, 5)


def test_a_frozen_day_means_its_noon_and_blocks_nest():
    with clock.frozen_at(date(2027, 1, 1)):
        assert clock.now() == datetime(2027, 1, 1, 12, 0)
        with clock.frozen_at(datetime(2027, 2, 2, 8)):
            assert clock.today() == date(2027, 2, 2)
        assert clock.today() == date(2027, 1, 1)


def test_no_module_reads_the_system_clock_but_the_clock():
    offenders = []
    for path in APP.rglob("*.py"):
        if path.name == "clock.py" and path.parent == APP:
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if OTHER_CLOCKS.search(line.split("#")[0]):
                offenders.append(f"{path.relative_to(APP.parent)}:{n}: {line.strip()}")
    assert offenders == []
