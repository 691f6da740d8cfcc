"""The EKF update and gate in 7 dimensions against the textbook m-dimensional formulas."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.tracking.maintenance.estimator import mahalanobis2, update


def _case(seed: int, m: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(7, 7)) * np.array([1e3, 1e3, 1e3, 1.0, 1.0, 1.0, 0.3])[:, None]
    cov = a @ a.T + np.diag([1.0, 1.0, 1.0, 1e-4, 1e-4, 1e-4, 1e-3])
    h = rng.normal(size=(m, 7)) * rng.uniform(1e-4, 1.0, size=m)[:, None]
    r = rng.uniform(1e-6, 1e2, size=m)
    inn = rng.normal(size=m) * np.sqrt(r + np.einsum("mi,ij,mj->m", h, cov, h))
    delta = rng.normal(size=7)
    return delta, cov, inn, h, r


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), m=st.integers(1, 40))
def test_update_equals_the_kalman_gain_and_joseph_form(seed, m):
    delta, cov, inn, h, r = _case(seed, m)
    s = h @ cov @ h.T + np.diag(r)
    k = cov @ h.T @ np.linalg.inv(s)
    i_kh = np.eye(7) - k @ h
    cov_ref = i_kh @ cov @ i_kh.T + k @ np.diag(r) @ k.T
    d, c = update(delta, cov, inn, h, r)
    np.testing.assert_allclose(d, delta + k @ inn, rtol=1e-6, atol=1e-9 * np.abs(delta + k @ inn).max())
    np.testing.assert_allclose(c, cov_ref, rtol=1e-6, atol=1e-9 * np.abs(cov_ref).max())
    assert np.all(np.linalg.eigvalsh(c) >= -1e-12 * np.abs(c).max())


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), m=st.integers(1, 12))
def test_mahalanobis_equals_the_innovation_covariance_form(seed, m):
    cases = [_case(seed + i, m) for i in range(3)]
    inn = np.array([c[2] for c in cases])
    h = np.array([c[3] for c in cases])
    cov = np.array([c[1] for c in cases])
    r = np.array([c[4] for c in cases])
    ref = [c[2] @ np.linalg.solve(c[3] @ c[1] @ c[3].T + np.diag(c[4]), c[2]) for c in cases]
    np.testing.assert_allclose(mahalanobis2(inn, h, cov, r), ref, rtol=1e-6)


def test_a_singular_covariance_is_handled():
    """A covariance with a zero direction (an unobservable ln B held fixed) stays non-negative."""
    delta, cov, inn, h, r = _case(3, 5)
    cov[6, :] = cov[:, 6] = 0.0
    d, c = update(delta, cov, inn, h, r)
    assert d[6] == delta[6] and np.allclose(c[6], 0.0)
    assert np.all(np.isfinite(c)) and np.linalg.eigvalsh(c).min() >= -1e-9 * np.abs(c).max()
