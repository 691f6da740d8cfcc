"""Topocentric geometry: the TEME-side computation against the ITRF chain and hand cases."""

from __future__ import annotations

import numpy as np

from debriscope.frames import enu_matrix, geodetic_to_ecef, itrf_to_teme, teme_to_itrf
from debriscope.sensors.geometry import site_teme, subsatellite_point_deg, topocentric

RANGE_TOL_M = 1e-6
ANGLE_TOL_RAD = 1e-9
RATE_TOL_MPS = 1e-5
"""Both paths apply the same rotations in a different order: agreement to rounding."""


def _itrf_chain(lat_deg, lon_deg, alt_m, t, r_teme, v_teme):
    """Independent path: fragment to ITRF (frames.teme_to_itrf), then ENU at the site."""
    r_itrf, v_itrf = teme_to_itrf(r_teme, v_teme, t)
    site = geodetic_to_ecef(np.radians(lat_deg), np.radians(lon_deg), alt_m).reshape(3, 1)
    rho = enu_matrix(np.radians(lat_deg), np.radians(lon_deg)) @ (r_itrf - site)
    rng = np.linalg.norm(rho, axis=0)
    az = np.mod(np.arctan2(rho[0], rho[1]), 2 * np.pi)
    el = np.arcsin(rho[2] / rng)
    rate = np.sum((r_itrf - site) * v_itrf, axis=0) / rng
    return rng, az, el, rate


def test_matches_the_itrf_chain(t_event):
    rng = np.random.default_rng(0)
    t = t_event + np.sort(rng.uniform(0, 86400, 50))
    r = rng.normal(0, 4e6, (3, 50)) + np.array([[0], [0], [3e6]])
    v = rng.normal(0, 5e3, (3, 50))
    got = topocentric(site_teme(64.2906, -149.1869, 170.0, t), r, v)
    want = _itrf_chain(64.2906, -149.1869, 170.0, t, r, v)
    assert np.allclose(got[0], want[0], rtol=0, atol=RANGE_TOL_M)
    assert np.allclose(got[1], want[1], rtol=0, atol=ANGLE_TOL_RAD)
    assert np.allclose(got[2], want[2], rtol=0, atol=ANGLE_TOL_RAD)
    assert np.allclose(got[3], want[3], rtol=0, atol=RATE_TOL_MPS)


def test_grid_shape_equals_pairwise(t_event):
    t = t_event + np.array([0.0, 60.0, 120.0])
    rng = np.random.default_rng(1)
    r = rng.normal(0, 7e6, (3, 3, 4))
    v = rng.normal(0, 7e3, (3, 3, 4))
    site = site_teme(76.57, -68.299, 250.0, t)
    grid = topocentric(site, r, v)
    for j in range(4):
        pair = topocentric(site, r[:, :, j], v[:, :, j])
        for a, b in zip(grid, pair, strict=True):
            assert np.allclose(a[:, j], b, rtol=1e-15, atol=0)


def test_object_at_the_zenith(t_event):
    lat, lon, alt = 64.2906, -149.1869, 170.0
    t = np.array([t_event])
    up = enu_matrix(np.radians(lat), np.radians(lon))[2].reshape(3, 1)
    site = geodetic_to_ecef(np.radians(lat), np.radians(lon), alt).reshape(3, 1)
    r_teme, v_teme = itrf_to_teme(site + 500e3 * up, np.zeros((3, 1)), t)  # fixed above the site
    rng, _, el, rate = topocentric(site_teme(lat, lon, alt, t), r_teme, v_teme)
    assert np.isclose(rng[0], 500e3, atol=1e-6)
    assert np.isclose(np.degrees(el[0]), 90.0, atol=1e-8)
    assert abs(rate[0]) < 1e-8


