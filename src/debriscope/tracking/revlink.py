"""Linking passes across revolutions by two-pass orbit determination (for fan-only sites).

A pass of two coarse fan crossings has a km/s velocity error, so predicting its single-pass fit
to a later pass (:mod:`debriscope.tracking.linking`) rarely finds its partner. Here the
*positions* of two passes, about whole revolutions apart, make the orbit instead:

1. cheap gates: the later pass is within ``max_gap_s``; the orbital planes of the two passes'
   chords (first to last detection) are within ``plane_gate_deg``; the revolution counts N
   allowed by the period window ``[min_period_s, max_period_s]``;
2. multi-revolution Lambert problem between one position of each pass (their single-pass fits'
   positions at their epochs, projected on the common plane) in universal variables: Vallado
   2013, *Fundamentals of Astrodynamics and Applications*, 4th ed., sec. 7.6, alg. 58 (y(psi), chi, time of flight,
   f and g), with the multi-revolution psi intervals (2 pi N)^2 < psi < (2 pi (N+1))^2 of
   sec. 7.6.2, where the time of flight has a minimum and each N > 0 has two solutions (both
   branches are kept); the transfer direction follows the earlier pass's angular momentum;
3. the Keplerian solution is corrected for zonal gravity by shooting: the miss of the J2..J4
   propagation at the later epoch is subtracted from the Lambert target, a few times; each
   solution also gives variants with its radial velocity damped, energy kept (``_RADIAL_SCALES``);
4. the start states are screened by their normalised residual RMS over both passes, and the best
   is refined by the multi-pass least squares
   (:func:`~debriscope.tracking.multipass.fit_orbit_multipass`, state + ln B); the link is accepted if the RMS is at most ``max_rms`` and the orbit is sensible
   (perigee above the ground, period in the window).

Ambiguity rule: a pair is kept only if neither track has another acceptable partner (in a debris
cloud the neighbouring fragment's pass a day later often fits as well; see :func:`link_pairs`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from ..constants import MU_EARTH_M3_S2, R_EARTH_SATCAT_M
from ..elements import rv_to_elements
from ..propagation import ForceModel
from .multipass import (
    B_PRIOR_M2_KG,
    LN_B_PRIOR_SIGMA,
    MultiPassFit,
    _normalised,
    fit_orbit_multipass,
    propagate_with_b,
)
from .od import RadarArc

log = logging.getLogger(__name__)

_PSI_GRID = 256
"""Grid points per psi interval used to bracket the Lambert roots before Brent's method."""
_SHOOTING_ITERATIONS = 4
"""Zonal-gravity corrections of the Lambert target (the miss falls ~10x per iteration, measured)."""
_RADIAL_SCALES = (1.0, 0.5, 0.0)
"""Radial-velocity scalings of each Lambert start. Between two positions about whole revolutions
apart, the Lambert radial velocity is ill-conditioned: a radial position difference dr over the
excess transfer angle dnu gives v_r ~ (dr / dnu) v / r (tens of km over a few degrees: hundreds of
m/s), while a fragment's true v_r is at most e v (~180 m/s on the flagship orbit). The damped
variants keep the energy (the period, which the time of flight fixes well)."""
_SCREEN_RMS_FACTOR = 3.0
"""Start states whose residual RMS exceeds this multiple of ``max_rms`` are not refined (measured on
the flagship: no start above 3.5 max_rms ended below max_rms; accepted links started at <= 1.6)."""
_REFINED_STARTS = 1
"""At most this many start states per pair (the best by RMS) are refined by least squares (a second
one never changed a flagship link, measured, and cost ~6 s)."""


def _stumpff(psi: NDArray) -> tuple[NDArray, NDArray]:
    """Stumpff functions c2(psi), c3(psi) for psi > 0 (Vallado 2013, alg. 1)."""
    s = np.sqrt(psi)
    return (1.0 - np.cos(s)) / psi, (s - np.sin(s)) / (s * psi)


