"""Helpers of the sensor tests: a two-body sampler standing in for the propagator, a test cloud."""

from __future__ import annotations

import numpy as np

from debriscope.elements import elements_to_rv, mean_to_true, rv_to_elements, true_to_mean

EVENT_UTC = "1962-10-24T18:56:00Z"


def kepler_states(state0: np.ndarray, t0_tt_s: float, times_tt_s: np.ndarray) -> np.ndarray:
    """Two-body states (T, 6, N) from TEME states (6, N) at ``t0_tt_s`` (Kepler's equation, Vallado alg. 10)."""
    el = rv_to_elements(state0[:3], state0[3:])
    n = np.sqrt(3.986004415e14 / el.a_m**3)
    m0 = true_to_mean(el.nu_rad, el.e)
    out = np.empty((len(times_tt_s), 6, state0.shape[1]))
    for k, t in enumerate(times_tt_s):
        nu = mean_to_true(m0 + n * (t - t0_tt_s), el.e)
        r, v = elements_to_rv(el.a_m, el.e, el.i_rad, el.raan_rad, el.argp_rad, nu)
        out[k, :3], out[k, 3:] = r, v
    return out


def kepler_chunk(state: np.ndarray, t0: float, times: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """A ``PropagateChunk`` that ignores drag."""
    return kepler_states(state, t0, times)


def cloud(n: int, seed: int = 1, raan_deg: float = 200.0) -> np.ndarray:
    """TEME states (6, n) of a small cloud near a 180 x 485 km, 64.9 deg orbit."""
    rng = np.random.default_rng(seed)
    re = 6378137.0
    a = re + (180e3 + 485e3) / 2
    e = (485e3 - 180e3) / (2 * a)
    r, v = elements_to_rv(a, e, np.radians(64.9), np.radians(raan_deg), np.radians(120.0), np.radians(60.0))
    dv = rng.normal(0.0, 30.0, (3, n))
    return np.vstack([np.repeat(r, n, axis=1), v + dv])