def test_subsatellite_point_below_a_site(t_event):
    lat, lon = 76.57, -68.299
    t = np.array([t_event])
    r_teme, _ = itrf_to_teme(geodetic_to_ecef(np.radians(lat), np.radians(lon), 400e3).reshape(3, 1), None, t)
    got_lat, got_lon = subsatellite_point_deg(r_teme, t)
    assert np.isclose(got_lat[0], lat, atol=1e-9) and np.isclose(got_lon[0], lon, atol=1e-9)


def test_look_grid_is_topocentric_where_it_is_read(t_event):
    from debriscope.sensors.geometry import SCREENED_ELEVATION_RAD, look_grid

    rng = np.random.default_rng(3)
    times = t_event + np.arange(0.0, 5400.0, 60.0)
    n = 40
    r = rng.normal(0.0, 1.0, (times.size, 3, n))
    r *= (6.6e6 + rng.uniform(0, 1e6, (times.size, 1, n))) / np.linalg.norm(r, axis=1, keepdims=True)
    states = np.concatenate([r, rng.normal(0.0, 7e3, r.shape)], axis=1)
    states[10:, :, 5] = np.nan  # a fragment that decays
    site = site_teme(64.2906, -149.1869, 200.0, times)
    want_rng, want_az, want_el, _ = topocentric(site, np.moveaxis(states[:, :3], 1, 0), np.moveaxis(states[:, 3:], 1, 0))
    min_el = np.radians(3.5)
    got_rng, got_az, got_el = look_grid(site, states, min_el)
    assert np.allclose(got_rng, want_rng, rtol=0, atol=RANGE_TOL_M, equal_nan=True)
    assert np.isnan(got_el[10:, 5]).all() and np.isnan(got_rng[10:, 5]).all()
    above = want_el >= min_el
    assert 0 < above.sum() < above.size
    assert np.allclose(got_az[above], want_az[above], rtol=0, atol=ANGLE_TOL_RAD)
    assert np.isnan(got_az[~above]).all()
    # the elevation is exact at and next to (in time) the samples above min_el, screened elsewhere
    near = above | np.isnan(want_el)
    near[1:] |= above[:-1]
    near[:-1] |= above[1:]
    assert np.allclose(got_el[near], want_el[near], rtol=0, atol=ANGLE_TOL_RAD, equal_nan=True)
    assert 0 < (~near).sum() and np.all(got_el[~near] == SCREENED_ELEVATION_RAD)
    assert np.all(want_el[~near] < min_el)
    got_rng, got_az, got_el = look_grid(site, states, -np.inf)  # no screen
    assert np.allclose(got_el, want_el, rtol=0, atol=ANGLE_TOL_RAD, equal_nan=True)


TURN_TOL_RAD = 5e-11
TURN_TOL_M = TURN_TOL_RAD * 6.4e6
"""A site carried between 60 s samples by a turn about z against the full ITRF -> TEME chain at the
time: measured 1.8e-11 rad (6e-5 m at the site), from the daily interpolation of UT1 and polar
motion; 20 times below the 1e-9 rad to which the fans' crossings are refined."""


def test_site_between_samples_is_the_site_at_the_time(t_event):
    from debriscope.sensors.geometry import site_between, turned

    times = t_event + np.arange(0.0, 3 * 86400.0 + 1.0, 60.0)
    t = np.sort(np.random.default_rng(5).uniform(times[0] - 1.0, times[-1] + 1.0, 500))
    grid = site_teme(76.570, -68.299, 420.0, times)
    got, want = site_between(grid, times, t), site_teme(76.570, -68.299, 420.0, t)
    assert np.max(np.abs(got.r_teme_m - want.r_teme_m)) < TURN_TOL_M
    assert np.max(np.abs(got.v_teme_mps - want.v_teme_mps)) < TURN_TOL_M
    for axis in ("east", "north", "up"):
        assert np.max(np.abs(getattr(got, axis) - getattr(want, axis))) < TURN_TOL_RAD
    assert np.array_equal(turned(grid.up, times, times[:-1]), grid.up[:, :-1])  # at a sample: that sample
