"""Two-body motion and its state transition matrix, vectorised (covariance propagation only).

The estimator's mean states follow the full force model of :mod:`debriscope.propagation`; their
covariances are carried over short steps (at most a window) with the Keplerian state transition
matrix evaluated on the current state, the usual approximation for covariance propagation over
short arcs (Montenbruck & Gill 2000, sec. 7.1.2; Vallado 2013, sec. 10.6). The matrix is built
by central differences of Kepler's equation solved through the classical elements
(:func:`debriscope.elements.rv_to_elements` / :func:`~debriscope.elements.elements_to_rv`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ...constants import MU_EARTH_M3_S2
from ...elements import elements_to_rv, mean_to_true, rv_to_elements, true_to_mean

_STEP = np.array([10.0, 10.0, 10.0, 0.01, 0.01, 0.01])
"""Central-difference steps, m and m/s."""


def kepler(states: NDArray, dt_s: NDArray) -> NDArray:
    """Two-body states (6, N) after ``dt_s`` (N,) seconds (elliptic orbits; NaN otherwise)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        el = rv_to_elements(states[:3], states[3:])
        n = np.sqrt(MU_EARTH_M3_S2 / np.where(el.a_m > 0, el.a_m, np.nan) ** 3)
        m = true_to_mean(el.nu_rad, el.e) + n * dt_s
        r, v = elements_to_rv(el.a_m, el.e, el.i_rad, el.raan_rad, el.argp_rad, mean_to_true(m, el.e))
    out = np.concatenate([r, v])
    out[:, ~(el.e < 1.0)] = np.nan
    return out


def kepler_stm(states: NDArray, dt_s: NDArray) -> NDArray:
    """Keplerian state transition matrices (N, 6, 6) over ``dt_s`` (N,) from states (6, N)."""
    n = states.shape[1]
    stacked = np.repeat(states[:, None, :], 12, axis=1)  # (6, 12, N): +/- each component
    for i in range(6):
        stacked[i, 2 * i] += _STEP[i]
        stacked[i, 2 * i + 1] -= _STEP[i]
    out = kepler(stacked.reshape(6, 12 * n), np.tile(dt_s, 12)).reshape(6, 12, n)
    phi = (out[:, 0::2, :] - out[:, 1::2, :]) / (2.0 * _STEP)[None, :, None]  # (6 out, 6 in, N)
    return np.transpose(phi, (2, 0, 1))
