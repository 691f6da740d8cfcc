"""The least-squares core: exact on linear problems (the information-form formula), recovery of a
known state from noise-free and noisy orbit measurements, covariance against Monte Carlo scatter."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.propagation.estimator_dynamics import PASS_MODEL, propagate_states
from debriscope.tracking.lsq import APriori, LsqSettings, forward_differences, solve
from debriscope.tracking.measurements import predict_measurements, site_geometry
from debriscope.tracking.od import RadarArc, fit_orbit

N_MONTE_CARLO = 400
COV_RTOL = 0.2
"""Sample variance of N_MONTE_CARLO estimates against the formal one: the sample variance of n
normal draws has relative sigma sqrt(2/(n-1)) = 0.071 at n = 400, so 0.2 is ~3 sigma."""


def _linear_problem(rng: np.random.Generator, m: int = 30):
    """z = A x + noise with sigmas s: a polynomial in t (cubic), badly scaled columns on purpose."""
    t = np.linspace(0.0, 600.0, m)
    a = np.stack([np.ones(m), t, t**2, t**3], axis=1)
    s = rng.uniform(0.5, 2.0, m)
    x_true = np.array([3.0, -0.2, 1e-3, -2e-6])
    return a, s, x_true


def _linearise_linear(a: np.ndarray, s: np.ndarray, z: np.ndarray):
    return lambda x: ((z - a @ x) / s, a / s[:, None])


@pytest.mark.parametrize("control", ["halving", "levenberg"])
def test_linear_problem_with_apriori_is_the_information_form(control):
    """x = (A^T W A + L_a)^-1 (A^T W z + L_a x_a) and P = (A^T W A + L_a)^-1 (Tapley et al. 2004 ch. 4),
    computed here independently by the normal equations; the a priori pulls the estimate to it."""
    rng = np.random.default_rng(1)
    a, s, x_true = _linear_problem(rng)
    z = a @ x_true + s * rng.standard_normal(s.size)
    x_a = x_true + np.array([0.5, 0.01, 0.0, 0.0])
    info = np.diag([4.0, 1e4, 0.0, 0.0])  # the last two free
    w = np.diag(s**-2)
    normal = a.T @ w @ a + info
    want = np.linalg.solve(normal, a.T @ w @ z + info @ x_a)
    sol = solve(_linearise_linear(a, s, z), np.zeros(4), apriori=APriori(x_a, info),
                settings=LsqSettings(step_control=control, max_iterations=50, cost_tolerance=1e-14))
    assert sol.converged
    np.testing.assert_allclose(sol.x, want, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(sol.covariance, np.linalg.inv(normal), rtol=1e-6)
    free = solve(_linearise_linear(a, s, z), np.zeros(4), settings=LsqSettings(cost_tolerance=1e-14))
    np.testing.assert_allclose(free.x, np.linalg.solve(a.T @ w @ a, a.T @ w @ z), rtol=1e-8)
    # the a priori pulls the estimate towards x_a (in its metric), a stronger one further
    strong = solve(_linearise_linear(a, s, z), np.zeros(4), apriori=APriori(x_a, 100.0 * info),
                   settings=LsqSettings(cost_tolerance=1e-14))

    def pull(x):
        return (x - x_a) @ info @ (x - x_a)

    assert pull(strong.x) < pull(sol.x) < pull(free.x)


def test_apriori_alone_determines_an_unobserved_parameter():
    """A parameter the measurements do not see takes the a priori value and sigma."""
    a = np.stack([np.ones(10), np.zeros(10)], axis=1)
    z = np.full(10, 2.0)
    sol = solve(_linearise_linear(a, np.ones(10), z), np.zeros(2), apriori=APriori.diagonal([0.0, 5.0], [np.inf, 0.3]))
    np.testing.assert_allclose(sol.x, [2.0, 5.0], rtol=1e-10)
    assert sol.covariance[1, 1] == pytest.approx(0.09, rel=1e-10)
    assert sol.covariance[0, 0] == pytest.approx(0.1, rel=1e-10)


def test_linear_covariance_matches_monte_carlo_scatter():
    rng = np.random.default_rng(2)
    a, s, x_true = _linear_problem(rng)
    est = []
    for _ in range(N_MONTE_CARLO):
        z = a @ x_true + s * rng.standard_normal(s.size)
        est.append(solve(_linearise_linear(a, s, z), np.zeros(4), settings=LsqSettings(cost_tolerance=1e-14)).x)
    sol = solve(_linearise_linear(a, s, a @ x_true), np.zeros(4))
    np.testing.assert_allclose(np.var(est, axis=0, ddof=1), np.diag(sol.covariance), rtol=COV_RTOL)


def test_nonlinear_forward_differences_recover_exponential_decay():
    """z = c exp(-k t): Gauss-Newton from a distant start reaches the truth (noise-free), the
    halving and Levenberg controls agree, and forward-difference partials serve both."""
    t = np.linspace(0.0, 10.0, 25)
    truth = np.array([4.0, 0.35])

    def columns(p):
        return (truth[0] * np.exp(-truth[1] * t))[:, None] - p[0] * np.exp(-p[1] * t[:, None])

    lin, res = forward_differences(columns, [1e-6, 1e-7])
    for control in ("halving", "levenberg"):
        sol = solve(lin, np.array([1.0, 1.5]), residuals=res if control == "levenberg" else None,
                    settings=LsqSettings(step_control=control, max_iterations=60, max_trials=12, cost_tolerance=1e-12))
        assert sol.converged
        np.testing.assert_allclose(sol.x, truth, rtol=1e-6)
        assert sol.rms < 1e-6


def test_settings_are_validated():
    with pytest.raises(ValueError, match="step_control"):
        LsqSettings(step_control="newton")
    with pytest.raises(ValueError, match="max_iterations"):
        LsqSettings(max_iterations=0)


def test_unevaluable_start_is_reported_not_raised():
    sol = solve(lambda x: None, np.zeros(3))
    assert not sol.converged and np.all(np.isnan(sol.covariance))


# --- orbit determination through the core ------------------------------------------------------

PASS_TIMES_S = np.arange(0.0, 300.0, 10.0)
SIGMA = np.array([50.0, np.radians(0.02), np.radians(0.02), np.nan])
"""A tracker's noise: 50 m in range, 0.02 deg in angles, no range rate."""
N_ORBIT_MONTE_CARLO = 60
ORBIT_COV_RTOL = 0.6
"""60 fits: the sample variance has relative sigma sqrt(2/59) = 0.18; 0.6 is ~3 sigma."""


