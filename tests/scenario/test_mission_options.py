"""The ``[mission]`` and ``[event.burn]`` tables: bad input names its key, value and what is allowed."""

from __future__ import annotations

import pytest

from debriscope.errors import ScenarioError
from debriscope.scenario import load, parse
from debriscope.scenario.load import _read_text

FLAGSHIP = _read_text("sputnik22")[0]


def _mutate(old: str, new: str) -> str:
    assert old in FLAGSHIP, old
    return FLAGSHIP.replace(old, new, 1)


def test_flagship_mission_and_burn():
    sc = load("sputnik22")
    assert sc.mission.target == "mars" and sc.mission.arrival_utc == "1963-06-17T00:00:00Z"
    assert sc.event.burn.ignition_before_event_s == 17.0 and sc.event.burn.applied is False
    assert [o.name for o in sc.mission.other_launches][0] == "Mars 1"


def test_resolved_scenario_round_trips():
    from debriscope.scenario import to_toml

    sc = load("sputnik22")
    assert parse(to_toml(sc)) == sc


@pytest.mark.parametrize(
    ("old", "new", "key", "allowed"),
    [
        ('target = "mars"', 'target = "jupiter"', "mission.target", "allowed: 'mars', 'venus'"),
        ('arrival_utc = "1963-06-17T00:00:00Z"', 'arrival_utc = "1963-06-17"', "mission.arrival_utc", "ending in 'Z'"),
        ("flyby_altitude_km = 11000.0", "flyby_altitude_km = -5.0", "mission.flyby_altitude_km", ">= 0.0"),
        ('window_departure_utc = ["1962-10-01T00:00:00Z", "1962-11-30T00:00:00Z"]',
         'window_departure_utc = ["1962-10-01T00:00:00Z"]', "mission.window_departure_utc", "[first, last]"),
        ('window_arrival_utc = ["1963-03-01T00:00:00Z", "1963-10-31T00:00:00Z"]',
         'window_arrival_utc = ["1963-10-31T00:00:00Z", "1963-03-01T00:00:00Z"]', "mission.window_arrival_utc",
         "must follow the first"),
        ("window_steps = 100", "window_steps = 1", "mission.window_steps", ">= 2"),
        ("window_steps = 100", "window_step = 100", "mission.window_step", "unknown key"),
        ("thrust_n = 69000.0", "thrust_n = 0.0", "event.burn.thrust_n", "> 0.0"),
        ("mass_at_ignition_kg = 5893.5", "mass_at_ignition_kg = 100.0", "event.burn.mass_at_ignition_kg",
         "propellant burnt"),
        ("applied = false", 'applied = "no"', "event.burn.applied", "true or false"),
    ],
)
def test_bad_values_are_named(old, new, key, allowed):
    with pytest.raises(ScenarioError) as info:
        parse(_mutate(old, new))
    assert info.value.key == key
    assert allowed in str(info.value)


def test_mission_needs_a_departure():
    start = FLAGSHIP.index("[event.burn]")
    text = FLAGSHIP[:start] + FLAGSHIP[FLAGSHIP.index("[mission]"):]
    with pytest.raises(ScenarioError) as info:
        parse(text)
    assert info.value.key == "mission.departure_utc"
    text = text.replace('target = "mars"', 'target = "mars"\ndeparture_utc = "1962-10-24T19:00:00Z"')
    assert parse(text).mission.departure_utc == "1962-10-24T19:00:00Z"


def test_dates_outside_the_ephemeris_are_refused_at_load():
    text = _mutate('window_arrival_utc = ["1963-03-01T00:00:00Z", "1963-10-31T00:00:00Z"]',
                   'window_arrival_utc = ["1963-03-01T00:00:00Z", "2060-10-31T00:00:00Z"]')
    with pytest.raises(ScenarioError) as info:
        parse(text)
    assert info.value.key == "mission.window_arrival_utc[1]" and "DE421" in str(info.value)


def test_other_launch_dates_in_order():
    text = _mutate('arrival_utc = "1963-06-19T12:00:00Z"', 'arrival_utc = "1962-10-19T12:00:00Z"')
    with pytest.raises(ScenarioError) as info:
        parse(text)
    assert info.value.key == "mission.other_launches[0].arrival_utc" and "must follow" in str(info.value)


def test_scenario_without_mission_is_refused_by_the_plan():
    from debriscope.mission import mission_plan

    text = FLAGSHIP[: FLAGSHIP.index("[mission]")]
    sc = parse(text)
    assert sc.mission is None
    with pytest.raises(ScenarioError, match="no \\[mission\\] table"):
        mission_plan(sc)
