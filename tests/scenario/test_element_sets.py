"""Scenarios that start from the parent's element set: [orbit.tle] and [orbit.omm] through SGP4."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sgp4.api import WGS72, Satrec, jday
from sgp4.exporter import export_omm, export_tle

from debriscope.errors import ScenarioError
from debriscope.scenario import event_geometry, load, parse, to_toml
from debriscope.scenario.element_sets import tle_satrec
from debriscope.scenario.stage import event_record

# Vanguard 1 (00005), the first case of the SGP4 verification set (Vallado, Crawford, Hujsak &
# Kelso 2006, "Revisiting Spacetrack Report #3", AIAA 2006-6753, SGP4-VER.TLE and its output
# tcppver.out): at tsince = 0 r = (7022.46529266, -1400.08296755, 0.03995155) km,
# v = (1.893841015, 6.405893759, 4.534807250) km/s (TEME).
VANGUARD_L1 = "1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753"
VANGUARD_L2 = "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667"
VANGUARD_EPOCH_UTC = "2000-06-27T18:50:19.733568Z"  # day 179.78495062 of 2000
VANGUARD_R_KM = (7022.46529266, -1400.08296755, 0.03995155)
VANGUARD_V_KMPS = (1.893841015, 6.405893759, 4.534807250)
EPOCH_TIME_TOL_M = 0.05
"""The epoch goes UTC -> TT -> UTC Julian date (microseconds): 7 km/s x ~1 us, plus the
verification file's 8 printed decimals."""

BODY = """
name = "{name}"
seed = 7

[[objects]]
name = "Parent"
object_class = "rocket_body"
mass_kg = 300.0
area_m2 = 2.0

[event]
kind = "explosion"
time_utc = "{event}"
"""


def _scenario(orbit: str, event: str = VANGUARD_EPOCH_UTC, name: str = "vanguard_test") -> str:
    return BODY.format(name=name, event=event) + orbit


TLE_ORBIT = f'\n[orbit.tle]\nline1 = "{VANGUARD_L1}"\nline2 = "{VANGUARD_L2}"\n'


def test_tle_at_its_epoch_gives_the_published_sgp4_state():
    geometry = event_geometry(parse(_scenario(TLE_ORBIT)))
    assert np.allclose(geometry.state_teme[:3], np.array(VANGUARD_R_KM) * 1e3, rtol=0, atol=EPOCH_TIME_TOL_M)
    assert np.allclose(geometry.state_teme[3:], np.array(VANGUARD_V_KMPS) * 1e3, rtol=0, atol=1e-4)


def test_tle_is_propagated_to_the_event_with_sgp4():
    geometry = event_geometry(parse(_scenario(TLE_ORBIT, event="2000-06-28T06:00:00Z")))
    sat = Satrec.twoline2rv(VANGUARD_L1, VANGUARD_L2, WGS72)  # independent: sgp4's own UTC date
    error, r, v = sat.sgp4(*jday(2000, 6, 28, 6, 0, 0.0))
    assert error == 0
    assert np.allclose(geometry.state_teme, np.array([*r, *v]) * 1e3, rtol=0, atol=1e-3)
    record = event_record(parse(_scenario(TLE_ORBIT, event="2000-06-28T06:00:00Z")))
    assert "launch" not in record and record["insertion"]["time_utc"] == "2000-06-27T18:50:19.734Z"


def _omm_fields() -> dict:
    return export_omm(Satrec.twoline2rv(VANGUARD_L1, VANGUARD_L2, WGS72), "VANGUARD 1")


def test_omm_file_kvn_and_inline_match_the_tle(tmp_path):
    fields = _omm_fields()
    kvn = "CCSDS_OMM_VERS = 2.0\nCREATION_DATE = 2000-06-28T00:00:00\nORIGINATOR = TEST\n" + "".join(
        f"{k} = {v}\n" for k, v in fields.items())
    (tmp_path / "parent.omm").write_text(kvn, encoding="utf-8")
    (tmp_path / "event.toml").write_text(_scenario('\n[orbit.omm]\nfile = "parent.omm"\n'), encoding="utf-8")
    from_file = load(tmp_path / "event.toml")
    assert from_file.orbit.omm.file is None and from_file.orbit.omm.norad_cat_id == 5
    assert parse(to_toml(from_file)) == from_file  # the resolved scenario holds the values, not the path
    inline = parse(_scenario(f"""
[orbit.omm]
epoch_utc = "{fields['EPOCH']}Z"
mean_motion_rev_day = {fields['MEAN_MOTION']!r}
eccentricity = {fields['ECCENTRICITY']!r}
inclination_deg = {fields['INCLINATION']!r}
raan_deg = {fields['RA_OF_ASC_NODE']!r}
arg_perigee_deg = {fields['ARG_OF_PERICENTER']!r}
mean_anomaly_deg = {fields['MEAN_ANOMALY']!r}
bstar_per_er = {fields['BSTAR']!r}
"""))
    tle = event_geometry(parse(_scenario(TLE_ORBIT)))
    for scenario in (from_file, inline):
        assert np.allclose(event_geometry(scenario).state_teme, tle.state_teme, rtol=0, atol=1e-6)


