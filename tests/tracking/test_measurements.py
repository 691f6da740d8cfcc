"""Radar measurement model: round trips, and agreement with the sensors stage's own geometry."""

from __future__ import annotations

import numpy as np

from debriscope.propagation.estimator_dynamics import PASS_MODEL, acceleration
from debriscope.sensors.geometry import site_teme, topocentric
from debriscope.tracking.measurements import predict_measurements, radar_to_teme, site_geometry

ROUND_TRIP_TOL_M = 1e-6
"""Position -> (range, az, el) -> position: float64 round-off at 3000 km."""
RANGE_RATE_TOL_MPS = 1e-3
"""Range rate vs. a central difference of range over +-0.05 s (error ~ range''' dt^2 / 6 < 1e-4 m/s)."""


def test_position_round_trip(rng, sim):
    x = sim.flagship_states(5, rng)
    times = sim.T0 + np.array([0.0, 60.0, 120.0, 180.0, 240.0])
    geo = site_geometry(sim.CLEAR, times)
    m = predict_measurements(x, geo)  # one state per time
    back = radar_to_teme(m[0], np.degrees(m[1]), np.degrees(m[2]), geo)
    np.testing.assert_allclose(back, x[:3], atol=ROUND_TRIP_TOL_M)


def test_matches_sensors_topocentric(rng, sim):
    # The tracker's fast forward model must equal the sensors stage's (an independent code path).
    x = sim.flagship_states(4, rng)
    times = sim.T0 + np.array([0.0, 30.0, 60.0, 90.0])
    ours = predict_measurements(x, site_geometry(sim.CLEAR, times))
    theirs = topocentric(site_teme(sim.CLEAR.lat_deg, sim.CLEAR.lon_deg, sim.CLEAR.alt_m, times), x[:3], x[3:])
    np.testing.assert_allclose(ours, np.stack(theirs), rtol=1e-12, atol=1e-9)


def test_range_rate_is_the_derivative_of_range(rng, sim):
    # positions at t -+ dt by a second-order Taylor step (error ~ jerk dt^3 / 6 ~ 1e-6 m)
    x0 = sim.flagship_states(1, rng)[:, 0]
    dt = 0.05
    acc = acceleration(x0[:3, None], 0.0, PASS_MODEL)[:, 0]
    r_m, r_p = (x0[:3] + s * x0[3:] * dt + 0.5 * acc * dt * dt for s in (-1.0, 1.0))
    states = np.stack([np.concatenate([r_m, x0[3:]]), x0, np.concatenate([r_p, x0[3:]])], axis=1)
    m = predict_measurements(states, site_geometry(sim.CLEAR, sim.T0 + np.array([-dt, 0.0, dt])))
    assert abs((m[0, 2] - m[0, 0]) / (2 * dt) - m[3, 1]) < RANGE_RATE_TOL_MPS
