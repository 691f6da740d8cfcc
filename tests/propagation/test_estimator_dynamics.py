"""The estimator's dynamics (fixed-step Runge-Kutta-Nystrom on the package's force model):
invariants, the Kepler limit, backward integration, the descent to a height."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.constants import MU_EARTH_M3_S2
from debriscope.elements import elements_to_rv, mean_to_true, rv_to_elements
from debriscope.propagation import Exponential, ForceModel
from debriscope.propagation.estimator_dynamics import (
    PASS_MODEL,
    acceleration,
    gravity_model,
    propagate_states,
    propagate_to_height,
)

KEPLER_TOL_M = 1.0
"""Runge-Kutta-Nystrom at 10 s over one LEO revolution: truncation well under a metre."""
ROUND_TRIP_TOL_M = 0.5
ROUND_TRIP_TOL_MPS = 5e-4
"""Forward a day and back again at 10 s, J2-J4 and drag (B = 0 and 0.1 m^2/kg, exponential
atmosphere, perigee 260 km): the two truncation errors add (the method is not symmetric);
measured 0.14 m and 1.6e-4 m/s (4.5 m at 20 s, 34 m at 30 s: about the fifth power of the step;
over one revolution at 10 s, 0.6 mm)."""
T_1962 = -1.17e9
"""An epoch in late 1962, TT s since J2000."""


def _orbit(nu=0.0, a_m=6.7e6, e=0.02):
    r, v = elements_to_rv(a_m, e, np.radians(64.9), 0.3, 0.5, nu)
    return np.concatenate([r, v])


def _drag_model(step_s: float = 20.0) -> ForceModel:
    return ForceModel(zonal_degree=4, drag=True, cd=1.0, atmosphere=Exponential(), step_s=step_s)


def test_zero_duration_returns_input():
    x = _orbit()
    np.testing.assert_array_equal(propagate_states(x, 100.0, [100.0], 0.0, PASS_MODEL)[0], x)


def test_no_j2_equals_kepler_over_a_revolution_both_ways():
    x0 = _orbit()[:, 0]
    el = rv_to_elements(x0[:3], x0[3:])
    n = np.sqrt(MU_EARTH_M3_S2 / el.a_m[0] ** 3)
    times = np.array([-1200.0, 0.0, 2000.0, 5500.0])
    got = propagate_states(x0, 0.0, times, 0.0, gravity_model(0))
    nu = mean_to_true(el.mean_anomaly_rad[0] + n * times, el.e[0])
    r, v = elements_to_rv(el.a_m[0], el.e[0], el.i_rad[0], el.raan_rad[0], el.argp_rad[0], nu)
    np.testing.assert_allclose(got[:, :3].T, r, atol=KEPLER_TOL_M)


def test_columns_propagate_independently():
    x = np.concatenate([_orbit(0.0), _orbit(1.0)], axis=1)
    both = propagate_states(x, 0.0, [600.0], 0.0, PASS_MODEL)
    one = propagate_states(x[:, 1], 0.0, [600.0], 0.0, PASS_MODEL)
    np.testing.assert_array_equal(both[0, :, 1], one[0])


def test_outputs_in_any_order_match_sorted():
    x = _orbit()
    times = np.array([3000.0, -500.0, 600.0, -2000.0])
    perm = np.argsort(times)
    got = propagate_states(x, 0.0, times, 0.0, PASS_MODEL)
    np.testing.assert_array_equal(got[perm], propagate_states(x, 0.0, times[perm], 0.0, PASS_MODEL))


def test_columns_at_their_own_epochs_meet_at_one_time():
    x = np.concatenate([_orbit(0.0), _orbit(1.0)], axis=1)
    epochs = np.array([0.0, 300.0])
    common = propagate_states(x, epochs, [1000.0], 0.0, PASS_MODEL)[0]
    ref = propagate_states(x[:, 1], 300.0, [1000.0], 0.0, PASS_MODEL)[0]
    np.testing.assert_array_equal(common[:, 1], ref)


@pytest.mark.parametrize("b_m2_kg", [0.0, 0.1])
def test_forward_then_backward_returns_the_start(b_m2_kg):
    """A day forward with J2-J4 and drag, then back to the epoch: within ROUND_TRIP_TOL."""
    x0 = _orbit(a_m=6.378e6 + 330e3, e=0.01)[:, 0]  # perigee ~260 km: drag matters
    model = _drag_model(10.0)
    day = propagate_states(x0, T_1962, [T_1962 + 86400.0], b_m2_kg, model)[0]
    back = propagate_states(day, T_1962 + 86400.0, [T_1962], b_m2_kg, model)[0]
    if b_m2_kg > 0:  # drag acted: a day of it moves the orbit by kilometres
        free = propagate_states(x0, T_1962, [T_1962 + 86400.0], 0.0, model)[0]
        assert np.linalg.norm(free[:3] - day[:3]) > 10e3
    np.testing.assert_allclose(back[:3], x0[:3], atol=ROUND_TRIP_TOL_M)
    np.testing.assert_allclose(back[3:], x0[3:], atol=ROUND_TRIP_TOL_MPS)


def test_backward_equals_the_reverse_of_a_forward_arc():
    """States before the epoch are those from which the forward propagation reaches the epoch's
    state (to the round-trip tolerance)."""
    x0 = _orbit()[:, 0]
    before = propagate_states(x0, 0.0, [-3000.0], 0.0, PASS_MODEL)[0]
    again = propagate_states(before, -3000.0, [0.0], 0.0, PASS_MODEL)[0]
    np.testing.assert_allclose(again[:3], x0[:3], atol=ROUND_TRIP_TOL_M)


def test_acceleration_is_the_point_mass_without_zonals():
    r = _orbit()[:3]
    acc = acceleration(r, 0.0, gravity_model(0))
    np.testing.assert_allclose(acc, -MU_EARTH_M3_S2 * r / np.linalg.norm(r) ** 3, rtol=1e-14)
    j2 = acceleration(r, 0.0, PASS_MODEL)
    assert 1e-4 < np.linalg.norm(j2 - acc) / np.linalg.norm(acc) < 3e-3  # J2: ~1e-3 of gravity


def test_descent_stops_at_the_ellipsoid():
    # A state 620 km up falling straight down (two-body, no rotation matters): the crossing is at
    # zero height, at the time of the radial free fall from r0 with speed v0.
    r = np.array([[7.0e6], [0.0], [0.0]])
    v = np.array([[-2000.0], [0.0], [0.0]])
    t, x = propagate_to_height(np.concatenate([r, v]), 0.0, 0.0, 3600.0, gravity_model(0))
    assert np.isfinite(t[0])
    assert abs(np.linalg.norm(x[:3, 0]) - 6378137.0) < 1e-3  # on the equator: the ellipsoid's a
    # energy conservation: v^2/2 - mu/r is the same at the crossing
    e0 = 0.5 * 2000.0**2 - MU_EARTH_M3_S2 / 7.0e6
    e1 = 0.5 * np.sum(x[3:, 0] ** 2) - MU_EARTH_M3_S2 / np.linalg.norm(x[:3, 0])
    assert abs(e1 - e0) < 1e-3 * abs(e0) * 1e-3
    # an orbit well above the atmosphere never crosses
    t2, x2 = propagate_to_height(_orbit(), 0.0, 0.0, 6000.0, PASS_MODEL)
    assert np.isnan(t2[0]) and np.all(np.isnan(x2))