@pytest.mark.parametrize(
    ("orbit", "key", "message"),
    [
        (TLE_ORBIT.replace("4753", "4754"), "orbit.tle.line1", "checksum"),
        (TLE_ORBIT.replace(VANGUARD_L2, VANGUARD_L2[:40]), "orbit.tle.line2", "69-character"),
        (TLE_ORBIT + "\n[orbit.state]\nepoch_utc = \"2000-06-27T00:00:00Z\"\nposition_m = [7e6, 0, 0]\n"
         "velocity_mps = [0, 7500, 0]\n", "orbit.tle", "one start"),
        (TLE_ORBIT.replace("[orbit.tle]", "[orbit]\nperigee_km = 600.0\n[orbit.tle]"), "orbit.perigee_km",
         "not used"),
        ('\n[orbit.omm]\nepoch_utc = "2000-06-27T00:00:00Z"\n', "orbit.omm.mean_motion_rev_day", "required"),
        ('\n[orbit.omm]\nfile = "no-such.omm"\n', "orbit.omm.file", "no such file"),
    ],
)
def test_bad_element_sets_name_the_key(orbit, key, message):
    with pytest.raises(ScenarioError, match=message) as info:
        parse(_scenario(orbit))
    assert info.value.key == key


def test_omm_in_another_frame_is_refused(tmp_path):
    fields = {**_omm_fields(), "REF_FRAME": "GCRF"}
    (tmp_path / "p.omm").write_text("CCSDS_OMM_VERS = 2.0\n" + "".join(f"{k} = {v}\n" for k, v in fields.items()),
                                    encoding="utf-8")
    with pytest.raises(ScenarioError, match="has REF_FRAME = TEME") as info:
        parse(_scenario('\n[orbit.omm]\nfile = "p.omm"\n'), base_dir=tmp_path)
    assert info.value.key == "orbit.omm.file"


def test_sgp4_failure_before_the_event_is_refused_up_front():
    """A low orbit with a large B* decays in SGP4 (error 6) long before an event years later."""
    sat = Satrec()
    sat.sgp4init(WGS72, "i", 99001, 20718.5, 0.5, 0.0, 0.0, 0.001, 0.0, 0.9, 0.0, 0.0675, 0.0)
    l1, l2 = export_tle(sat)
    with pytest.raises(ScenarioError, match="SGP4 fails") as info:
        parse(_scenario(f'\n[orbit.tle]\nline1 = "{l1}"\nline2 = "{l2}"\n', event="2009-09-21T06:00:00Z"))
    assert info.value.key == "orbit.tle"


@given(st.integers(2, 67), st.integers(1, 9))
def test_any_changed_digit_fails_the_checksum(column, shift):
    """Property: changing one digit of a line (columns 3-68) changes its modulo-10 checksum."""
    line = VANGUARD_L1
    if not line[column].isdigit():
        return
    changed = line[:column] + str((int(line[column]) + shift) % 10) + line[column + 1:]
    with pytest.raises(ScenarioError, match="checksum"):
        tle_satrec(changed, VANGUARD_L2, "orbit.tle")


@settings(max_examples=30)
@given(st.floats(0.0, 0.2), st.floats(0.0, 180.0), st.floats(0.0, 359.9), st.floats(0.0, 359.9),
       st.floats(12.0, 16.0))
def test_exported_element_sets_read_back(ecc, inc, raan, argp, revs_per_day):
    """Property: an element set written by sgp4's exporter reads back to the same SGP4 state
    (orbits whose perigee clears 150 km; lower ones SGP4 itself refuses as decayed)."""
    a_km = (398600.8 / (revs_per_day * 2 * np.pi / 86400.0) ** 2) ** (1 / 3)  # WGS-72 mu
    assume(a_km * (1 - ecc) > 6378.135 + 150.0)
    sat = Satrec()
    sat.sgp4init(WGS72, "i", 99002, 21000.25, 1e-4, 0.0, 0.0, ecc, np.radians(argp), np.radians(inc), 1.0,
                 revs_per_day * 2 * np.pi / 1440.0, np.radians(raan))
    line1, line2 = export_tle(sat)
    back = tle_satrec(line1, line2, "orbit.tle")
    reference = Satrec.twoline2rv(line1, line2, WGS72)
    assert back.error == 0
    assert back.sgp4(back.jdsatepoch, back.jdsatepochF) == reference.sgp4(reference.jdsatepoch,
                                                                         reference.jdsatepochF)
