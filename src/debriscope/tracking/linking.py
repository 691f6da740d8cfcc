"""Cross-pass linking: which tracks (passes, sites) belong to the same object.

Every track's fitted state is predicted (two-body + J2, :data:`debriscope.propagation.estimator_dynamics.PASS_MODEL`) to
every later track of its prediction window (``max_gap_s``), and the difference to that track's own state is resolved in the
later track's radial / along-track / cross-track frame (the RSW satellite frame, Vallado 2013, ch. 3). Drag is
not modelled, so its error builds up mainly along track; the gates are therefore anisotropic and
grow linearly with the prediction time. Each later track keeps at most ``max_predecessors``
earlier tracks inside the gates (smallest normalised distance first); the links are then one
assignment over all of them: each track has at most one predecessor, and at most one successor
per site (a pass seen by two sites minutes apart continues at both, but no pass heads a fan of
later passes of one site: the greedy chain that let any number of later tracks pick one earlier
track merged thousands of a dense cloud's tracks into one object), minimising the sum of the
normalised distances of the links plus the gate (1) for every track left without a predecessor
(global nearest neighbour, Blackman & Popoli 1999, sec. 6.5; solved sparse by LAPJVsp,
``scipy.sparse.csgraph.min_weight_full_bipartite_matching``). Objects are numbered from 1 in
order of their first track.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

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
    max_predecessors: int = 8
    """Each track keeps at most this many earlier tracks inside the gates (the closest) as
    candidates for the assignment [E]: the candidate pairs grow linearly with the tracks, not as
    their square (on a dense cloud every track of a day is inside the grown gates of hundreds)."""


@dataclass
class LinkCounts:
    """Work done by :func:`link_tracks` (counted, not timed): earlier-later pairs whose normalised
    distance was computed, and candidate pairs inside the gates offered to the assignment."""

    pairs: int = 0
    candidates: int = 0


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
    counts: LinkCounts | None = None,
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
    counts : if given, adds up the pairs compared and the candidates kept (:class:`LinkCounts`).
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
    cand_a, cand_b, cand_c = [], [], []  # candidate links inside the gates
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
                inside = np.flatnonzero(cost < 1.0)
                if inside.size > gates.max_predecessors:
                    inside = inside[np.argsort(cost[inside], kind="stable")[: gates.max_predecessors]]
                cand_a.append(a_tr[ka[inside]])
                cand_b.append(np.full(inside.size, bt))
                cand_c.append(cost[inside])
                if counts is not None:
                    counts.pairs += int(ka.size)
                    counts.candidates += int(inside.size)
    pred = assign_predecessors(np.concatenate(cand_a or [np.zeros(0, int)]),
                               np.concatenate(cand_b or [np.zeros(0, int)]), np.concatenate(cand_c or [np.zeros(0)]),
                               np.unique(site, return_inverse=True)[1])
    next_obj = 1
    for b in order:  # a predecessor's epoch is before its successor's
        if pred[b] >= 0:
            obj[b] = obj[pred[b]]
        else:
            obj[b] = next_obj
            next_obj += 1
    # renumber objects by first appearance in time
    _, first_pos = np.unique(obj[order], return_index=True)
    remap = np.zeros(obj.max() + 1, dtype=int)
    remap[obj[order][np.sort(first_pos)]] = np.arange(1, first_pos.size + 1)
    return remap[obj]


def assign_predecessors(a: NDArray, b: NDArray, cost: NDArray, site_code: NDArray) -> NDArray:
    """Predecessor of each of the tracks (-1 for none) from candidate links a -> b of normalised
    distance ``cost`` < 1: each track at most one predecessor and one successor per site
    (``site_code`` (N,) integer site of each track), minimising the sum of the links' costs plus 1
    for every candidate successor left unlinked (a slack column per successor; all weights shifted
    by 1, as LAPJVsp takes no zero weights)."""
    n_sites = int(site_code.max()) + 1 if site_code.size else 1
    pred = np.full(site_code.size, -1, dtype=int)
    if a.size == 0:
        return pred
    rows, row_of = np.unique(b, return_inverse=True)
    cols, col_of = np.unique(a * n_sites + site_code[b], return_inverse=True)  # successor slots
    m = rows.size
    graph = csr_array((np.concatenate([1.0 + cost, np.full(m, 2.0)]),
                       (np.concatenate([row_of, np.arange(m)]), np.concatenate([col_of, cols.size + np.arange(m)]))),
                      shape=(m, cols.size + m))
    r, c = min_weight_full_bipartite_matching(graph)
    linked = c < cols.size
    pred[rows[r[linked]]] = cols[c[linked]] // n_sites
    return pred


def passes_per_object(objects: ArrayLike) -> NDArray:
    """Number of tracks (passes) of each track's object, (N,)."""
    obj = np.asarray(objects, dtype=int)
    return np.bincount(obj)[obj] if obj.size else obj
