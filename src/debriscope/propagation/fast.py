"""Fast mode: the Numba Runge-Kutta-Nystrom kernel over the whole cloud, with NRLMSIS tabulated
every 12 hours.

Time advances in chunks of one day (two when predicting decay; the density slices a chunk needs
are built lazily, in the latitude band the active objects' inclinations reach); inside a chunk
every active object is integrated independently and in parallel (:func:`kernels.numerical_advance`).
Decayed and failed objects leave the active set.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace

import numba
import numpy as np
from numpy.typing import NDArray

from . import kernels
from .atmosphere import altitude_top_km, latitude_band_deg
from .forces import ForceModel
from .results import Status

_CHUNK_S = 86400.0
DECAY_CHUNK_S = 2 * 86400.0
"""Decay prediction advances 2 days per kernel call (room for multi-revolution jumps; measured
faster than 1 day on a long-lived cloud and than 4 days on the short-lived flagship cloud)."""
_EMPTY_GRID = np.zeros((1, 2, 2, 2))
_EMPTY_ALT = np.array([0.0, 1.0])


_EMPTY_LUT = kernels.altitude_lut(_EMPTY_ALT)
_POOL: tuple[int, ThreadPoolExecutor] | None = None


def _workers() -> ThreadPoolExecutor:
    """The worker threads of :func:`on_threads`, started once per process (a forked process, such
    as an ensemble worker, starts its own)."""
    global _POOL
    if _POOL is None or _POOL[0] != os.getpid():
        _POOL = (os.getpid(), ThreadPoolExecutor(max(1, numba.config.NUMBA_NUM_THREADS - 1), "debriscope-kernel"))
    return _POOL[1]


def on_threads(driver: Callable[..., None], *args: object) -> None:
    """Run a row-claiming driver (:func:`kernels.numerical_advance`, :func:`kernels.averaged_advance`)
    with ``args`` on ``numba.get_num_threads()`` threads at once: the calling thread and pool
    workers share one row counter, each object is advanced by one thread, so the results do not
    depend on the number of threads."""
    next_row = np.zeros(1, dtype=np.int64)
    if not driver.signatures:  # compiled (or loaded from Numba's cache) on this thread before the workers start
        driver.compile(tuple(driver.typeof_pyval(a) for a in (*args, next_row)))
    n_threads = numba.get_num_threads()
    running = [_workers().submit(driver, *args, next_row) for _ in range(n_threads - 1)]
    try:
        driver(*args, next_row)
    finally:
        for worker in running:
            worker.result()


def _grid_for(model: ForceModel, t0: float, t1: float, reuse: NDArray | None = None
              ) -> tuple[NDArray, NDArray, NDArray, NDArray, int]:
    """Slices covering [t0, t1], altitude nodes, their cell table, [lat0, dlat, dlst], first slice.

    ``reuse``: the slices array of the previous chunk, overwritten when its shape fits
    (:meth:`DensityGrid.slices`); the caller must no longer need its contents."""
    if not model.drag or model.grid is None:
        return _EMPTY_GRID, _EMPTY_ALT, _EMPTY_LUT, np.array([0.0, 1.0, 1.0]), 0
    g = model.grid
    k0 = int(g.slice_index(t0))
    k1 = int(g.slice_index(t1)) + 1  # time interpolation needs the slice after t1
    ax = g.axes
    out = reuse if reuse is not None and reuse is not _EMPTY_GRID else None
    gax = np.empty(3)
    gax[kernels.GAX_LAT0], gax[kernels.GAX_DLAT], gax[kernels.GAX_DLST] = ax.lat0_deg, ax.dlat_deg, ax.dlst_h
    return g.slices(k0, k1, out), ax.alt_km, kernels.altitude_lut(ax.alt_km), gax, k0


def _banded(model: ForceModel, states: NDArray) -> ForceModel:
    """``model`` with its density grid restricted to the latitudes and heights the (N, 6) states'
    orbits reach (:func:`atmosphere.latitude_band_deg`, :func:`atmosphere.altitude_top_km`): only
    those NRLMSIS points are computed; the same model when no band is narrower than the grid.

    In the averaged phase a row of ``states`` may be the osculating state at the start of that
    phase or at its last calibration; drag in the co-rotating air only lowers a prograde
    inclination (hundredths of a degree over a decay) and the apogee, so the band from it still
    contains every latitude and height reached."""
    if not model.drag or model.grid is None:
        return model
    grid = model.grid.banded(latitude_band_deg(states.T), altitude_top_km(states.T))
    return model if grid is model.grid else replace(model, grid=grid)


SERIAL_BELOW = 16
"""Fewer objects than this are advanced on one thread: the parallel launch then costs more than it
saves (one object, 360 one-minute outputs: 3.6 s on two threads of a busy 2-core machine, 4 ms on
one; the results are the same, each object being integrated on its own)."""


@contextmanager
def limited_threads(n_threads: int) -> Iterator[None]:
    """At most ``n_threads`` Numba threads inside the block (the results do not depend on it).

    For callers that advance few objects many times (the catalog maintenance loop): each parallel
    launch synchronises the threads, which on a busy machine costs milliseconds (measured: 6,424
    launches of a few hundred objects, 57.6 s on two threads of a loaded 2-core machine, 0.8 s on one).
    """
    previous = numba.get_num_threads()
    if n_threads >= previous:
        yield
        return
    numba.set_num_threads(max(1, n_threads))
    try:
        yield
    finally:
        numba.set_num_threads(previous)


def threads_for(n_objects: int) -> contextlib.AbstractContextManager[None]:
    """One Numba thread while fewer than :data:`SERIAL_BELOW` objects are advanced."""
    return limited_threads(1) if n_objects < SERIAL_BELOW else contextlib.nullcontext()


def advance(model: ForceModel, states: NDArray, active: NDArray, cd_am: NDArray, t0: float, t1: float,
            status: NDArray, decay_t: NDArray, chunk_s: float = _CHUNK_S, jumps: bool = False) -> None:
    """Advance active rows of ``states`` (N, 6) in place from t0 to t1 (chunks of ``chunk_s``);
    multi-revolution jumps only with ``jumps`` (decay prediction), never for dense output."""
    with threads_for(int(active.sum())):
        _advance(model, states, active, cd_am, t0, t1, status, decay_t, chunk_s, jumps)


def _advance(model: ForceModel, states: NDArray, active: NDArray, cd_am: NDArray, t0: float, t1: float,
             status: NDArray, decay_t: NDArray, chunk_s: float, jumps: bool) -> None:
    t = t0
    max_jump = model.max_jump_revs if jumps else 0
    grid = None
    while t < t1 and active.any():
        t_next = min(t1, t + chunk_s)
        grid, alt_nodes, alt_lut, gax, k0 = _grid_for(model, t, t_next, grid)
        on_threads(kernels.numerical_advance, t, t_next, states, active, cd_am, model.kernel_params(k0), grid,
                   alt_nodes, alt_lut, gax, model.step_s, model.decay_altitude_m, status, decay_t, max_jump,
                   model.jump_perigee_alt_m, model.jump_da_m)
        t = t_next


def propagate_fast(state0_teme: NDArray, t0_tt_s: float, times_tt_s: NDArray, am_m2_kg: NDArray,
                   model: ForceModel) -> tuple[NDArray, NDArray, NDArray]:
    """States (T, 6, N), status (N,) and decay epochs (N,) at the requested times."""
    n = state0_teme.shape[1]
    states = np.array(state0_teme.T, dtype=float, order="C", copy=True)  # never a view of the input
    active = np.ones(n, dtype=np.bool_)
    status = np.zeros(n, dtype=np.int64)
    decay_t = np.full(n, np.nan)
    cd_am = model.cd * am_m2_kg if model.drag else np.zeros(n)
    out = np.full((len(times_tt_s), 6, n), np.nan)
    model = _banded(model, states)
    with threads_for(n):
        _dense(model, states, active, cd_am, t0_tt_s, times_tt_s, status, decay_t, out)
    return out, status, decay_t


def _dense(model: ForceModel, states: NDArray, active: NDArray, cd_am: NDArray, t0_tt_s: float, times_tt_s: NDArray,
           status: NDArray, decay_t: NDArray, out: NDArray) -> None:
    """Fill ``out`` (T, 6, N) with the states at ``times_tt_s``."""
    t = t0_tt_s
    span: tuple[float, tuple, NDArray] | None = None  # density slices covering [t, span end], reused across outputs
    serial = numba.get_num_threads() == 1
    k, n_times = 0, len(times_tt_s)
    while k < n_times:
        tk = float(times_tt_s[k])
        if tk - t > _CHUNK_S:
            advance(model, states, active, cd_am, t, tk, status, decay_t)
        elif active.any():
            if span is None or tk > span[0]:
                t_hi = min(float(times_tt_s[-1]), t + _CHUNK_S)
                grid_span = _grid_for(model, t, t_hi, None if span is None else span[1][0])
                span = (t_hi, grid_span, model.kernel_params(grid_span[4]))  # parameters once per span
            grid, alt_nodes, alt_lut, gax, _ = span[1]
            args = (states, active, cd_am, span[2], grid, alt_nodes, alt_lut, gax, model.step_s,
                    model.decay_altitude_m, status, decay_t, 0, model.jump_perigee_alt_m, model.jump_da_m)
            if serial:  # every output of the span in one compiled call (a Python call per output costs more than its steps)
                k_end = int(np.searchsorted(times_tt_s, span[0], side="right"))
                _dense_serial(t, times_tt_s, k, k_end, out, *args)
                k, t = k_end, float(times_tt_s[k_end - 1])
                continue
            on_threads(kernels.numerical_advance, t, tk, *args)
        np.copyto(out[k].T, states, where=active[:, None])  # the active rows (a third of the time of a masked copy)
        t = tk
        k += 1


@numba.njit(cache=True, nogil=True)
def _dense_serial(t, times, k0, k1, out, states, active, *args):  # pragma: no cover - compiled
    """:func:`kernels.numerical_advance` on the calling thread from ``t`` to each of ``times[k0:k1]``,
    the active rows copied into ``out[k]`` after each: the loop of :func:`_dense`, compiled."""
    next_row = np.zeros(1, dtype=np.int64)
    for k in range(k0, k1):
        next_row[0] = 0
        kernels.numerical_advance(t, times[k], states, active, *args, next_row)
        for j in range(states.shape[0]):
            if active[j]:
                for i in range(6):
                    out[k, i, j] = states[j, i]
        t = times[k]


def predict_decay_fast(state0_teme: NDArray, t0_tt_s: float, am_m2_kg: NDArray, model: ForceModel,
                       max_days: float, progress: Callable[[int], None] | None = None
                       ) -> tuple[NDArray, NDArray]:
    """Decay epochs and status codes, integrating in chunks of ``DECAY_CHUNK_S`` until all decay
    or ``max_days``.

    ``progress(k)`` is called with the number of objects that left the active set in each chunk.
    """
    n = state0_teme.shape[1]
    states = np.array(state0_teme.T, dtype=float, order="C", copy=True)  # never a view of the input
    active = np.ones(n, dtype=np.bool_)
    status = np.full(n, int(Status.OK), dtype=np.int64)
    decay_t = np.full(n, np.nan)
    cd_am = model.cd * am_m2_kg if model.drag else np.zeros(n)
    t_end = t0_tt_s + max_days * 86400.0
    aux = np.zeros((n, kernels.AUX_SIZE))
    aux[:, kernels.AUX_T] = t0_tt_s
    t = t0_tt_s
    grid = None
    while t < t_end and active.any():
        t_next = min(t_end, t + DECAY_CHUNK_S)
        before = int(active.sum())
        idx = np.flatnonzero(active)  # compact the active set for the kernel
        sub_states = np.ascontiguousarray(states[idx])
        sub_active = np.ones(idx.size, dtype=np.bool_)
        sub_status = status[idx].copy()
        sub_decay = decay_t[idx].copy()
        chunk_model = _banded(model, sub_states)  # the band narrows as high-inclination objects decay
        if model.averaged:
            sub_aux = np.ascontiguousarray(aux[idx])
            grid, alt_nodes, alt_lut, gax, k0 = _grid_for(chunk_model, t, t_next, grid)
            on_threads(kernels.averaged_advance, t_next, sub_states, sub_aux, sub_active, cd_am[idx],
                       chunk_model.kernel_params(k0), grid, alt_nodes, alt_lut, gax, model.decay_step_s,
                       model.decay_altitude_m, sub_status, sub_decay)
            aux[idx] = sub_aux
        else:
            advance(chunk_model, sub_states, sub_active, cd_am[idx], t, t_next, sub_status, sub_decay,
                    DECAY_CHUNK_S, jumps=True)
        states[idx], active[idx], status[idx], decay_t[idx] = sub_states, sub_active, sub_status, sub_decay
        if progress is not None:
            progress(before - int(active.sum()))
        t = t_next
    return decay_t, status