def _time_of_flight(psi: NDArray, r1: float, r2: float, a_par: float, mu: float) -> tuple[NDArray, NDArray]:
    """Time of flight and y of Vallado 2013 alg. 58 at ``psi`` (NaN where y <= 0)."""
    c2, c3 = _stumpff(psi)
    y = r1 + r2 + a_par * (psi * c3 - 1.0) / np.sqrt(c2)  # alg. 58, y
    with np.errstate(invalid="ignore"):
        chi = np.sqrt(y / c2)
        tof = (chi**3 * c3 + a_par * np.sqrt(y)) / np.sqrt(mu)  # alg. 58, Delta t
    bad = ~(y > 0)
    tof[bad] = np.nan
    return tof, y


def lambert_universal(
    r1_m: ArrayLike, r2_m: ArrayLike, dt_s: float, n_revs: int, short_way: bool, high_branch: bool,
    mu: float = MU_EARTH_M3_S2,
) -> tuple[NDArray, NDArray] | None:
    """Velocities (v1, v2) of the Keplerian arc from r1 to r2 in ``dt_s`` with ``n_revs`` full revolutions.

    Universal-variable Lambert solution (Vallado 2013, alg. 58, multi-revolution psi intervals of
    sec. 7.6.2). ``short_way``: transfer angle below pi (tm = +1); ``high_branch``: for N > 0, the
    root above the minimum-time psi (the other branch below it). None when no solution exists.
    """
    r1v, r2v = np.asarray(r1_m, dtype=float), np.asarray(r2_m, dtype=float)
    r1, r2 = float(np.linalg.norm(r1v)), float(np.linalg.norm(r2v))
    cos_dnu = float(np.clip(r1v @ r2v / (r1 * r2), -1.0, 1.0))
    a_par = (1.0 if short_way else -1.0) * np.sqrt(r1 * r2 * (1.0 + cos_dnu))  # alg. 58, A
    if abs(a_par) < 1e-9 * r1:
        return None
    lo, hi = (2.0 * np.pi * n_revs) ** 2, (2.0 * np.pi * (n_revs + 1)) ** 2
    margin = 1e-6 * (hi - lo)
    psi = np.linspace(lo + margin, hi - margin, _PSI_GRID)
    tof, _ = _time_of_flight(psi, r1, r2, a_par, mu)
    ok = np.isfinite(tof)
    if not ok.any():
        return None
    if n_revs > 0:  # two branches either side of the minimum time of flight
        i_min = int(np.nanargmin(tof))
        sel = np.arange(i_min, psi.size) if high_branch else np.arange(0, i_min + 1)
    elif high_branch:
        return None
    else:
        sel = np.arange(psi.size)
    d = tof[sel] - dt_s
    change = np.flatnonzero(np.isfinite(d[:-1]) & np.isfinite(d[1:]) & (np.sign(d[:-1]) != np.sign(d[1:])))
    if change.size == 0:
        return None
    j = sel[change[0]]

    def f(p: float) -> float:
        return float(_time_of_flight(np.array([p]), r1, r2, a_par, mu)[0][0] - dt_s)

    try:
        root = brentq(f, psi[j], psi[j + 1], xtol=1e-12, rtol=1e-12)
    except ValueError:  # y <= 0 between the grid points (no time of flight there): no solution found
        return None
    _, y = _time_of_flight(np.array([root]), r1, r2, a_par, mu)
    y = float(y[0])
    f_, g_, gdot = 1.0 - y / r1, a_par * np.sqrt(y / mu), 1.0 - y / r2  # alg. 58, f, g, gdot
    return (r2v - f_ * r1v) / g_, (gdot * r2v - r1v) / g_


class PairGates(NamedTuple):
    """Gates of the two-pass linking."""

    max_gap_s: float
    min_period_s: float
    max_period_s: float
    plane_gate_deg: float
    max_rms: float
    max_pairs: int = 2000
    """At most this many pairs (those passing the time and plane gates, closest planes first) are
    fitted: a bounded candidate set, so a dense cloud's quadratic number of pairs stays bounded."""
    max_partners: int = 8
    """Each pass keeps at most this many later partners inside the gates (closest planes first)
    before the pairs are ranked: the list of pairs grows linearly with the passes, not as their
    square (a dense cloud puts every pass of a day inside the plane gate of every other)."""


