"""The compact two-body + J2 integrator: invariants and the Kepler limit."""

from __future__ import annotations

import numpy as np

from debriscope.constants import MU_EARTH_M3_S2
from debriscope.elements import elements_to_rv, mean_to_true, rv_to_elements
from debriscope.tracking.dynamics import (
    ellipsoid_height_m,
    propagate_j2,
    propagate_to_epoch,
    propagate_to_height,
)

KEPLER_TOL_M = 1.0
"""RK4 at 10 s over one LEO revolution: truncation well under a metre."""


def _orbit(nu=0.0):
    r, v = elements_to_rv(6.7e6, 0.02, np.radians(64.9), 0.3, 0.5, nu)
    return np.concatenate([r, v])


def test_zero_duration_returns_input():
    x = _orbit()
    np.testing.assert_array_equal(propagate_j2(x, 100.0, [100.0])[0], x)


def test_no_j2_equals_kepler_over_a_revolution():
    x0 = _orbit()[:, 0]
    el = rv_to_elements(x0[:3], x0[3:])
    n = np.sqrt(MU_EARTH_M3_S2 / el.a_m[0] ** 3)
    times = np.array([-1200.0, 0.0, 2000.0, 5500.0])
    got = propagate_j2(x0, 0.0, times, j2=0.0)
    nu = mean_to_true(el.mean_anomaly_rad[0] + n * times, el.e[0])
    r, v = elements_to_rv(el.a_m[0], el.e[0], el.i_rad[0], el.raan_rad[0], el.argp_rad[0], nu)
    np.testing.assert_allclose(got[:, :3, 0].T if got.ndim == 3 else got[:, :3].T, r, atol=KEPLER_TOL_M)


def test_columns_propagate_independently():
    x = np.concatenate([_orbit(0.0), _orbit(1.0)], axis=1)
    both = propagate_j2(x, 0.0, [600.0])
    one = propagate_j2(x[:, 1], 0.0, [600.0])
    np.testing.assert_allclose(both[0, :, 1], one[0], rtol=0, atol=1e-6)


def test_propagate_to_epoch_matches_single_propagation():
    x = np.concatenate([_orbit(0.0), _orbit(1.0)], axis=1)
    epochs = np.array([0.0, 300.0])
    common = propagate_to_epoch(x, epochs, 1000.0)
    ref = propagate_j2(x[:, 1], 300.0, [1000.0])[0]
    np.testing.assert_allclose(common[:, 1], ref, atol=1e-3)


def test_descent_stops_at_the_ellipsoid():
    # A state 300 km up falling straight down: the crossing is found at zero height.
    r = np.array([[7.0e6], [0.0], [0.0]])
    v = np.array([[-2000.0], [0.0], [0.0]])
    t, x = propagate_to_height(np.concatenate([r, v]), 0.0, 0.0, 3600.0)
    assert np.isfinite(t[0])
    assert abs(ellipsoid_height_m(x[:3])[0]) < 1e-3
    # an orbit well above the atmosphere never crosses
    t2, _ = propagate_to_height(_orbit(), 0.0, 0.0, 6000.0)
    assert np.isnan(t2[0])
