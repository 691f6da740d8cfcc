"""The estimator's dynamics: the force model of this package integrated with fixed steps to
requested times on either side of an epoch, vectorised over columns; and the descent to a height.

Orbit determination (:mod:`debriscope.tracking`) needs what :func:`debriscope.propagation.propagate`
does not give: states *before* the epoch (a fit's epoch is the end of its arc; an element set's
ephemeris runs backwards too), columns at different epochs moved to one time, the same steps for
every column so that perturbed copies of a state (finite-difference partials) share their
truncation error, and the time and place a trajectory meets a height (the impact of a ballistic
object). The physics is this package's: the :class:`ForceModel` (EGM96 zonal gravity to
``zonal_degree``, Montenbruck & Gill 2000 eq. 3.33; drag in the model's atmosphere, Vallado 2013
eq. 8-29) and the fourth-order Runge-Kutta-Nystrom step of :func:`kernels._step`, run by the
compiled loops of :func:`kernels.fixed_step_states` and :func:`kernels.descend_to_height`. Between
consecutive output times each column takes ``ceil(|span| / step_s)`` equal steps (negative ones
backwards); there is no decay event (a state below the density grid sees the density at its
lowest node).

The estimator's model is not the truth's: tracking builds it with its own atmosphere (the
exponential model of Vallado 2013 table 8-4 by default) and B = Cd A/m as a solve-for parameter.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import kernels
from .fast import _grid_for
from .forces import ForceModel

PASS_STEP_S = 10.0
"""Step of the drag-free model over a pass, s (:func:`gravity_model`)."""


def gravity_model(zonal_degree: int = 2, step_s: float = PASS_STEP_S) -> ForceModel:
    """A drag-free model: EGM96 zonal gravity to ``zonal_degree`` (0: two-body), step ``step_s``.

    Over one radar pass (minutes) drag is negligible and two-body + J2 is usual for orbit
    determination; 10 s keeps the Runge-Kutta-Nystrom truncation under a metre per revolution in
    low orbit (tests/propagation/test_estimator_dynamics.py).
    """
    return ForceModel(zonal_degree=zonal_degree, drag=False, step_s=step_s)


PASS_MODEL = gravity_model()
"""Two-body + J2 at :data:`PASS_STEP_S`: single-pass orbit determination, linking, the impact search."""


def _columns(state: ArrayLike) -> tuple[NDArray, bool]:
    x = np.asarray(state, dtype=float)
    if x.shape[0] not in (3, 6):
        raise ValueError(f"states must have 6 (or 3: positions) rows, got shape {x.shape}")
    squeeze = x.ndim == 1
    x = x.reshape(x.shape[0], -1)
    if x.shape[0] == 3:
        x = np.concatenate([x, np.zeros_like(x)])
    return x, squeeze


def _per_column(value: ArrayLike, n: int) -> NDArray:
    """``value`` (scalar or (n,)) as a new writable C-contiguous float64 (n,) array: the one array
    type the kernels are compiled for (a read-only broadcast view would compile them again)."""
    return np.array(np.broadcast_to(np.asarray(value, dtype=float), (n,)), order="C")


def _field(model: ForceModel, t_lo: float, t_hi: float) -> tuple:
    """The kernels' field arguments (prm, grid, alt_nodes, alt_lut, gax) covering [t_lo, t_hi]."""
    if not model.drag or model.grid is None:
        return _slices_field(model, 0, 0, ())
    k = model.grid.slice_index(np.array([t_lo, t_hi]))
    ax = model.grid.axes  # the grid is not part of the model's hash: its band is
    return _slices_field(model, int(k[0]), int(k[1]), (ax.lat0_deg, ax.nlat, ax.alt_km.size))


@lru_cache(maxsize=64)
def _slices_field(model: ForceModel, k0: int, k1: int, band: tuple) -> tuple:
    """:func:`_field` for the density slices ``k0..k1 + 1``, memoised: a fit propagates the same span
    hundreds of times (stacking the slices cost a fifth of a multi-pass fit). The kernels only read
    the arrays."""
    t_lo = t_hi = 0.0
    if model.drag and model.grid is not None:  # times inside slices k0 and k1 (their centres + half a slice)
        g = model.grid
        t_lo, t_hi = g.t_origin_tt_s + (k0 + 1.0) * g.slice_s, g.t_origin_tt_s + (k1 + 1.0) * g.slice_s
    grid, alt_nodes, alt_lut, gax, k_first = _grid_for(model, t_lo, t_hi)
    return model.kernel_params(k_first), grid, alt_nodes, alt_lut, gax