def _chord_normal(arc: RadarArc, seed_state: NDArray) -> NDArray:
    """Unit angular momentum of a pass from its first and last detection positions (the chord
    fixes the direction of motion); the single-pass fit's r x v where the pass has no chord."""
    from .measurements import radar_to_teme

    z = arc.z
    pos = radar_to_teme(z[0], np.degrees(z[1]), np.degrees(z[2]), arc.geometry)
    h = np.cross(pos[:, 0], pos[:, -1])
    if not np.linalg.norm(h) > 0.0 or np.dot(h, np.cross(seed_state[:3], seed_state[3:])) <= 0.0:
        h = np.cross(seed_state[:3], seed_state[3:])
    return h / np.linalg.norm(h)


def start_states(
    r1_m: NDArray, t1_tt_s: float, r2_m: NDArray, t2_tt_s: float, h1: NDArray, gates: PairGates,
    model: ForceModel | None = None,
) -> NDArray:
    """Candidate TEME states (6, K) at ``t2_tt_s`` through r1 (at t1) and r2 (at t2): every
    multi-revolution Lambert solution whose Keplerian period is inside the window, corrected for
    zonal gravity by shooting (in the estimator's dynamics ``model`` without drag, B = 0)."""
    dt = t2_tt_s - t1_tt_s
    n_lo = max(int(np.floor(dt / gates.max_period_s)) - 1, 0)
    n_hi = int(np.floor(dt / gates.min_period_s))
    sin_dnu = float(np.dot(np.cross(r1_m, r2_m), h1)) / (np.linalg.norm(r1_m) * np.linalg.norm(r2_m))
    ways = [sin_dnu >= 0.0]
    if abs(sin_dnu) < 0.05:  # nearly (anti)parallel positions: both directions
        ways = [True, False]
    keys, v1s = [], []
    for n in range(n_lo, n_hi + 1):
        for short in ways:
            for high in (False, True):
                sol = lambert_universal(r1_m, r2_m, dt, n, short, high)
                if sol is None:
                    continue
                a = float(rv_to_elements(r1_m[:, None], sol[0][:, None]).a_m[0])
                if a > 0 and gates.min_period_s <= 2 * np.pi * np.sqrt(a**3 / MU_EARTH_M3_S2) <= gates.max_period_s:
                    keys.append((n, short, high))
                    v1s.append(sol[0])
    if not keys:
        return np.zeros((6, 0))
    v1 = np.array(v1s).T  # (3, K)
    targets = np.repeat(r2_m[:, None], len(keys), axis=1)
    ok = np.ones(len(keys), dtype=bool)
    for _ in range(_SHOOTING_ITERATIONS):  # zonal-gravity correction of the Lambert target, all columns at once
        x2 = propagate_with_b(np.vstack([np.repeat(r1_m[:, None], len(keys), axis=1), v1]), 0.0, t1_tt_s,
                              [t2_tt_s], model)[0]
        targets = targets - (x2[:3] - r2_m[:, None])
        for k, (n, short, high) in enumerate(keys):
            sol = lambert_universal(r1_m, targets[:, k], dt, n, short, high) if ok[k] else None
            ok[k] = sol is not None
            if ok[k]:
                v1[:, k] = sol[0]
    u_r = r1_m / np.linalg.norm(r1_m)
    out = []
    for k in np.flatnonzero(ok):
        v_rad = np.dot(v1[:, k], u_r) * u_r
        speed = np.linalg.norm(v1[:, k])
        for s in _RADIAL_SCALES:  # same energy, damped radial velocity (see _RADIAL_SCALES)
            v = v1[:, k] - (1.0 - s) * v_rad
            out.append(np.concatenate([r1_m, v * speed / np.linalg.norm(v)]))
    if not out:
        return np.zeros((6, 0))
    x1 = np.array(out).T
    return propagate_with_b(x1, 0.0, t1_tt_s, [t2_tt_s], model)[0]


