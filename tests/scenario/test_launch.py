"""Launch geometry: the plane contains the launch site at lift-off; the event point."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.elements import apsis_altitudes_m, rv_to_elements
from debriscope.scenario import event_geometry, insertion_state, load, plane_from_launch
from debriscope.scenario.launch import launch_time_tt_s, site_teme
from debriscope.scenario.stage import event_record


@pytest.fixture(scope="module")
def flagship():
    return load("sputnik22")


def _plane_normal(inc, raan):
    return np.array([np.sin(raan) * np.sin(inc), -np.cos(raan) * np.sin(inc), np.cos(inc)])


def test_plane_contains_site_at_launch(flagship):
    plane = plane_from_launch(flagship)
    r = site_teme(flagship, launch_time_tt_s(flagship))
    n = _plane_normal(plane.inclination_rad, plane.raan_rad)
    assert abs(n @ r) < 1e-3  # m: the site lies in the plane
    assert np.degrees(plane.inclination_rad) == pytest.approx(64.9)


def test_azimuth_gives_inclination(flagship):
    # Vallado 2013 eq. 6-10: cos i = cos(delta) sin(beta); invert the flagship's azimuth
    plane = plane_from_launch(flagship)
    from dataclasses import replace

    alt = replace(flagship, orbit=replace(flagship.orbit, inclination_deg=None),
                  launch=replace(flagship.launch, azimuth_deg=float(np.degrees(plane.azimuth_rad))))
    plane2 = plane_from_launch(alt)
    assert plane2.inclination_rad == pytest.approx(plane.inclination_rad, abs=1e-9)
    assert plane2.raan_rad == pytest.approx(plane.raan_rad, abs=1e-9)


def test_insertion_is_parking_orbit(flagship):
    start = insertion_state(flagship)
    el = rv_to_elements(start.state_teme[:3], start.state_teme[3:])
    apo, peri = apsis_altitudes_m(el.a_m, el.e)
    assert peri[0] == pytest.approx(180e3, abs=1.0) and apo[0] == pytest.approx(485e3, abs=1.0)
    assert np.degrees(el.i_rad[0]) == pytest.approx(64.9, abs=1e-9)


def test_event_point(flagship):
    geo = event_geometry(flagship)
    # the coast keeps the orbit: the event lies between perigee and apogee, within the latitude band
    assert 150.0 < geo.altitude_km < 520.0
    assert abs(geo.subsatellite_lat_deg) <= 64.9 + 0.2
    assert np.linalg.norm(geo.state_teme[3:]) == pytest.approx(7600, abs=400)


def test_event_record_parents(flagship):
    record = event_record(flagship)
    assert [p["name"] for p in record["parents"]] == ["Blok L", "2MV-4 No.1"]
    assert record["event"]["time_utc"] == "1962-10-24T18:56:11.000Z"
    assert record["frame"] == "TEME"
