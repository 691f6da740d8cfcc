"""The force model: EGM96 zonal gravity (J2-J4) and drag in a co-rotating atmosphere.

a = -mu r/r^3 + a_zonal(J2..J4) - 1/2 Cd (A/m) rho |v_rel| v_rel,  v_rel = v - omega x r
(Montenbruck & Gill 2000 eq. 3.33 for the zonal potential; Vallado 2013 eq. 8-29 for drag).
Constants: EGM96 mu, R, J2-J4 (``debriscope.constants``). The propagation frame is TEME of date,
treated as inertial over the span; the Earth turns about its z axis by GMST82 at ``t_ref`` plus
``OMEGA_EARTH_RAD_S (t - t_ref)``; polar motion is neglected (< 10 m).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ..constants import J2, J3, J4, MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S, R_EARTH_GRAVITY_M
from ..frames import gmst82_rad
from . import kernels as K
from .atmosphere import Atmosphere, DensityGrid

MODES = ("fast", "reference")


@dataclass(frozen=True)
class ForceModel:
    """Everything a propagation needs besides the states.

    Parameters
    ----------
    zonal_degree : int
        0 (point mass), 2, 3 or 4: the highest EGM96 zonal harmonic.
    drag : bool
        Drag on or off (off: ``atmosphere`` is not used).
    cd : float
        Drag coefficient; multiplies every object's A/m.
    atmosphere : Atmosphere or None
        Density model evaluated at every right-hand side in reference mode and tabulated into a
        :class:`DensityGrid` in fast mode.
    mode : {"fast", "reference"}
        Numba Runge-Kutta-Nystrom with gridded density, or SciPy DOP853 (rtol 1e-10) with the
        model itself.
    step_s : float
        Fast mode ephemeris (:func:`propagate`) step of the fourth-order Runge-Kutta-Nystrom
        integrator (:func:`kernels._step`), shortened in the final plunge
        (:func:`kernels.plunge_step`). 30 s: 45-60 m after a day with drag off (docs/propagation.md).
    decay_step_s : float
        The same integrator's step for the numerically integrated revolutions of the averaged
        decay prediction (``averaged``): the last ones, where the perigee falls by 1 km or more
        per revolution, and those of objects that start below 150 km or decay that fast from the
        start. There the phase along the orbit does not matter and drag dwarfs the integrator's
        0.5 m per revolution in a at 60 s. 60 s: lifetimes within 0.2 % of those at 30 s over the
        flagship cloud; classical RK4 needed 15 s for that, because its stage positions miss the
        path by kilometres where drag varies on a ~30 km scale height. Without the averaged
        phase, decay prediction integrates with ``step_s`` (a slowly decaying orbit loses tens of
        metres of a per revolution: 60 s made such lifetimes 0.9 % short).
    decay_altitude_m : float
        Geodetic height at which an object is declared decayed.
    averaged : bool
        Fast-mode decay prediction: orbit-averaged phase (:func:`kernels.averaged_advance`) from the
        start (mean elements from one drag-free revolution) with the numerical kernel for the
        last revolutions (``False``: numerical throughout, with ``max_jump_revs``).
    max_jump_revs : int
        Fast mode: at most this many revolutions extrapolated after each integrated one while the
        perigee height exceeds ``jump_perigee_alt_m`` (0: integrate every step).
    jump_perigee_alt_m, jump_da_m : float
        Perigee height (above the EGM96 radius) below which every revolution is integrated, and
        the largest semi-major-axis decay one jump may extrapolate.
    t_ref_tt_s : float
        Epoch at which the Earth rotation angle is ``gmst_ref_rad``.
    """

    zonal_degree: int = 4
    drag: bool = True
    cd: float = 2.2
    atmosphere: Atmosphere | None = None
    mode: str = "fast"
    step_s: float = 30.0
    decay_step_s: float = 60.0
    decay_altitude_m: float = 100e3
    averaged: bool = True
    max_jump_revs: int = 15
    jump_perigee_alt_m: float = 200e3
    jump_da_m: float = 200.0
    t_ref_tt_s: float = 0.0
    gmst_ref_rad: float = 0.0
    rtol: float = 1e-10
    grid: DensityGrid | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.zonal_degree not in (0, 2, 3, 4):
            raise ValueError(f"zonal_degree {self.zonal_degree}: allowed 0, 2, 3, 4")
        if self.mode not in MODES:
            raise ValueError(f"mode {self.mode!r}: allowed {MODES}")
        if self.drag and self.atmosphere is None:
            raise ValueError("drag needs an atmosphere (e.g. Nrlmsis()); or set drag=False")
        if not (self.cd > 0 and self.step_s > 0 and self.decay_step_s > 0 and self.decay_altitude_m > 0):
            raise ValueError("cd, step_s, decay_step_s and decay_altitude_m must be positive")
        if self.drag and self.grid is None:
            object.__setattr__(self, "grid", DensityGrid.starting(self.atmosphere, self.t_ref_tt_s))

    @property
    def zonals(self) -> tuple[float, float, float]:
        """(J2, J3, J4) with the unused ones zero."""
        d = self.zonal_degree
        return (J2 if d >= 2 else 0.0, J3 if d >= 3 else 0.0, J4 if d >= 4 else 0.0)

    def earth_angle_rad(self, t_tt_s: float | NDArray) -> float | NDArray:
        """Earth rotation angle about TEME z: GMST82(t_ref) + omega (t - t_ref)."""
        return self.gmst_ref_rad + OMEGA_EARTH_RAD_S * (np.asarray(t_tt_s) - self.t_ref_tt_s)

    def kernel_params(self, k_offset: int = 0) -> NDArray:
        """The parameter vector ``prm`` of the kernels (:func:`kernels.acceleration`), its slots
        named ``kernels.P_*``; ``k_offset`` is the index of the first density slice passed with it."""
        j2, j3, j4 = self.zonals
        prm = np.empty(K.PRM_SIZE)
        prm[K.P_MU], prm[K.P_RE] = MU_EARTH_M3_S2, R_EARTH_GRAVITY_M
        prm[K.P_J2], prm[K.P_J3], prm[K.P_J4] = j2, j3, j4
        prm[K.P_OMEGA], prm[K.P_THETA_REF], prm[K.P_T_REF] = OMEGA_EARTH_RAD_S, self.gmst_ref_rad, self.t_ref_tt_s
        prm[K.P_DRAG] = 1.0 if self.drag else 0.0
        prm[K.P_T_ORIGIN] = self.grid.t_origin_tt_s if self.grid is not None else 0.0
        prm[K.P_SLICE_S] = self.grid.slice_s if self.grid is not None else 86400.0
        prm[K.P_K_OFFSET] = float(k_offset)
        return prm


def make_force_model(t_start_tt_s: float, atmosphere: Atmosphere | None, *, zonal_degree: int = 4, drag: bool = True,
                     cd: float = 2.2, mode: str = "fast", step_s: float = 30.0, decay_step_s: float = 60.0,
                     averaged: bool = True, decay_altitude_m: float = 100e3) -> ForceModel:
    """A :class:`ForceModel` with the Earth rotation anchored at ``t_start_tt_s`` (GMST82 there).

    The parameters are those of :class:`ForceModel` (SI); ``atmosphere`` is ignored without drag.
    A scenario's choices reach it as a ``models.json`` record through the stage adapters
    (:func:`debriscope.propagation.parameters.force_model_from_parameters`).
    """
    if not np.isfinite(t_start_tt_s):
        raise ValueError(f"t_start_tt_s = {t_start_tt_s}: allowed finite TT seconds since J2000")
    return ForceModel(
        zonal_degree=zonal_degree,
        drag=drag,
        cd=cd,
        atmosphere=atmosphere if drag else None,
        mode=mode,
        step_s=step_s,
        decay_step_s=decay_step_s,
        averaged=averaged,
        decay_altitude_m=decay_altitude_m,
        t_ref_tt_s=float(t_start_tt_s),
        gmst_ref_rad=float(np.ravel(gmst82_rad(float(t_start_tt_s)))[0]),
    )
