"""Scenario validation: every class of bad input names its key, value and what is allowed."""

from __future__ import annotations

import re
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


NUMBER_KEYS = [  # (line in the flagship file, its key path)
    ("mass_kg = 893.5", "objects[1].mass_kg"),
    ("perigee_km = 180.0", "orbit.perigee_km"),
    ("time_after_launch_s = 3667.0", "event.time_after_launch_s"),
    ("latitude_deg = 45.920", "launch.latitude_deg"),
]


@pytest.mark.parametrize(("line", "key"), NUMBER_KEYS)
@pytest.mark.parametrize("bad", ["inf", "-inf", "nan", "+inf"])
def test_non_finite_numbers_are_refused(line, key, bad):
    """TOML has inf and nan; no scenario quantity may be non-finite (issue 20: mass_kg = inf passed)."""
    name = line.split(" = ")[0]
    with pytest.raises(ScenarioError, match="finite") as info:
        parse(_mutate(line, f"{name} = {bad}"))
    assert info.value.key == key


@given(st.sampled_from(["inf", "-inf", "nan"]), st.sampled_from(
    ["cd", "max_days", "step_s", "decay_altitude_km", "f107_sfu"]))
def test_non_finite_in_option_tables_is_refused(bad, name):
    extra = "\nap = 15.0" if name == "f107_sfu" else ""
    with pytest.raises(ScenarioError, match="finite") as info:
        parse(FLAGSHIP + f"\n[propagation]\n{name} = {bad}{extra}\n")
    assert info.value.key == f"propagation.{name}"


def test_event_before_insertion_is_refused():
    with pytest.raises(ScenarioError, match="insertion") as info:
        parse(_mutate("time_after_launch_s = 3667.0", "time_after_launch_s = 300.0"))
    assert info.value.key == "event.time_after_launch_s" and "300.0" in str(info.value)


def test_event_time_before_launch_is_refused():
    with pytest.raises(ScenarioError, match="insertion") as info:
        parse(_mutate("time_after_launch_s = 3667.0", 'time_utc = "1962-10-24T12:00:00Z"'))
    assert info.value.key == "event.time_utc"


def test_state_after_the_event_is_refused():
    text = _mutate("time_after_launch_s = 3667.0", 'time_utc = "1962-10-24T18:00:00Z"') + """
[orbit.state]
epoch_utc = "1962-10-24T19:00:00Z"
position_m = [6.6e6, 0.0, 0.0]
velocity_mps = [0.0, 7800.0, 0.0]
"""
    text = re.sub(r"(?m)^(perigee_km|apogee_km|inclination_deg) = .*$", "", text)
    with pytest.raises(ScenarioError, match="orbit.state.epoch_utc") as info:
        parse(text)
    assert info.value.key == "event.time_utc"


def test_span_past_the_space_weather_record_is_refused_up_front():
    """The whole propagated span, not only the event, must lie inside the historical indices."""
    text = FLAGSHIP + "\n[propagation]\nmax_days = 36500.0\n"
    with pytest.raises(ScenarioError, match="past the end of the historical space-weather") as info:
        parse(text)
    assert info.value.key == "propagation.max_days" and "36500" in str(info.value)
    constant = text.replace("max_days = 36500.0", "max_days = 36500.0\nf107_sfu = 150.0\nap = 15.0")
    assert parse(constant).propagation.max_days == 36500.0  # constant indices: no record needed


def test_pre_1960_event_runs_with_the_space_weather_it_has():
    """1957-10-04 onwards: UT1 for the time, and the indices exist (the table starts 1957-10-01,
    with three days of history needed); a month earlier is refused unless indices are given."""
    text = _mutate('time_utc = "1962-10-24T17:55:04Z"', 'time_utc = "1957-11-03T02:30:00Z"')
    text = re.sub(r"(?m)^inclination_deg = .*$", "inclination_deg = 65.1", text)
    assert parse(text).launch.time_utc == "1957-11-03T02:30:00Z"
    early = text.replace("1957-11-03T02:30:00Z", "1957-09-03T02:30:00Z")
    with pytest.raises(ScenarioError, match="space-weather") as info:
        parse(early)
    assert info.value.key == "launch.time_utc"
    parse(early + "\n[propagation]\nf107_sfu = 200.0\nap = 10.0\n")
