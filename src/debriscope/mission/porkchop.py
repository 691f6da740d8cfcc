"""The launch window as a porkchop: C3 and arrival v_inf over a grid of departure and arrival dates.

Each grid point is one Lambert solution between the DE421 states of the two planets (the method of
:mod:`debriscope.mission.transfer`), all solved in one compiled loop: the ephemeris is evaluated once
per date, not once per pair. Pairs with an arrival before the departure, or whose solver fails, are NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..constants import GM_SUN_M3_S2
from .arrival import ECLIPTIC_POLE_ICRF
from .ephemeris import heliocentric_state
from .lambert import solve_lambert


@dataclass(frozen=True)
class Porkchop:
    """C3 (km^2/s^2), arrival v_inf (km/s) and whether the arc is Type I (heliocentric transfer angle
    under 180 deg), shape (n_departure, n_arrival), over TT epochs (s)."""

    t_dep_tt_s: NDArray
    t_arr_tt_s: NDArray
    c3_km2_s2: NDArray
    v_inf_arr_km_s: NDArray
    type_one: NDArray

    def minimum(self, transfer_type: int | None = None) -> tuple[float, float, float]:
        """Lowest C3 of the grid (of Type I or II arcs only if ``transfer_type`` is 1 or 2):
        ``(t_dep_tt_s, t_arr_tt_s, c3_km2_s2)``."""
        c3 = self.c3_km2_s2
        if transfer_type is not None:
            c3 = np.where(self.type_one == (transfer_type == 1), c3, np.nan)
        k = np.nanargmin(c3)
        i, j = np.unravel_index(k, c3.shape)
        return float(self.t_dep_tt_s[i]), float(self.t_arr_tt_s[j]), float(self.c3_km2_s2[i, j])


def porkchop(target: str, t_dep_tt_s: NDArray, t_arr_tt_s: NDArray, origin: str = "earth") -> Porkchop:
    """Solve every (departure, arrival) pair of the two date grids (TT s)."""
    t_dep = np.asarray(t_dep_tt_s, dtype=float)
    t_arr = np.asarray(t_arr_tt_s, dtype=float)
    r1, vp1 = heliocentric_state(origin, t_dep)
    r2, vp2 = heliocentric_state(target, t_arr)
    nd, na = t_dep.size, t_arr.size
    i = np.repeat(np.arange(nd), na)
    j = np.tile(np.arange(na), nd)
    v1, v2, _ = solve_lambert(GM_SUN_M3_S2, r1[:, i], r2[:, j], t_arr[j] - t_dep[i])
    c3 = np.sum((v1 - vp1[:, i]) ** 2, axis=0) / 1e6
    v_arr = np.linalg.norm(v2 - vp2[:, j], axis=0) / 1e3
    type_one = np.cross(r1[:, i], r2[:, j], axis=0).T @ ECLIPTIC_POLE_ICRF > 0.0  # prograde angle < 180 deg
    return Porkchop(t_dep, t_arr, c3.reshape(nd, na), v_arr.reshape(nd, na), type_one.reshape(nd, na))
