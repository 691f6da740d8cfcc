"""The orbit estimator: an extended Kalman filter on position, velocity and ln B, window by window.

State ``(r, v, ln B)`` in TEME (m, m/s) with ``B = C_D A / m`` (m^2/kg), the solve-for ballistic
coefficient. The mean state follows the full force model of :mod:`debriscope.propagation`
(configured by the stage with the estimator's own atmosphere, so the estimator and the truth
differ as the 1962 centre and the real atmosphere did); the covariance follows the Keplerian
transition carried in equinoctial elements (:mod:`.kepler`) with the drag partial of ln B and
state noise compensation.

Why sequential: the catalog is maintained in time order; a Kalman filter's cost per pass does
not grow with the arc (a batch differential correction over a sliding arc re-integrates the arc
at every update), and its covariance is the prediction uncertainty that the gates and the tasking
need. References: Tapley, Schutz & Born, *Statistical Orbit Determination* (2004), sec. 4.7
(extended Kalman filter), sec. 4.9 (state noise compensation, eq. 4.9.50 for white-noise
acceleration), the update in 7 dimensions by the matrix inversion lemma; Vallado 2013, sec. 10.6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .kepler import kepler_stm


@dataclass(frozen=True)
class EstimatorParameters:
    """Estimator tuning, SI. Both noise levels are labelled estimates (drag mismodelling of a
    static atmosphere is of order 1e-6 m/s^2 with ~1,000 s correlation: PSD 1e-9 m^2/s^3)."""

    process_noise_psd_m2_s3: float = 1e-9
    ln_b_noise_per_day: float = 0.05
    b_prior_m2_kg: float = 0.05
    ln_b_prior_sigma: float = 1.5


def transition(states: NDArray, b_column: NDArray, dt_s: NDArray, states_to: NDArray | None = None) -> NDArray:
    """Transition matrices (N, 7, 7) of ``(r, v, ln B)`` over ``dt_s`` (N,) from states (6, N) to the
    reference states ``states_to`` (6, N) at the end.

    Keplerian block from :func:`kepler_stm`; the ln B column ``b_column`` (6, N) is
    ``d x(t) / d ln B``, from a twin propagation with a larger B (the drag's effect over the
    step, wherever the object is on its orbit).
    """
    n = states.shape[1]
    phi = np.zeros((n, 7, 7))
    phi[:, :6, :6] = kepler_stm(states, dt_s, states_to)
    phi[:, :6, 6] = b_column.T
    phi[:, 6, 6] = 1.0
    return phi


def process_noise(params: EstimatorParameters, dt_s: NDArray) -> NDArray:
    """State noise compensation (N, 7, 7) over ``dt_s`` (N,): white acceleration, random-walk ln B."""
    q = params.process_noise_psd_m2_s3
    dt = np.asarray(dt_s, dtype=float)
    out = np.zeros((dt.size, 7, 7))
    eye = np.eye(3)
    out[:, :3, :3] = (q * dt**3 / 3.0)[:, None, None] * eye
    out[:, :3, 3:6] = out[:, 3:6, :3] = (q * dt**2 / 2.0)[:, None, None] * eye
    out[:, 3:6, 3:6] = (q * dt)[:, None, None] * eye
    out[:, 6, 6] = params.ln_b_noise_per_day**2 * dt / 86400.0
    return out


def propagate_covariance(cov: NDArray, phi: NDArray, noise: NDArray) -> NDArray:
    """``Phi P Phi^T + Q`` for stacks (N, 7, 7)."""
    out = phi @ cov @ np.transpose(phi, (0, 2, 1)) + noise
    return 0.5 * (out + np.transpose(out, (0, 2, 1)))


def _root(cov: NDArray) -> NDArray:
    """A square root ``L`` with ``L L^T = cov`` for stacks (..., 7, 7), from the symmetric eigen-
    decomposition (eigenvalues below zero, from rounding, taken as zero)."""
    w, v = np.linalg.eigh(0.5 * (cov + np.swapaxes(cov, -1, -2)))
    return v * np.sqrt(np.clip(w, 0.0, None))[..., None, :]


def update(delta: NDArray, cov: NDArray, innovation: NDArray, h: NDArray, r_diag: NDArray) -> tuple[NDArray, NDArray]:
    """One EKF measurement update of the correction ``delta`` (7,) with covariance (7, 7).

    ``innovation`` (m,) is z - h(current estimate), ``h`` (m, 7) its partials, ``r_diag`` (m,)
    the (diagonal) measurement variances. The update is solved in the 7-dimensional space of the
    state, whatever the number m of measurements: with ``P = L L^T`` and the whitened partials
    ``U = R^-1/2 H L``, the matrix inversion lemma gives ``K = L M^-1 U^T R^-1/2`` and
    ``P+ = L M^-1 L^T`` with ``M = I + U^T U`` (Bierman, *Factorization Methods for Discrete
    Sequential Estimation*, 1977, ch. II; Tapley, Schutz & Born 2004, eq. 4.7.19): the same
    estimate as ``S = H P H^T + R`` inverted in m dimensions, at O(m) instead of O(m^3), and a
    covariance symmetric and non-negative by construction.
    """
    root = _root(cov)
    w_r = 1.0 / np.sqrt(r_diag)
    u = (h @ root) * w_r[:, None]  # (m, 7)
    m = np.eye(7) + u.T @ u
    gain_white = root @ np.linalg.solve(m, u.T)  # K R^1/2, (7, m)
    delta = delta + gain_white @ (innovation * w_r)
    cov = root @ np.linalg.solve(m, root.T)
    return delta, 0.5 * (cov + cov.T)


def mahalanobis2(innovation: NDArray, h: NDArray, cov: NDArray, r_diag: NDArray) -> NDArray:
    """Squared Mahalanobis distances (N,) of innovations (N, m) with partials (N, m, 7), covariances
    (N, 7, 7) and diagonal measurement variances (N, m): ``nu^T S^-1 nu`` with ``S = H P H^T + R``,
    evaluated in 7 dimensions by the matrix inversion lemma (see :func:`update`):
    ``w^T w - (U^T w)^T M^-1 (U^T w)`` with ``w = R^-1/2 nu``."""
    w_r = 1.0 / np.sqrt(r_diag)
    w = innovation * w_r
    u = (h @ _root(cov)) * w_r[:, :, None]  # (N, m, 7)
    m = np.eye(7) + np.swapaxes(u, 1, 2) @ u
    ut_w = np.einsum("nmi,nm->ni", u, w)
    return np.einsum("nm,nm->n", w, w) - np.einsum("ni,ni->n", ut_w, np.linalg.solve(m, ut_w[:, :, None])[:, :, 0])


def grouped_mahalanobis2(innovation: NDArray, h: NDArray, weight: NDArray, cov: NDArray, starts: NDArray) -> NDArray:
    """Squared Mahalanobis distances (G,) of groups of rows: rows ``starts[g]`` up to the next start
    form group ``g`` (a pass), with innovations (R, m), partials (R, m, 7), weights (R, m) =
    1 / sigma (0: a component not measured) and the group's covariance (G, 7, 7). The same identity
    as :func:`mahalanobis2`, its sums ``w^T w``, ``U^T w`` and ``U^T U`` taken row by row and added
    per group, so passes of different lengths are evaluated together."""
    group = np.repeat(np.arange(starts.size), np.diff(np.append(starts, innovation.shape[0])))
    w = innovation * weight
    u = np.einsum("rmi,rij->rmj", h, _root(cov)[group]) * weight[:, :, None]  # (R, m, 7)
    wtw = np.add.reduceat(np.einsum("rm,rm->r", w, w), starts)
    ut_w = np.add.reduceat(np.einsum("rmi,rm->ri", u, w), starts)
    m = np.eye(7) + np.add.reduceat(np.einsum("rmi,rmj->rij", u, u), starts)
    return wtw - np.einsum("gi,gi->g", ut_w, np.linalg.solve(m, ut_w[:, :, None])[:, :, 0])
