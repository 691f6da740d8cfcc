"""Geometry behind the maps: the parking-orbit ground track, detection sub-points, fan lines, projection."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.frames import enu_matrix, geodetic_to_ecef
from debriscope.report.coverage import fan_ground_line, polar_map_xy, topocentric_to_geodetic
from debriscope.report.gabbard import choose_snapshots, parent_points
from debriscope.report.sites import Sector, SiteGeometry

CLEAR = SiteGeometry("clear", "Clear", 64.2906, -149.1869, 170.0, (Sector("fan_low", 290.0, 50.0, 3.5, 4828.0),))


def _parking_state():
    """180 x 485 km, 64.9 deg (NASA NSSDC 1962-057A), at perigee."""
    a, e = apsides_to_a_e(180e3, 485e3)
    r, v = elements_to_rv(a, e, np.radians(64.9), np.radians(336.0), np.radians(40.0), 0.0)
    return r[:, 0], v[:, 0]


def test_sites_come_from_the_sensors_file(synthetic_run):
    """The report draws the radars the sensors stage wrote to radars.json, grouped by site, and no
    site without that file (it does not rebuild the network from the scenario)."""
    import json

    from debriscope.report.sites import sites_from_sensor_file
    from debriscope.sensors.network import shipped_network

    document = json.loads((synthetic_run / "radars.json").read_text())
    sites = sites_from_sensor_file(document)
    assert [s.name for s in sites] == ["clear", "thule"]
    clear = shipped_network()["clear"]
    assert sites[0].radar_names == tuple(r.name for r in clear)
    assert (sites[0].lat_deg, sites[0].lon_deg) == (clear[0].latitude_deg, clear[0].longitude_deg)
    only_thule = {"radars": [r for r in document["radars"] if r["site"] == "thule"], "fences": [], "cameras": []}
    assert [s.name for s in sites_from_sensor_file(only_thule)] == ["thule"]
    assert sites_from_sensor_file(None) == []


@settings(max_examples=40, deadline=None)
@given(
    rng_km=st.floats(100.0, 4000.0),
    az=st.floats(0.0, 360.0, exclude_max=True),
    el=st.floats(0.0, 89.0),
)
def test_detection_subpoint_inverts_the_look_angles(rng_km, az, el):
    """Independent inverse: from the point's ECEF, range/azimuth/elevation in the site's ENU frame."""
    lat, lon, h = topocentric_to_geodetic(CLEAR, rng_km * 1e3, az, el)
    site = geodetic_to_ecef(np.radians(CLEAR.lat_deg), np.radians(CLEAR.lon_deg), CLEAR.height_m)
    point = geodetic_to_ecef(np.radians(lat[0]), np.radians(lon[0]), h[0])
    enu = enu_matrix(np.radians(CLEAR.lat_deg), np.radians(CLEAR.lon_deg)) @ (point - site)
    assert np.linalg.norm(enu) == pytest.approx(rng_km * 1e3, abs=1e-3)
    assert np.degrees(np.arcsin(enu[2] / np.linalg.norm(enu))) == pytest.approx(el, abs=1e-7)
    if el < 89.0:
        az_back = np.degrees(np.arctan2(enu[0], enu[1])) % 360.0
        assert (az_back - az + 180.0) % 360.0 - 180.0 == pytest.approx(0.0, abs=1e-6)


def test_fan_line_lies_on_the_altitude_shell():
    """Independent check: march along each beam direction (bisection on the radius) to the 300 km shell."""
    lat, lon = fan_ground_line(CLEAR, CLEAR.sectors[0], 300.0, n=7)
    site = geodetic_to_ecef(np.radians(CLEAR.lat_deg), np.radians(CLEAR.lon_deg), CLEAR.height_m)
    r_shell = np.linalg.norm(site) + 300e3
    east_north_up = enu_matrix(np.radians(CLEAR.lat_deg), np.radians(CLEAR.lon_deg))
    for k, az in enumerate(290.0 + np.linspace(0.0, 120.0, 7)):
        a, e = np.radians(az), np.radians(3.5)
        d = east_north_up.T @ np.array([np.cos(e) * np.sin(a), np.cos(e) * np.cos(a), np.sin(e)])
        lo, hi = 0.0, 5e6
        for _ in range(80):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if np.linalg.norm(site + mid * d) < r_shell else (lo, mid)
        point = site + lo * d
        lat_ref = np.degrees(np.arctan2(point[2], np.hypot(point[0], point[1])))  # geocentric latitude
        sub = geodetic_to_ecef(np.radians(lat[k]), np.radians(lon[k]), 0.0)
        lat_sub = np.degrees(np.arctan2(sub[2], np.hypot(sub[0], sub[1])))
        assert np.degrees(np.arctan2(point[1], point[0])) == pytest.approx(lon[k], abs=1e-6)
        # the sub-point is along the geodetic normal, not the radius: they differ by < 0.2 deg here
        assert lat_sub == pytest.approx(lat_ref, abs=0.2)
        # a 300 km shell seen at 3.5 deg elevation lies some 1,500-1,700 km away
        assert 1.4e6 < lo < 1.8e6


def test_fan_line_cut_at_the_sector_range():
    short = SiteGeometry("s", "s", 0.0, 0.0, 0.0, (Sector("fan_low", 0.0, 90.0, 3.5, 500.0),))
    lat, lon = fan_ground_line(short, short.sectors[0], 1000.0)
    r = geodetic_to_ecef(np.radians(lat), np.radians(lon), 0.0)
    arc_m = np.arccos(np.clip(r[0] / np.linalg.norm(r, axis=0), -1, 1)) * 6378137.0
    assert np.all(arc_m < 500e3)


def test_polar_projection():
    x, y = polar_map_xy(np.array([90.0, 80.0, 80.0, 60.0]), np.array([0.0, 90.0, 0.0, 180.0]))
    assert np.allclose(x, [0.0, 10.0, 0.0, 0.0], atol=1e-12)
    assert np.allclose(y, [0.0, 0.0, -10.0, 30.0], atol=1e-12)
    xs, ys = polar_map_xy(np.array([-80.0]), np.array([90.0]), north=False)
    assert np.allclose([xs[0], ys[0]], [10.0, 0.0], atol=1e-12)


def test_parent_point_is_the_recorded_parking_orbit():
    """180 x 485 km (NSSDC 1962-057A) at perigee -> apogee/perigee altitudes back within 1 m; period from
    Kepler's third law, T = 2 pi sqrt(a^3 / mu) = 91.181 min for a = 6378.135 + 332.5 = 6710.635 km
    (EGM96 mu 3.986004415e14 m^3/s^2)."""
    r, v = _parking_state()
    (name, period_min, apo_km, per_km), = parent_points({"parents": [
        {"name": "Blok L", "r_teme_m": list(r), "v_teme_mps": list(v)}]})
    assert (apo_km, per_km) == (pytest.approx(485.0, abs=1e-3), pytest.approx(180.0, abs=1e-3))
    assert period_min == pytest.approx(91.181, abs=0.001)


def test_choose_snapshots_nearest_and_distinct():
    event = np.datetime64("1962-10-24T18:56:11", "ms")
    epochs = event + np.array([0, 1, 3, 7, 15], "timedelta64[D]").astype("timedelta64[ms]")
    chosen = choose_snapshots(np.concatenate([epochs, epochs, [np.datetime64("NaT", "ms")]]), event, (0.1, 2.6, 3.2, 100.0))
    assert chosen == [epochs[0], epochs[2], epochs[4]]
    assert choose_snapshots(np.array(["NaT"], "datetime64[ms]"), event, (1.0,)) == []
