"""Two-body transition matrix and measurement models against independent computations."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.propagation import ForceModel, propagate
from debriscope.sensors.fence import direction_cosine_rates, direction_cosines
from debriscope.sensors.geometry import site_teme, topocentric
from debriscope.timescale import utc_to_tt_s
from debriscope.tracking.maintenance.kepler import kepler, kepler_stm
from debriscope.tracking.maintenance.measurement import partials, predict, variance
from debriscope.tracking.maintenance.observations import CAMERA, FENCE, RADAR, Observations

T0 = float(utc_to_tt_s("1962-10-25T00:00:00Z"))


def _state(nu: float = 0.3) -> np.ndarray:
    a, e = apsides_to_a_e(250e3, 900e3)
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.4, 0.7, nu)
    return np.concatenate([r, v])


def test_kepler_matches_point_mass_integration():
    x0 = _state()
    model = ForceModel(zonal_degree=0, drag=False, step_s=10.0)
    dt = 2400.0
    ref = propagate(x0, T0, [T0 + dt], [0.0], model).states[-1][:, 0]
    got = kepler(x0, np.array([dt]))[:, 0]
    assert np.linalg.norm(got[:3] - ref[:3]) < 1.0
    assert np.linalg.norm(got[3:] - ref[3:]) < 1e-3


def test_kepler_stm_matches_differences_of_the_integrator():
    x0 = _state(1.1)
    dt = 900.0
    phi = kepler_stm(x0, np.array([dt]))[0]
    model = ForceModel(zonal_degree=0, drag=False, step_s=10.0)
    steps = np.array([100.0, 100.0, 100.0, 0.1, 0.1, 0.1])
    plus = x0 + np.diag(steps)
    minus = x0 - np.diag(steps)
    out = propagate(np.concatenate([plus, minus], axis=1), T0, [T0 + dt], np.zeros(12), model).states[-1]
    ref = (out[:, :6] - out[:, 6:]) / (2 * steps)
    assert np.allclose(phi, ref, rtol=1e-4, atol=1e-6)
    assert abs(np.linalg.det(phi) - 1.0) < 1e-6  # Hamiltonian flow preserves phase-space volume


def _obs(kind: int, t: np.ndarray, lat: float, lon: float) -> Observations:
    site = site_teme(lat, lon, 100.0, t)
    n = t.size
    return Observations(np.arange(n), t, np.full(n, "s"), np.full(n, kind, dtype=np.int8), np.zeros(n, bool),
                        np.full((4, n), np.nan), np.full((4, n), np.nan), site.r_teme_m, site.v_teme_mps, site.east,
                        site.north, site.up, np.arange(n), np.full(n, np.nan), np.zeros(n))


@settings(max_examples=25, deadline=None)
@given(nu=st.floats(0.0, 6.28), lat=st.floats(-60, 75), lon=st.floats(-180, 180))
def test_radar_and_fence_predictions_equal_the_sensors_forward_models(nu, lat, lon):
    x = _state(nu).reshape(6, 1)
    t = np.array([T0 + 100.0])
    rng, az, el, rate = topocentric(site_teme(lat, lon, 100.0, t), x[:3], x[3:])
    z = predict(x, _obs(RADAR, t, lat, lon), np.array([0]))
    assert np.allclose(z[:, 0], [rng[0], az[0], el[0], rate[0]], rtol=1e-12, atol=1e-9)
    _, _, l_, m_ = direction_cosines(site_teme(lat, lon, 100.0, t), x[:3])
    l_dot, m_dot = direction_cosine_rates(site_teme(lat, lon, 100.0, t), x[:3], x[3:])
    z = predict(x, _obs(FENCE, t, lat, lon), np.array([0]))
    assert np.allclose(z[:, 0], [l_[0], m_[0], l_dot[0], m_dot[0]], atol=1e-12)


def test_camera_prediction_is_the_topocentric_direction():
    x = _state().reshape(6, 1)
    t = np.array([T0])
    obs = _obs(CAMERA, t, 32.42, -106.56)
    z = predict(x, obs, np.array([0]))
    u = np.array([np.cos(z[1, 0]) * np.cos(z[0, 0]), np.cos(z[1, 0]) * np.sin(z[0, 0]), np.sin(z[1, 0])])
    rho = x[:3, 0] - obs.site_r[:, 0]
    assert np.allclose(u, rho / np.linalg.norm(rho), atol=1e-12)


def test_partials_match_central_differences():
    x = _state().reshape(6, 1)
    obs = _obs(RADAR, np.array([T0 + 50.0]), 64.29, -149.19)
    _, jac = partials(x, obs, np.array([0]))
    for i, h in enumerate([10.0, 10.0, 10.0, 0.01, 0.01, 0.01]):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        d = (predict(xp, obs, np.array([0])) - predict(xm, obs, np.array([0])))[:, 0] / (2 * h)
        assert np.allclose(jac[0, :, i], d, rtol=1e-3, atol=1e-9)


def test_equinoctial_elements_match_the_classical_route():
    """to_equinoctial (directly from r, v) against the classical elements of elements.py turned
    into (a, h, k, p, q, lambda) by their definitions, over random elliptic orbits."""
    from debriscope.elements import rv_to_elements, true_to_mean
    from debriscope.tracking.maintenance.kepler import to_equinoctial

    rng = np.random.default_rng(1)
    n = 500
    a = rng.uniform(6.5e6, 4e7, n)
    r, v = elements_to_rv(a, rng.uniform(0, 0.7, n), rng.uniform(0.01, 3.0, n), rng.uniform(0, 6.28, n),
                          rng.uniform(0, 6.28, n), rng.uniform(0, 6.28, n))
    q = to_equinoctial(np.concatenate([r, v]))
    el = rv_to_elements(r, v)
    lp = el.argp_rad + el.raan_rad
    t = np.tan(el.i_rad / 2.0)
    ref = np.stack([el.a_m, el.e * np.sin(lp), el.e * np.cos(lp), t * np.sin(el.raan_rad), t * np.cos(el.raan_rad),
                    np.mod(true_to_mean(el.nu_rad, el.e) + lp, 2.0 * np.pi)])
    np.testing.assert_allclose(q[0], ref[0], rtol=1e-12)
    np.testing.assert_allclose(q[1:5], ref[1:5], atol=1e-10)
    assert np.abs(np.mod(q[5] - ref[5] + np.pi, 2.0 * np.pi) - np.pi).max() < 1e-10


@settings(max_examples=25, deadline=None)
@given(nu=st.floats(0.0, 6.28), lat=st.floats(20, 45), lon=st.floats(-120, -80), sigma_t=st.floats(0.01, 1.0))
def test_fence_variance_adds_the_time_tag_error_through_the_line_of_sight_rate(nu, lat, lon, sigma_t):
    """(dl/dt sigma_t)^2 with the analytic rate of the unit line of sight, u' = (v - (v.u) u) / rho
    for the velocity v relative to the site, projected on the site's east and north axes."""
    x = _state(nu).reshape(6, 1)
    t = np.array([T0 + 100.0])
    obs = _obs(FENCE, t, lat, lon)
    obs.sigma[:2, 0] = 3e-4
    obs.sigma_t[0] = sigma_t
    rho = x[:3, 0] - obs.site_r[:, 0]
    u = rho / np.linalg.norm(rho)
    v = x[3:, 0] - obs.site_v[:, 0]
    u_dot = (v - np.dot(v, u) * u) / np.linalg.norm(rho)
    rates = np.array([np.dot(u_dot, obs.east[:, 0]), np.dot(u_dot, obs.north[:, 0])])
    got = variance(x, obs, np.array([0]))[:2, 0]
    assert np.allclose(got, 3e-4**2 + (rates * sigma_t) ** 2, rtol=1e-4)
    obs.sigma_t[0] = 0.0
    assert np.allclose(variance(x, obs, np.array([0]))[:2, 0], 3e-4**2)