def _sensible(fit: MultiPassFit, gates: PairGates) -> bool:
    el = rv_to_elements(fit.state[:3, None], fit.state[3:, None])
    a, e = float(el.a_m[0]), float(el.e[0])
    if not a > 0:
        return False
    period = 2 * np.pi * np.sqrt(a**3 / MU_EARTH_M3_S2)
    return bool(a * (1.0 - e) > R_EARTH_SATCAT_M and gates.min_period_s <= period <= gates.max_period_s)


def fit_pair(
    arc_a: RadarArc, seed_a: tuple[float, NDArray], arc_b: RadarArc, seed_b: tuple[float, NDArray],
    gates: PairGates, *, b_prior_m2_kg: float = B_PRIOR_M2_KG, ln_b_prior_sigma: float = LN_B_PRIOR_SIGMA,
    model: ForceModel | None = None,
) -> MultiPassFit | None:
    """Two-pass orbit of passes a (earlier) and b, at b's last detection, in the estimator's
    dynamics ``model`` (default :func:`~debriscope.tracking.multipass.estimator_dynamics`); None if
    they do not make one sensible orbit within the gates and ``gates.max_rms``."""
    if not _in_time_gate(arc_a, seed_a[0], arc_b, seed_b[0], gates):
        return None
    h1, h2 = _chord_normal(arc_a, seed_a[1]), _chord_normal(arc_b, seed_b[1])
    if float(np.dot(h1, h2)) < np.cos(np.radians(gates.plane_gate_deg)):
        return None
    return _fit_gated_pair(arc_a, seed_a, arc_b, seed_b, h1, h2, gates, b_prior_m2_kg, ln_b_prior_sigma, model)


def _in_time_gate(arc_a: RadarArc, t1: float, arc_b: RadarArc, t2: float, gates: PairGates) -> bool:
    dt = t2 - t1
    return bool(0.9 * gates.min_period_s <= dt <= gates.max_gap_s and arc_b.t_tt_s[0] > arc_a.t_tt_s[-1])


def _fit_gated_pair(
    arc_a: RadarArc, seed_a: tuple[float, NDArray], arc_b: RadarArc, seed_b: tuple[float, NDArray],
    h1: NDArray, h2: NDArray, gates: PairGates, b_prior_m2_kg: float, ln_b_prior_sigma: float,
    model: ForceModel | None,
) -> MultiPassFit | None:
    """:func:`fit_pair` for a pair inside the time and plane gates (chord normals h1, h2)."""
    t1, x1 = seed_a
    t2, x2 = seed_b
    h = (h1 + h2) / np.linalg.norm(h1 + h2)  # the common plane: both chords, in the gate
    r1 = x1[:3] - np.dot(x1[:3], h) * h  # positions projected on it: the plane of the Lambert arc
    r2 = x2[:3] - np.dot(x2[:3], h) * h  # is then well defined even for transfer angles near 2 pi N
    starts = start_states(r1, t1, r2, t2, h, gates, model)
    if starts.shape[1] == 0:
        return None
    epoch = float(arc_b.t_tt_s[-1])
    if epoch != t2:
        starts = propagate_with_b(starts, 0.0, t2, [epoch], model)[0]
    arcs = [arc_a, arc_b]
    with np.errstate(all="ignore"):
        res = _normalised(arcs, starts, np.full(starts.shape[1], np.log(b_prior_m2_kg)), epoch, None, model)
    rms = np.sqrt(np.mean(res**2, axis=0))
    order = [int(k) for k in np.argsort(rms) if np.isfinite(rms[k]) and rms[k] <= _SCREEN_RMS_FACTOR * gates.max_rms]
    best = None
    for k in order[:_REFINED_STARTS]:
        fit = fit_orbit_multipass(arcs, starts[:, k], epoch, b_prior_m2_kg=b_prior_m2_kg,
                                  ln_b_prior_sigma=ln_b_prior_sigma, model=model)
        if (np.isfinite(fit.rms) and fit.rms <= gates.max_rms and np.all(np.isfinite(fit.covariance))
                and _sensible(fit, gates) and (best is None or fit.rms < best.rms)):
            best = fit
    return best


