"""Cross-pass linking: which tracks (passes, sites) belong to the same object.

Every track's fitted state is predicted (two-body + J2, :data:`debriscope.propagation.estimator_dynamics.PASS_MODEL`) to
every later track of its prediction window (``max_gap_s``), and the difference to that track's own state is resolved in the
later track's radial / along-track / cross-track frame (the RSW satellite frame, Vallado 2013, ch. 3). Drag is
not modelled, so its error builds up mainly along track; the gates are therefore anisotropic and
grow linearly with the prediction time. Tracks are then linked in time order, each to the
earlier track with the smallest normalised distance inside the gates (a greedy nearest-neighbour
chain), and objects are numbered from 1 in order of their first track.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..propagation.estimator_dynamics import PASS_MODEL, propagate_states

LINK_STEP_S = 20.0
"""Runge-Kutta-Nystrom step of the linking predictions (metres of error over a day, far inside the gates), s."""


class LinkGates(NamedTuple):
    """Gates at zero prediction time, m, and their relative growth per hour."""

    radial_m: float
    along_m: float
    cross_m: float
    growth_per_h: float
    max_gap_s: float


def rsw_difference(predicted: NDArray, reference: NDArray) -> NDArray:
    """Position difference predicted - reference resolved on the reference's R, S, W axes, (3, N)."""
    r, v = reference[:3], reference[3:]
    u_r = r / np.linalg.norm(r, axis=0)
    h = np.cross(r, v, axis=0)
    u_w = h / np.linalg.norm(h, axis=0)
    u_s = np.cross(u_w, u_r, axis=0)
    d = predicted[:3] - r
    return np.stack([np.einsum("in,in->n", d, u) for u in (u_r, u_s, u_w)])


def link_tracks(
    states_teme: ArrayLike,
    epochs_tt_s: ArrayLike,
    first_tt_s: ArrayLike,
    sites: ArrayLike,
    gates: LinkGates,
    valid: ArrayLike | None = None,
) -> NDArray:
    """Object numbers (from 1) for tracks given their fitted states at their epochs.

    The fitted states are marched forward together on a grid of ``LINK_STEP_S``: a track joins
    the march at the first grid time after its epoch and leaves it ``gates.max_gap_s`` later, so
    a later track is compared only with the tracks of its prediction window, at its own grid
    time (its state moved there too), and memory holds one state per track in the window.

    Parameters
    ----------
    states_teme : (6, N) fitted states; epochs_tt_s (N,) their epochs (the track's last detection);
        first_tt_s (N,) the track's first detection; sites (N,) the site names.
    gates : linking gates.
    valid : (N,) tracks whose fit may be used for linking (others become objects of their own).
    """
    x = np.asarray(states_teme, dtype=float).reshape(6, -1)
    epochs = np.asarray(epochs_tt_s, dtype=float)
    first = np.asarray(first_tt_s, dtype=float)
    site = np.asarray(sites).astype(str)
    n = epochs.size
    ok = np.all(np.isfinite(x), axis=0) if valid is None else np.asarray(valid, bool) & np.all(np.isfinite(x), axis=0)
    obj = np.zeros(n, dtype=int)
    if n == 0:
        return obj
    order = np.argsort(epochs, kind="stable")
    best_a, best_c = np.full(n, -1), np.full(n, np.inf)  # best earlier track inside the gates
    use = np.flatnonzero(ok)
    if use.size > 1:
        t0 = float(epochs[use].min())
        cell = np.ceil((epochs[use] - t0) / LINK_STEP_S).astype(int)  # grid index of each track
        at_grid = np.empty((6, use.size))
        for c in np.unique(cell):  # each track moved forward to its grid time (< one step)
            m = cell == c
            at_grid[:, m] = propagate_states(x[:, use[m]], epochs[use[m]], [t0 + c * LINK_STEP_S], 0.0, PASS_MODEL,
                                             step_s=LINK_STEP_S)[0]
        held = np.zeros(0, dtype=int)  # positions in ``use`` of the tracks in the march
        cur = np.zeros((6, 0))
        t_cur = t0
        for c in np.unique(cell):
            t_c = t0 + c * LINK_STEP_S
            if held.size and t_c > t_cur:
                cur = propagate_states(cur, t_cur, [t_c], 0.0, PASS_MODEL, step_s=LINK_STEP_S)[0]
            t_cur = t_c
            keep = epochs[use[held]] >= t_c - gates.max_gap_s - LINK_STEP_S
            held, cur = held[keep], cur[:, keep]
            new = np.flatnonzero(cell == c)
            held, cur = np.concatenate([held, new]), np.concatenate([cur, at_grid[:, new]], axis=1)
            if held.size < 2:
                continue
            a_tr = use[held]
            for jb in new:
                bt = use[jb]
                gap = epochs[bt] - epochs[a_tr]
                before = (epochs[a_tr] < first[bt]) | ((site[a_tr] != site[bt]) & (epochs[a_tr] < epochs[bt]))
                allowed = before & (gap <= gates.max_gap_s)
                if not allowed.any():
                    continue
                ka = np.flatnonzero(allowed)
                d = rsw_difference(cur[:, ka], np.repeat(at_grid[:, jb : jb + 1], ka.size, axis=1))
                grow = 1.0 + gates.growth_per_h * np.abs(gap[ka]) / 3600.0
                cost = ((d[0] / gates.radial_m) ** 2 + (d[1] / gates.along_m) ** 2
                        + (d[2] / gates.cross_m) ** 2) / grow**2
                i = int(np.argmin(cost))
                best_a[bt], best_c[bt] = a_tr[ka[i]], cost[i]
    next_obj = 1
    for b in order:
        a = best_a[b]
        if best_c[b] < 1.0 and obj[a] > 0:
            obj[b] = obj[a]
        else:
            obj[b] = next_obj
            next_obj += 1
    # renumber objects by first appearance in time
    _, first_pos = np.unique(obj[order], return_index=True)
    remap = np.zeros(obj.max() + 1, dtype=int)
    remap[obj[order][np.sort(first_pos)]] = np.arange(1, first_pos.size + 1)
    return remap[obj]


def passes_per_object(objects: ArrayLike) -> NDArray:
    """Number of tracks (passes) of each track's object, (N,)."""
    obj = np.asarray(objects, dtype=int)
    return np.bincount(obj)[obj] if obj.size else obj
