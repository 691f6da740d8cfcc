"""The compiled crossing refinement (``debriscope.sensors.crossings``) against independent root-finding
on exact two-body positions and the full ITRF -> TEME chain at each time."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq
from sensors_helpers import cloud, kepler_states

from debriscope.sensors import crossings
from debriscope.sensors.ephemeris import SampledStates
from debriscope.sensors.geometry import site_teme, subsatellite_point_deg, topocentric

N = 30
STEP_S = 20.0
CROSSING_TOL_S = 1e-3
"""Cubic Hermite between 20 s samples puts the elevation within ~1e-6 deg of the exact one (see
test_detect.INTERP_TOL); at elevation rates of 0.01-1 deg/s that is well under a millisecond."""
TURN_TOL_RAD = 5e-11
"""At the grid's last sample the site is that of the sample before turned by the whole step (as
test_geometry's turns: measured 1.8e-11 rad against the full chain); at the others it is exact."""


@pytest.fixture
def case(t_event):
    state0 = cloud(N)
    times = t_event + np.arange(0.0, 3600.0 + 1, STEP_S)
    mid = kepler_states(state0[:, :1], t_event, np.array([t_event + 1500.0]))[0]
    lat, lon = subsatellite_point_deg(mid[:3], np.array([t_event + 1500.0]))
    return state0, t_event, SampledStates(times, kepler_states(state0, t_event, times), np.arange(N)), (
        float(lat[0]), float(lon[0]) + 4.0, 100.0)


def _elevation(state0, t0, site, t, col):
    s = kepler_states(state0[:, col:col + 1], t0, np.array([t]))[0]
    return float(topocentric(site_teme(*site, [t]), s[:3], s[3:])[2][0])


def test_elevation_crossings_match_an_independent_root_finder(case):
    state0, t0, sampled, site = case
    grid = sampled.site_grid(*site)
    target = np.radians(10.0)
    el = crossings.evaluate(sampled, grid.r_teme_m, grid.up, np.repeat(sampled.times_tt_s, N),
                            np.tile(np.arange(N), sampled.times_tt_s.size), angle=True).reshape(-1, N) - target
    k, col = np.nonzero(np.sign(el[:-1]) != np.sign(el[1:]))
    assert k.size >= N  # a rise and a set for most fragments
    t = crossings.refine(sampled, grid.r_teme_m, grid.up, k, col, el[k, col], el[k + 1, col], target, angle=True,
                         tol=1e-9, iterations=20)
    for tk, kk, c in zip(t, k, col, strict=True):
        expected = brentq(lambda x, c=c: _elevation(state0, t0, site, x, c) - target,
                          sampled.times_tt_s[kk], sampled.times_tt_s[kk + 1], xtol=1e-6)
        assert tk == pytest.approx(expected, abs=CROSSING_TOL_S)


def test_evaluate_at_the_samples_is_the_geometry(case):
    state0, t0, sampled, site = case
    grid = sampled.site_grid(*site)
    col = np.arange(N)
    for k in (0, 17, sampled.times_tt_s.size - 1):
        got = crossings.evaluate(sampled, grid.r_teme_m, grid.up, np.full(N, sampled.times_tt_s[k]), col, angle=True)
        want = topocentric(site_teme(*site, sampled.times_tt_s[k:k + 1]), sampled.states[k, :3], sampled.states[k, 3:])[2]
        assert np.allclose(got, want, rtol=0, atol=TURN_TOL_RAD)
        plane = crossings.evaluate(sampled, np.zeros_like(grid.up), grid.up, np.full(N, sampled.times_tt_s[k]), col,
                                   angle=False)  # the signed distance along the site's up
        assert np.allclose(plane, grid.up[:, k] @ sampled.states[k, :3], rtol=0, atol=TURN_TOL_RAD * 7e6)