def _pass(sim, rng=None):
    x0 = sim.flagship_states(1, np.random.default_rng(0), spread_mps=0.0)[:, 0]
    t0 = sim.T0 + 18.34 * 3600.0 + 300.0  # a Clear pass of the flagship orbit (test_multipass)
    times = t0 + PASS_TIMES_S
    x = propagate_states(x0, sim.T0, times, 0.0, PASS_MODEL)
    z = predict_measurements(x.T, site_geometry(sim.CLEAR, times))
    assert np.degrees(z[2]).min() > 3.0  # above the horizon all pass
    if rng is not None:
        z = z + np.nan_to_num(SIGMA)[:, None] * rng.standard_normal(z.shape)
    sig_deg = np.degrees(SIGMA[1])
    arc = RadarArc.from_columns(sim.CLEAR, times, z[0], np.degrees(z[1]), np.degrees(z[2]), z[3], SIGMA[0], sig_deg,
                                sig_deg, np.nan)
    return arc, x[-1]


def test_noise_free_pass_recovers_the_state(sim):
    arc, x_true = _pass(sim)
    fit = fit_orbit([arc])
    assert fit.converged and fit.rms < 1e-3
    assert np.linalg.norm(fit.state[:3] - x_true[:3]) < 1.0
    assert np.linalg.norm(fit.state[3:] - x_true[3:]) < 1e-3


def test_orbit_covariance_matches_monte_carlo_scatter(sim):
    rng = np.random.default_rng(5)
    arc0, x_true = _pass(sim)
    formal = fit_orbit([arc0]).covariance
    err = []
    for _ in range(N_ORBIT_MONTE_CARLO):
        arc, _ = _pass(sim, rng)
        fit = fit_orbit([arc], x0=x_true)
        assert fit.converged
        err.append(fit.state - x_true)
    err = np.array(err)
    np.testing.assert_allclose(np.var(err, axis=0, ddof=1), np.diag(formal), rtol=ORBIT_COV_RTOL)
    nees = np.einsum("ki,ij,kj->k", err, np.linalg.inv(formal), err)
    assert 6.0 * 0.7 < nees.mean() < 6.0 * 1.3  # chi-square(6): mean 6, sigma of the mean 0.45


def test_no_relinearisation_at_a_negligible_last_step():
    """With relinearise_at_solution False the fit stops without evaluating the partials at its last
    point (one call fewer), at the same estimate to the tolerance, with the partials' covariance."""
    t = np.linspace(0.0, 1.0, 40)
    truth = np.array([1.0, -2.0, 0.5])
    z = truth[0] + truth[1] * t + truth[2] * np.sin(3.0 * t) ** 2

    def columns(x):
        return (z[:, None] - (x[0] + x[1] * t[:, None] + x[2] * np.sin(3.0 * t[:, None]) ** 2)) / 0.01

    calls = {"linearise": 0}
    lin, res = forward_differences(columns, [1e-6, 1e-6, 1e-6])

    def counted(x):
        calls["linearise"] += 1
        return lin(x)

    ref = solve(counted, np.zeros(3), residuals=res, settings=LsqSettings(cost_tolerance=1e-6))
    n_ref = calls["linearise"]
    calls["linearise"] = 0
    got = solve(counted, np.zeros(3), residuals=res,
                settings=LsqSettings(cost_tolerance=1e-6, relinearise_at_solution=False))
    assert got.converged and calls["linearise"] == n_ref - 1
    np.testing.assert_allclose(got.x, ref.x, atol=1e-6)
    np.testing.assert_allclose(got.covariance, ref.covariance, rtol=1e-3)
