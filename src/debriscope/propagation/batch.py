"""Public entry points: validate the inputs, set aside the objects that leave Earth orbit (status
ESCAPED, never integrated), then dispatch the others to the fast or the reference mode."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..elements import leaves_earth_orbit
from .fast import predict_decay_fast, propagate_fast
from .forces import ForceModel
from .reference import predict_decay_reference, propagate_reference
from .results import DecayResult, Ephemeris, Status


def _check_inputs(state0_teme: ArrayLike, t0_tt_s: float, am_m2_kg: ArrayLike) -> tuple[NDArray, NDArray]:
    state = np.asarray(state0_teme, dtype=float)
    if state.ndim == 1 and state.shape[0] == 6:
        state = state.reshape(6, 1)
    if state.ndim != 2 or state.shape[0] != 6:
        raise ValueError(f"state0_teme must have shape (6, N) (components first), got {state.shape}")
    if not np.all(np.isfinite(state)):
        raise ValueError("state0_teme holds non-finite values")
    am = np.broadcast_to(np.asarray(am_m2_kg, dtype=float), (state.shape[1],)).copy()
    if not np.all(np.isfinite(am) & (am >= 0)):
        raise ValueError("am_m2_kg must be finite and >= 0 (area-to-mass ratio, m^2/kg)")
    if not np.isfinite(t0_tt_s):
        raise ValueError("t0_tt_s must be finite (TT seconds since J2000)")
    return state, am


def propagate(state0_teme: ArrayLike, t0_tt_s: float, times_tt_s: ArrayLike, am_m2_kg: ArrayLike,
              model: ForceModel) -> Ephemeris:
    """Propagate N objects to T output times.

    Parameters
    ----------
    state0_teme : (6, N) TEME position (m) and velocity (m/s) at ``t0_tt_s``.
    t0_tt_s : epoch of the states, TT seconds since J2000.
    times_tt_s : (T,) increasing output times >= ``t0_tt_s``.
    am_m2_kg : (N,) area-to-mass ratios (m^2/kg); the drag coefficient is ``model.cd``.
    model : the :class:`ForceModel` (mode, gravity, drag, atmosphere).

    Returns
    -------
    Ephemeris
        States (T, 6, N), NaN after an object's decay and for objects that leave Earth orbit
        (status ESCAPED); per-object status and decay epochs.
    """
    state, am = _check_inputs(state0_teme, t0_tt_s, am_m2_kg)
    times = np.atleast_1d(np.asarray(times_tt_s, dtype=float))
    if times.ndim != 1 or not np.all(np.isfinite(times)):
        raise ValueError("times_tt_s must be a finite 1-D array")
    if times.size and (times[0] < t0_tt_s or np.any(np.diff(times) < 0)):
        raise ValueError("times_tt_s must be increasing and not before t0_tt_s")
    run = propagate_fast if model.mode == "fast" else propagate_reference
    bound = ~leaves_earth_orbit(state[:3], state[3:])
    states = np.full((times.size, 6, state.shape[1]), np.nan)
    status = np.full(state.shape[1], int(Status.ESCAPED), dtype=np.int64)
    decay = np.full(state.shape[1], np.nan)
    if bound.any():
        states[:, :, bound], status[bound], decay[bound] = run(state[:, bound], float(t0_tt_s), times, am[bound],
                                                               model)
    return Ephemeris(times, states, status, decay)


def predict_decay(state0_teme: ArrayLike, t0_tt_s: float, am_m2_kg: ArrayLike, model: ForceModel,
                  max_days: float, progress: Callable[[int], None] | None = None) -> DecayResult:
    """Decay epochs (TT s; NaN if not decayed within ``max_days``) and status codes for N objects.

    ``progress(k)`` (fast mode) is told how many objects left the active set each simulated day.
    """
    state, am = _check_inputs(state0_teme, t0_tt_s, am_m2_kg)
    if not (np.isfinite(max_days) and max_days > 0):
        raise ValueError(f"max_days must be a positive number of days, got {max_days}")
    bound = ~leaves_earth_orbit(state[:3], state[3:])
    decay = np.full(state.shape[1], np.nan)
    status = np.full(state.shape[1], int(Status.ESCAPED), dtype=np.int64)
    if progress is not None and not bound.all():
        progress(int((~bound).sum()))
    if bound.any():
        sub, sub_am = state[:, bound], am[bound]
        if model.mode == "fast":
            decay[bound], status[bound] = predict_decay_fast(sub, float(t0_tt_s), sub_am, model, float(max_days),
                                                             progress)
        else:
            decay[bound], status[bound] = predict_decay_reference(sub, float(t0_tt_s), sub_am, model, float(max_days))
    return DecayResult(decay, status)
