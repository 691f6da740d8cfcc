"""Sampled fragment ephemerides and cubic Hermite interpolation between the samples.

Between two samples ``k, k+1`` (step ``h``) the position is the cubic Hermite polynomial through
both positions and velocities (e.g. Montenbruck & Gill, *Satellite Orbits*, 2000, sec. 4.3 on
interpolation of ephemerides); its error is ``O(h^4)`` times the fourth derivative of the
position, under a centimetre for a 20 s step in low orbit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .geometry import SiteTeme, site_axes, site_between, site_teme


@dataclass(frozen=True)
class SampledStates:
    """TEME states of ``n`` fragments at ``T`` increasing times.

    Attributes
    ----------
    times_tt_s : (T,) array
    states : (T, 6, n) array, TEME, SI; NaN where a fragment no longer exists
    index : (n,) int array, the fragments' rows in the full fragment table
    """

    times_tt_s: NDArray
    states: NDArray
    index: NDArray
    _sites: dict[tuple[float, float, float], SiteTeme] = field(default_factory=dict, init=False, repr=False,
                                                               compare=False)
    _axes: dict[tuple[float, float, float], NDArray] = field(default_factory=dict, init=False, repr=False,
                                                             compare=False)

    def site(self, latitude_deg: float, longitude_deg: float, altitude_m: float, t_tt_s: NDArray) -> SiteTeme:
        """A ground site in TEME at times inside the sampled span: its axes at the sample times are
        computed once (:func:`~debriscope.sensors.geometry.site_teme`), then turned about z to
        ``t_tt_s`` (:func:`~debriscope.sensors.geometry.site_between`)."""
        key = (latitude_deg, longitude_deg, altitude_m)
        axes = self._axes.get(key)
        if axes is None:
            axes = self._axes[key] = site_axes(self.site_grid(latitude_deg, longitude_deg, altitude_m))
        return site_between(axes, self.times_tt_s, t_tt_s)

    def site_grid(self, latitude_deg: float, longitude_deg: float, altitude_m: float) -> SiteTeme:
        """A ground site in TEME at the sample times (computed once per site and chunk)."""
        key = (latitude_deg, longitude_deg, altitude_m)
        grid = self._sites.get(key)
        if grid is None:
            grid = self._sites[key] = site_teme(latitude_deg, longitude_deg, altitude_m, self.times_tt_s)
        return grid

    def interpolate(self, t_tt_s: NDArray, col: NDArray) -> tuple[NDArray, NDArray]:
        """Position and velocity (each (3, M)) of fragment columns ``col`` at times ``t_tt_s`` (M,).

        Times slightly outside the sampled span are extrapolated from the first or last interval.
        """
        t = np.asarray(t_tt_s, dtype=float)
        col = np.asarray(col, dtype=np.intp)
        times = self.times_tt_s
        k = np.clip(np.searchsorted(times, t, side="right") - 1, 0, times.size - 2)
        h = times[k + 1] - times[k]
        s = (t - times[k]) / h
        y0 = self.states[k, :, col].T  # (6, M)
        y1 = self.states[k + 1, :, col].T
        p0, v0, p1, v1 = y0[:3], y0[3:], y1[:3], y1[3:]
        s2, s3 = s * s, s * s * s
        h00, h10, h01, h11 = 2 * s3 - 3 * s2 + 1, s3 - 2 * s2 + s, -2 * s3 + 3 * s2, s3 - s2
        d00, d10, d01, d11 = 6 * s2 - 6 * s, 3 * s2 - 4 * s + 1, -6 * s2 + 6 * s, 3 * s2 - 2 * s
        r = h00 * p0 + h10 * h * v0 + h01 * p1 + h11 * h * v1
        v = (d00 * p0 + d01 * p1) / h + d10 * v0 + d11 * v1
        return r, v
