"""Lambert's problem over many pairs at once: lamberthub's Izzo solver in a compiled loop.

Izzo, D. (2015), "Revisiting Lambert's problem", Celest. Mech. Dyn. Astr. 121, 1-15, as implemented
in ``lamberthub`` (``izzo2015``, a Numba function; Jorge Martinez Garrido, GPL-3.0). Prograde,
zero-revolution (single-arc) transfers. The loop is compiled with ``cache=True``: the first call
compiles (some 20 s), later processes load it from the cache.

A pair whose solver fails (no convergence, a transfer time of zero or less) gets status
:data:`FAILED` and NaN velocities; the batch never aborts.
"""

from __future__ import annotations

import numba as nb
import numpy as np
from lamberthub import izzo2015
from numpy.typing import ArrayLike, NDArray

OK = 0
FAILED = 1


@nb.njit(cache=True)
def _solve_many(mu, r1, r2, tof, v1, v2, status):  # pragma: no cover - compiled
    for k in range(tof.size):
        if not tof[k] > 0.0:
            status[k] = FAILED
            continue
        try:
            a, b = izzo2015(mu, r1[:, k].copy(), r2[:, k].copy(), tof[k])
            for j in range(3):
                v1[j, k] = a[j]
                v2[j, k] = b[j]
            status[k] = OK
        except Exception:  # a non-converged pair becomes a status
            status[k] = FAILED


def solve_lambert(
    mu_m3_s2: float, r1_m: ArrayLike, r2_m: ArrayLike, tof_s: ArrayLike
) -> tuple[NDArray, NDArray, NDArray]:
    """Velocities at both ends of the prograde single-arc conics through ``r1`` and ``r2``.

    Parameters
    ----------
    mu_m3_s2 : float
        Gravitational parameter of the central body, m^3/s^2.
    r1_m, r2_m : array (3, N) or (3,)
        Positions at departure and arrival, m (any inertial frame; the result is in the same frame).
    tof_s : array (N,) or float
        Times of flight, s.

    Returns
    -------
    v1_mps, v2_mps : arrays (3, N)
        Velocities at departure and arrival, m/s (NaN where the solver failed).
    status : int8 array (N,)
        :data:`OK` or :data:`FAILED` per pair.
    """
    tof = np.array(tof_s, dtype=float, order="C", ndmin=1)
    n = tof.size
    # writable C-contiguous copies: a read-only view (broadcast_to of one pair) would compile _solve_many again
    r1 = np.array(np.broadcast_to(np.asarray(r1_m, dtype=float).reshape(3, -1), (3, n)), order="C")
    r2 = np.array(np.broadcast_to(np.asarray(r2_m, dtype=float).reshape(3, -1), (3, n)), order="C")
    v1 = np.full((3, n), np.nan)
    v2 = np.full((3, n), np.nan)
    status = np.zeros(n, dtype=np.int8)
    _solve_many(float(mu_m3_s2), r1, r2, tof, v1, v2, status)
    return v1, v2, status
