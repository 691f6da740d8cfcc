"""Scenario validation: every class of bad input names its key, value and what is allowed."""

from __future__ import annotations

import re
import tomllib

import pytest

from debriscope.errors import ScenarioError
from debriscope.scenario import load, parse, shipped_scenarios, to_toml
from debriscope.scenario.load import _read_text

FLAGSHIP = _read_text("sputnik22")[0]


def _mutate(old: str, new: str) -> str:
    assert old in FLAGSHIP, old
    return FLAGSHIP.replace(old, new, 1)


def test_flagship_loads_with_sources_on_every_number():
    sc = load("sputnik22")
    assert sc.launch.time_utc == "1962-10-24T17:55:04Z"
    assert (sc.orbit.perigee_km, sc.orbit.apogee_km, sc.orbit.inclination_deg) == (180.0, 485.0, 64.9)
    assert {o.name: o.mass_kg for o in sc.objects}["2MV-4 No.1"] == 893.5
    # every assignment of a number in the shipped file carries a source or "estimate" comment,
    # on its line or in the comment block just above it
    lines = FLAGSHIP.splitlines()
    for k, line in enumerate(lines):
        if re.match(r"^\w+ = [-\d.]+", line) and not line.startswith("seed"):
            context = "\n".join(lines[max(0, k - 6) : k + 1])
            assert "#" in context and re.search(r"\[(McD|NSSDC|SSE|TSR|WP|NASA|S1\.5400|DEM)|estimate", context), line


def test_shipped_list():
    assert "sputnik22" in shipped_scenarios()


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('mass_kg = 893.5', 'mass_kg = -5.0', "objects[1].mass_kg"),
        ('perigee_km = 180.0', 'perigee_km = 90.0', "orbit.perigee_km"),
        ('perigee_km = 180.0', 'perigee_km = 600.0', "orbit.perigee_km"),
        ('inclination_deg = 64.9', 'inclination_deg = 190.0', "orbit.inclination_deg"),
        ('inclination_deg = 64.9', 'inclination_deg = 30.0', "orbit.inclination_deg"),
        ('seed = 1962', 'seed = 1962\ncolour = "red"', "colour"),
        ('mass_kg = 893.5', 'mass_kg = "heavy"', "objects[1].mass_kg"),
        ('object_class = "spacecraft"', 'object_class = "asteroid"', "objects[1].object_class"),
        ('kind = "explosion"', 'kind = "implosion"', "event.kind"),
        ('kind = "explosion"', 'kind = "collision"', "event.impactor"),
        ('time_utc = "1962-10-24T17:55:04Z"', 'time_utc = "1957-01-01T00:00:00Z"', "launch.time_utc"),
        ('time_utc = "1962-10-24T17:55:04Z"', 'time_utc = "24 Oct 1962"', "launch.time_utc"),
        ('time_utc = "1962-10-24T17:55:04Z"', 'time_utc = 1962-10-24T17:55:04Z', "launch.time_utc"),
        ('[launch]', '[launch]\nazimuth_deg = 40.0', "orbit.inclination_deg"),
    ],
)
def test_bad_input_names_the_key(old, new, key):
    with pytest.raises(ScenarioError) as info:
        parse(_mutate(old, new))
    assert info.value.key == key
    assert key in str(info.value)


def test_not_toml():
    with pytest.raises(ScenarioError, match="not valid TOML"):
        parse("name = ")


def test_unknown_scenario_name():
    with pytest.raises(ScenarioError, match="shipped"):
        load("no-such-event")


def test_resolved_round_trip():
    sc = load("sputnik22")
    text = to_toml(sc)
    assert parse(text) == sc
    assert tomllib.loads(text)["breakup"]["lc_min_m"] == sc.breakup.lc_min_m


def test_seed_override():
    assert load("sputnik22", seed=7).seed == 7
    with pytest.raises(ScenarioError, match="seed"):
        load("sputnik22", seed=-1)
