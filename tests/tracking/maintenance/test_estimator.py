"""The EKF update and gate in 7 dimensions against the textbook m-dimensional formulas."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.tracking.maintenance.estimator import grouped_mahalanobis2, mahalanobis2, update


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


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), lengths=st.lists(st.integers(1, 12), min_size=1, max_size=6))
def test_grouped_mahalanobis_equals_the_innovation_covariance_form_per_pass(seed, lengths):
    """Passes of different lengths, rows of four components with some not measured (weight 0),
    evaluated together: each d^2 equals nu^T (H P H^T + R)^-1 nu of its own measured components."""
    rng = np.random.default_rng(seed)
    inn, h, weight, cov, ref = [], [], [], [], []
    for g, k in enumerate(lengths):
        _, c, nu, hh, r = _case(seed + g, 4 * k)
        measured = rng.uniform(size=4 * k) < 0.8
        measured[0] = True
        inn.append(nu.reshape(k, 4))
        h.append(hh.reshape(k, 4, 7))
        weight.append(np.where(measured, 1.0 / np.sqrt(r), 0.0).reshape(k, 4))
        cov.append(c)
        m = measured
        ref.append(nu[m] @ np.linalg.solve(hh[m] @ c @ hh[m].T + np.diag(r[m]), nu[m]))
    starts = np.cumsum([0, *lengths[:-1]])
    got = grouped_mahalanobis2(np.concatenate(inn), np.concatenate(h), np.concatenate(weight), np.array(cov), starts)
    np.testing.assert_allclose(got, ref, rtol=1e-6)
