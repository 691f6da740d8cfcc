"""Batch least squares recovers a known orbit within its own covariance."""

from __future__ import annotations

import numpy as np
from scipy.stats import chi2

from debriscope.propagation.estimator_dynamics import PASS_MODEL, propagate_states
from debriscope.tracking.od import fit_orbit

N_SEEDS = 8
CHI2_P = 0.001
"""Two-sided tail of the test of the summed NEES (6 N_SEEDS degrees of freedom)."""


def test_nees_is_chi_square_over_seeds(sim):
    # Normalised estimation error squared (Bar-Shalom et al. 2001, sec. 5.4.2): for a consistent
    # estimator, (x_hat - x)^T P^-1 (x_hat - x) summed over N runs is chi-square with 6 N dof.
    x0 = sim.flagship_states(1, np.random.default_rng(0), spread_mps=0.0)[:, 0]
    times, clean = sim.visible_times(sim.CLEAR, x0, sim.T0, 6000.0, 5.0)
    times, clean = times[:24], clean[:, :24]  # two minutes of FPS-49-like tracking
    truth = propagate_states(x0, sim.T0, [times[-1]], 0.0, PASS_MODEL)[0]
    nees = []
    for seed in range(N_SEEDS):
        arc = sim.noisy_arc(sim.CLEAR, times, clean, sim.TRACKER_SIGMA_DEG, np.random.default_rng(seed))
        fit = fit_orbit([arc])
        assert fit.converged
        assert fit.epoch_tt_s == times[-1]
        d = fit.state - truth
        nees.append(d @ np.linalg.solve(fit.covariance, d))
    total = float(np.sum(nees))
    dof = 6 * N_SEEDS
    assert chi2.ppf(CHI2_P / 2, dof) < total < chi2.ppf(1 - CHI2_P / 2, dof), nees


def test_noise_free_fit_is_exact(sim):
    x0 = sim.flagship_states(1, np.random.default_rng(1), spread_mps=0.0)[:, 0]
    times, clean = sim.visible_times(sim.CLEAR, x0, sim.T0, 6000.0, 10.0)
    arc = sim.noisy_arc(sim.CLEAR, times[:10], clean[:, :10], sim.TRACKER_SIGMA_DEG * 1e-6, np.random.default_rng(0))
    fit = fit_orbit([arc])
    truth = propagate_states(x0, sim.T0, [times[9]], 0.0, PASS_MODEL)[0]
    np.testing.assert_allclose(fit.state[:3], truth[:3], atol=0.05)  # 1e-6 of the 50 m sigma, amplified
    np.testing.assert_allclose(fit.state[3:], truth[3:], atol=1e-3)