class GatedPairs(NamedTuple):
    """Pairs inside the time and plane gates, closest planes first, and how many were examined."""

    pairs: list[tuple[float, int, int]]
    """(cos of the angle between the two chords' planes, earlier track, later track)."""
    n_examined: int
    """Pairs inside the time window whose planes were compared."""


def gated_pairs(candidates: Sequence[int], arcs: Sequence[RadarArc], seeds: Sequence[tuple[float, NDArray] | None],
                gates: PairGates) -> GatedPairs:
    """The pairs of ``candidates`` inside the time gate (searched in the time-sorted passes, so a
    pass meets only those of its window) and the plane gate, at most ``gates.max_partners`` per
    earlier pass, sorted closest planes first."""
    ks = sorted((k for k in candidates if seeds[k] is not None), key=lambda k: seeds[k][0])
    if not ks:
        return GatedPairs([], 0)
    h = np.array([_chord_normal(arcs[k], seeds[k][1]) for k in ks])  # once per track, not per pair
    t_seed = np.array([seeds[k][0] for k in ks])
    start = np.array([arcs[k].t_tt_s[0] for k in ks])
    end = np.array([arcs[k].t_tt_s[-1] for k in ks])
    cos_gate = np.cos(np.radians(gates.plane_gate_deg))
    lo = np.searchsorted(t_seed, t_seed + 0.9 * gates.min_period_s, side="left")
    hi = np.searchsorted(t_seed, t_seed + gates.max_gap_s, side="right")
    gated: list[tuple[float, int, int]] = []
    for i, a in enumerate(ks):  # vectorised over the later tracks of its window
        j = np.arange(lo[i], hi[i])
        cos_ab = h[j] @ h[i]
        ok = (start[j] > end[i]) & (cos_ab >= cos_gate)
        j, cos_ab = j[ok], cos_ab[ok]
        if j.size > gates.max_partners:
            best = np.argsort(-cos_ab, kind="stable")[: gates.max_partners]
            j, cos_ab = j[best], cos_ab[best]
        gated += [(float(c), a, ks[jj]) for c, jj in zip(cos_ab, j, strict=True)]
    gated.sort(key=lambda g: -g[0])
    return GatedPairs(gated, int(np.sum(hi - lo)))


def link_pairs(
    candidates: Sequence[int], arcs: Sequence[RadarArc], seeds: Sequence[tuple[float, NDArray] | None],
    gates: PairGates, *, b_prior_m2_kg: float = B_PRIOR_M2_KG, ln_b_prior_sigma: float = LN_B_PRIOR_SIGMA,
    model: ForceModel | None = None,
) -> list[tuple[int, int, MultiPassFit]]:
    """Unambiguous pairs (earlier track, later track, two-pass fit) among ``candidates``, by fit RMS.

    A pair is kept only if neither of its tracks has another acceptable partner: two passes of two
    fan crossings leave 5 degrees of freedom, and in a debris cloud a pass a day later of the
    *neighbouring* fragment (a slightly different period) often fits as well or better than the
    pass of the same fragment (measured on the flagship: greedy by RMS linked 3 of 4 pairs a day
    apart wrongly), so a track with several acceptable partners is left unlinked."""
    gated = gated_pairs(candidates, arcs, seeds, gates).pairs
    if len(gated) > gates.max_pairs:
        log.info("two-pass linking: %d pairs inside the gates, the %d with the closest planes fitted",
                 len(gated), gates.max_pairs)
    found = []
    for _, a, b in gated[: gates.max_pairs]:
        fit = _fit_gated_pair(arcs[a], seeds[a], arcs[b], seeds[b], _chord_normal(arcs[a], seeds[a][1]),
                              _chord_normal(arcs[b], seeds[b][1]), gates, b_prior_m2_kg, ln_b_prior_sigma, model)
        if fit is not None:
            found.append((fit.rms, a, b, fit))
    partners = Counter(k for _, a, b, _ in found for k in (a, b))
    return [(a, b, fit) for _, a, b, fit in sorted(found, key=lambda f: f[0]) if partners[a] == partners[b] == 1]