def propagate_states(
    state0_teme: ArrayLike,
    t0_tt_s: float | ArrayLike,
    times_tt_s: ArrayLike,
    am_m2_kg: ArrayLike,
    model: ForceModel,
    *,
    step_s: float | None = None,
) -> NDArray:
    """States at ``times_tt_s`` (any order, either side of the epochs) of columns ``(6, N)``.

    Parameters
    ----------
    state0_teme : (6, N) or (6,) TEME states, m and m/s.
    t0_tt_s : their epoch, TT s; one per column (N,) for columns at different epochs.
    times_tt_s : (T,) output times, TT s.
    am_m2_kg : (N,) or scalar area-to-mass ratios; the drag coefficient is ``model.cd``.
    model : the force model (its ``step_s`` unless ``step_s`` is given).

    Returns
    -------
    numpy.ndarray
        (T, 6, N); (T, 6) for a 1-D state. NaN from where a column stops being finite.
    """
    x0, squeeze = _columns(state0_teme)
    n = x0.shape[1]
    t0 = _per_column(t0_tt_s, n)
    times = np.atleast_1d(np.asarray(times_tt_s, dtype=float))
    cd_am = _per_column(model.cd * np.asarray(am_m2_kg, dtype=float), n)
    h = float(model.step_s if step_s is None else step_s)
    if not h > 0:
        raise ValueError(f"step_s must be positive, got {h}")
    out = np.empty((times.size, n, 6))
    if times.size and n:
        fld = _field(model, float(min(times.min(), t0.min())), float(max(times.max(), t0.max())))
        rows = np.ascontiguousarray(x0.T)
        t_ref = float(t0[0])
        if np.all(t0 == t_ref):  # outputs in order of distance from the epoch, each side once
            for after in (True, False):
                sel = np.flatnonzero(times >= t_ref) if after else np.flatnonzero(times < t_ref)
                if sel.size:
                    order = sel[np.argsort(np.abs(times[sel] - t_ref), kind="stable")]
                    part = np.empty((order.size, n, 6))
                    kernels.fixed_step_states(t0, np.ascontiguousarray(times[order]), rows, cd_am, *fld, h, part)
                    out[order] = part
        else:
            for i, t in enumerate(times):
                part = np.empty((1, n, 6))
                kernels.fixed_step_states(t0, np.array([t]), rows, cd_am, *fld, h, part)
                out[i] = part[0]
    states = out.transpose(0, 2, 1)
    return states[:, :, 0] if squeeze else states


def propagate_to_height(
    state0_teme: ArrayLike,
    t0_tt_s: float,
    height_m: float,
    max_duration_s: float,
    model: ForceModel,
    *,
    am_m2_kg: ArrayLike = 0.0,
    step_s: float | None = None,
) -> tuple[NDArray, NDArray]:
    """Propagate forward until each column first descends through the geodetic ``height_m``.

    Returns
    -------
    t_cross_tt_s : numpy.ndarray
        (N,) crossing times, TT s; NaN where a column starts at or below the height or does not
        reach it within ``max_duration_s``.
    state_cross : numpy.ndarray
        (6, N) TEME states at the crossings (NaN where none).
    """
    x0, _ = _columns(state0_teme)
    n = x0.shape[1]
    h = float(model.step_s if step_s is None else step_s)
    if not (h > 0 and max_duration_s >= 0):
        raise ValueError(f"step_s must be positive and max_duration_s >= 0, got {h}, {max_duration_s}")
    cd_am = _per_column(model.cd * np.asarray(am_m2_kg, dtype=float), n)
    t_out = np.full(n, np.nan)
    x_out = np.full((n, 6), np.nan)
    n_steps = int(np.ceil(max_duration_s / h))
    if n:
        fld = _field(model, float(t0_tt_s), float(t0_tt_s) + max_duration_s)
        kernels.descend_to_height(float(t0_tt_s), np.ascontiguousarray(x0.T), cd_am, *fld, float(height_m), h,
                                  n_steps, t_out, x_out)
    return t_out, x_out.T.copy()


def acceleration(state_teme: ArrayLike, t_tt_s: float, model: ForceModel, am_m2_kg: ArrayLike = 0.0) -> NDArray:
    """Accelerations (3, N), m/s^2, of TEME states (6, N) at ``t_tt_s`` (positions (3, N) alone: at
    rest, which a drag-free model does not need)."""
    x, _ = _columns(state_teme)
    n = x.shape[1]
    cd_am = _per_column(model.cd * np.asarray(am_m2_kg, dtype=float), n)
    out = np.empty((n, 3))
    if n:
        kernels.accelerations(float(t_tt_s), np.ascontiguousarray(x.T), cd_am, *_field(model, t_tt_s, t_tt_s), out)
    return out.T.copy()
