"""Ejection velocities (Johnson et al. 2001, eqs. 11-12) and isotropy."""

import math

import numpy as np
import pytest
from scipy import stats

from debriscope.breakup.delta_v import isotropic_directions, log_dv_mean, sample_delta_v

KS_P_MIN = 1e-3  # fixed seeds; see test_area_to_mass.py
N = 50_000


def test_log_mean_coefficients():
    # eq. 11: mu = 0.2 chi + 1.85; eq. 12: mu = 0.9 chi + 2.9
    assert log_dv_mean(0.0, "explosion") == 1.85 and log_dv_mean(-1.0, "explosion") == pytest.approx(1.65)
    assert log_dv_mean(0.0, "collision") == 2.9 and log_dv_mean(-1.0, "collision") == pytest.approx(2.0)
    with pytest.raises(ValueError, match="kind"):
        log_dv_mean(0.0, "implosion")


@pytest.mark.parametrize("kind, slope, offset", [("explosion", 0.2, 1.85), ("collision", 0.9, 2.9)])
def test_speed_is_log_normal(kind, slope, offset):
    rng = np.random.default_rng(42)
    chi = rng.uniform(-3.0, 0.5, N)
    dv = sample_delta_v(rng, chi, kind)
    residual = np.log10(np.linalg.norm(dv, axis=0)) - (slope * chi + offset)
    assert stats.kstest(residual, stats.norm(0.0, 0.4).cdf).pvalue > KS_P_MIN


def test_directions_are_isotropic():
    u = isotropic_directions(np.random.default_rng(9), N)
    np.testing.assert_allclose(np.linalg.norm(u, axis=0), 1.0, rtol=1e-12)
    # uniform on the sphere: E[u] = 0 (each component has variance 1/3), E[u u^T] = I/3
    # (the variance of u_i^2 is 4/45). Tolerances: 5 standard errors.
    assert np.all(np.abs(u.mean(axis=1)) < 5 * math.sqrt(1 / 3 / N))
    second = u @ u.T / N
    assert np.all(np.abs(np.diag(second) - 1 / 3) < 5 * math.sqrt(4 / 45 / N))
    off = second[~np.eye(3, dtype=bool)]
    assert np.all(np.abs(off) < 5 * math.sqrt(1 / 15 / N))  # Var(u_i u_j) = 1/15
