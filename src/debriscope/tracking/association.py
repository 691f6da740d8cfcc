"""Association of one site's radar detections into tracks, without the true identities.

Global-nearest-neighbour tracking (Blackman & Popoli 1999, *Design and Analysis of Modern
Tracking Systems*, ch. on data association), scan by scan (a scan = the detections sharing a time stamp):

1. **Cheap gate**: a Euclidean bound ``|r_det - r_pred| < g sqrt(tr P + tr R)`` (or, for a track
   of one detection, a speed window) removes most track-detection pairs before any matrix work.
2. **Statistical gate and cost**: for confirmed tracks (two or more detections) the squared
   Mahalanobis distance of the converted-measurement Kalman filter innovation, d^2 = y^T S^-1 y,
   S = P + R (Bar-Shalom, Li & Kirubarajan 2001, *Estimation with Applications to Tracking and
   Navigation*: Kalman filter gating and the converted-measurement covariance), plus the squared
   normalised range-rate innovation; for a one-detection track the two-point initiation test
   (two-point differencing, Bar-Shalom et al. 2001): the displacement must imply a
   speed between ``min_speed_mps`` and the local escape speed, within its projected measurement
   uncertainty u^T (R1 + R2) u, and the mean range rate must match the range difference; among
   admissible pairs those nearer the local circular speed are preferred.
3. **Assignment**: ``scipy.optimize.linear_sum_assignment`` on the gated cost matrix.

The filter state is TEME position and velocity; the prediction includes the two-body + J2
acceleration held constant over the step, with white-acceleration process noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from ..constants import MU_EARTH_M3_S2
from ..propagation.estimator_dynamics import PASS_MODEL, acceleration
from .measurements import SiteGeometry

CHI2_GATE_4DOF_P999 = 18.47
"""chi-square 99.9 % point with 4 degrees of freedom (position 3 + range rate 1)."""
CHI2_MERGE_3DOF_P99 = 11.34
"""chi-square 99 % point with 3 degrees of freedom (duplicate-track test on positions)."""
MAX_ROUNDS = 3
"""Assignment rounds per scan (several beams may see one object at the same instant)."""
CHI2_GATE_2DOF_P999 = 13.82
"""chi-square 99.9 % point with 2 degrees of freedom (two-point initiation)."""


@dataclass(frozen=True)
class AssociationParameters:
    """Tuning of the tracker (all SI)."""

    max_gap_s: float = 120.0
    """A track with no detection for longer than this is closed."""
    process_noise_mps2: float = 0.05
    """White-acceleration spectral density sqrt(q), m/s^2 per sqrt(Hz) (unmodelled dynamics)."""
    min_speed_mps: float = 2000.0
    """Two-point initiation: slowest admissible speed (the fastest is the local escape speed)."""
    speed_sigma_mps: float = 1500.0
    """Two-point initiation: scale of the preference for speeds near the local circular speed
    (ranks admissible pairs; does not gate)."""
    range_rate_drift_mps2: float = 60.0
    """Two-point initiation: bound on |d(range rate)/dt| (geometry), m/s^2."""
    gate_sigma: float = 5.0
    """Euclidean cheap gate, in combined standard deviations."""
    min_track_detections: int = 2
    """Tracks with fewer detections are dropped (:func:`debriscope.tracking.tracker.build_tracks`)."""


@dataclass
class AssociationCounts:
    """Work done by :func:`associate` (counted, not timed): track-detection pairs offered to the
    cheap gate, and scans."""

    pairs: int = 0
    scans: int = 0


def cartesian_covariance(
    range_m: NDArray, azimuth_rad: NDArray, elevation_rad: NDArray, sigma: NDArray, geometry: SiteGeometry
) -> NDArray:
    """Converted-measurement covariance of radar positions, (M, 3, 3) in TEME.

    ``R = J diag(s_r^2, s_az^2, s_el^2) J^T`` with the columns of J the partials of the position
    with respect to range, azimuth and elevation (Bar-Shalom et al. 2001, converted measurements, linearised).
    """
    ca, sa, ce, se = np.cos(azimuth_rad), np.sin(azimuth_rad), np.cos(elevation_rad), np.sin(elevation_rad)
    e, n, u = geometry.east, geometry.north, geometry.up
    j_r = ce * sa * e + ce * ca * n + se * u
    j_az = range_m * ce * (ca * e - sa * n)
    j_el = range_m * (-se * sa * e - se * ca * n + ce * u)
    cols = np.stack([j_r, j_az, j_el], axis=-1)  # (3, M, 3)
    var = np.asarray(sigma[:3], dtype=float) ** 2  # (3, M)
    return np.einsum("imk,km,jmk->mij", cols, var, cols)


def _predict(x: NDArray, p: NDArray, dt: NDArray, q: float) -> tuple[NDArray, NDArray]:
    """Constant-gravity prediction of states (6, K) and covariances (K, 6, 6) over dt (K,).

    F = [[I, dt I], [0, I]], so F P F^T is written by blocks: with P = [[A, B], [B^T, C]],
    [[A + dt (B + B^T) + dt^2 C, B + dt C], [B^T + dt C, C]]; the process noise is the
    discretised continuous white-noise acceleration (Bar-Shalom et al. 2001).
    """
    g = acceleration(x[:3], 0.0, PASS_MODEL)
    xp = np.concatenate([x[:3] + x[3:] * dt + 0.5 * g * dt * dt, x[3:] + g * dt])
    d = dt[:, None, None]
    a, b, c = p[:, :3, :3], p[:, :3, 3:], p[:, 3:, 3:]
    bc = b + d * c
    i3 = np.eye(3)[None] * (q * q)
    pp = np.empty_like(p)
    pp[:, :3, :3] = a + d * (b + np.swapaxes(b, 1, 2)) + d * d * c + i3 * d**3 / 3.0
    pp[:, :3, 3:] = bc + i3 * d**2 / 2.0
    pp[:, 3:, :3] = np.swapaxes(pp[:, :3, 3:], 1, 2)
    pp[:, 3:, 3:] = c + i3 * d
    return xp, pp


def _predict_position(x: NDArray, p: NDArray, dt: NDArray, q: float) -> tuple[NDArray, NDArray]:
    """The position part of :func:`_predict`, (3, K), and the trace of its covariance, (K,):
    tr(A) + 2 dt tr(B) + dt^2 tr(C) + q^2 dt^3, without forming the covariances (the cheap gates
    need only these)."""
    g = acceleration(x[:3], 0.0, PASS_MODEL)
    pos = x[:3] + x[3:] * dt + 0.5 * g * dt * dt
    tr_a = np.einsum("kii->k", p[:, :3, :3])
    tr_b = np.einsum("kii->k", p[:, :3, 3:])
    tr_c = np.einsum("kii->k", p[:, 3:, 3:])
    return pos, tr_a + 2.0 * dt * tr_b + dt * dt * tr_c + q * q * dt**3


class _Tracks:
    """Struct of arrays of tracks, allocated once (a site has at most one track per detection),
    with the index list of the open ones (so a scan costs the open tracks, not all tracks)."""

    def __init__(self, capacity: int) -> None:
        self.x = np.zeros((6, capacity))
        self.p = np.zeros((capacity, 6, 6))
        self.t = np.zeros(capacity)
        self.n = np.zeros(capacity, dtype=int)
        self.last = np.zeros(capacity, dtype=int)  # index of the last detection
        self.rr = np.zeros(capacity)
        self.rng = np.zeros(capacity)
        self.sig_rng = np.zeros(capacity)
        self.sig_rr = np.zeros(capacity)
        self.open = np.zeros(capacity, dtype=bool)
        self.alias = np.arange(capacity)  # a merged track points to its survivor
        self.size = 0
        self.live = np.zeros(0, dtype=int)  # indices of the open tracks (a superset after merges)

    def add(self, idx: NDArray, r: NDArray, rcov: NDArray, t: NDArray, rr: NDArray, rng: NDArray,
            sig_rng: NDArray, sig_rr: NDArray) -> NDArray:
        new = np.arange(self.size, self.size + idx.size)
        self.x[:3, new], self.x[3:, new], self.p[new] = r, 0.0, 0.0
        self.p[new, :3, :3] = rcov
        self.t[new], self.n[new], self.last[new] = t, 1, idx
        self.rr[new], self.rng[new], self.sig_rng[new], self.sig_rr[new] = rr, rng, sig_rng, sig_rr
        self.open[new] = True
        self.size += idx.size
        self.live = np.concatenate([self.live, new])
        return new

    def close_stale(self, t: float, max_gap_s: float) -> None:
        """Close the tracks with no detection for more than ``max_gap_s`` before ``t``."""
        live = self.live[self.open[self.live]]
        stale = (t - self.t[live]) > max_gap_s
        self.open[live[stale]] = False
        self.live = live[~stale]

    def open_tracks(self) -> NDArray:
        return self.live[self.open[self.live]]


def _assign(cost: NDArray) -> tuple[NDArray, NDArray]:
    """Rows and columns of the minimum-cost assignment of the finite entries of ``cost``.

    ``scipy.optimize.linear_sum_assignment`` on the rows and columns with a finite entry; a single
    row or column (the usual scan) is its minimum.
    """
    feasible = np.isfinite(cost)
    keep_r = np.flatnonzero(feasible.any(axis=1))
    keep_c = np.flatnonzero(feasible.any(axis=0))
    if keep_r.size == 0:
        return keep_r, keep_c
    sub = cost[np.ix_(keep_r, keep_c)]
    if keep_c.size == 1:
        return keep_r[[int(np.argmin(sub[:, 0]))]], keep_c
    if keep_r.size == 1:
        return keep_r, keep_c[[int(np.argmin(sub[0]))]]
    rr_i, cc_i = linear_sum_assignment(np.where(np.isfinite(sub), sub, 1e12))
    good = sub[rr_i, cc_i] < 1e12
    return keep_r[rr_i[good]], keep_c[cc_i[good]]


def associate(
    t_tt_s: NDArray,
    r_teme_m: NDArray,
    r_cov_m2: NDArray,
    range_m: NDArray,
    range_rate_mps: NDArray,
    sigma_range_m: NDArray,
    sigma_range_rate_mps: NDArray,
    geometry: SiteGeometry,
    params: AssociationParameters = AssociationParameters(),
    counts: AssociationCounts | None = None,
) -> NDArray:
    """Label one site's detections with track numbers.

    Parameters
    ----------
    t_tt_s : (N,) detection times (any order).
    r_teme_m : (3, N) measured positions; r_cov_m2 (N, 3, 3) their covariances
        (:func:`cartesian_covariance`).
    range_m, range_rate_mps, sigma_range_m, sigma_range_rate_mps : (N,) radar values.
    geometry : the site at the detection times (for the line of sight and the site velocity).
    counts : if given, incremented with the pairs offered to the gate and the scans.

    Returns
    -------
    numpy.ndarray
        (N,) track labels 0, 1, ... in order of track start.
    """
    n_det = t_tt_s.size
    labels = np.full(n_det, -1, dtype=int)
    sig_rr = np.where(np.isfinite(sigma_range_rate_mps), sigma_range_rate_mps, np.inf)
    order = np.argsort(t_tt_s, kind="stable")
    times, starts = np.unique(t_tt_s[order], return_index=True)
    bounds = np.append(starts, n_det)
    tr = _Tracks(n_det)
    q = params.process_noise_mps2
    for k, t in enumerate(times):
        pending = order[bounds[k] : bounds[k + 1]]
        tr.close_stale(t, params.max_gap_s)
        if counts is not None:
            counts.scans += 1
        for _ in range(MAX_ROUNDS):
            det = pending
            act = tr.open_tracks()
            act = act[~((tr.n[act] == 1) & (tr.t[act] >= t))]  # no zero-time two-point pairs
            cost = np.full((act.size, det.size), np.inf)
            if counts is not None:
                counts.pairs += act.size * det.size
            if act.size:
                dt = t - tr.t[act]
                r_d = r_teme_m[:, det]
                conf = tr.n[act] >= 2
                if conf.any():
                    a = act[conf]
                    pos, tr_p = _predict_position(tr.x[:, a], tr.p[a], dt[conf], q)
                    diff = r_d[:, None, :] - pos[:, :, None]  # (3, A, D)
                    dist2 = np.einsum("iad,iad->ad", diff, diff)
                    bound = params.gate_sigma**2 * (tr_p[:, None] + np.trace(r_cov_m2[det], axis1=1, axis2=2)[None, :])
                    ai, di = np.nonzero(dist2 < bound)  # cheap gate
                    if ai.size:  # full predictions only for the tracks some detection reached
                        near, ak = np.unique(ai, return_inverse=True)
                        xp, pp = _predict(tr.x[:, a[near]], tr.p[a[near]], dt[conf][near], q)
                        s = pp[ak, :3, :3] + r_cov_m2[det[di]]
                        y = diff[:, ai, di].T
                        d2 = np.einsum("ki,ki->k", y, np.linalg.solve(s, y[:, :, None])[:, :, 0])
                        rho = r_d[:, di] - geometry.r_teme_m[:, det[di]]
                        los = rho / np.linalg.norm(rho, axis=0)
                        rr_pred = np.einsum("ik,ik->k", los, xp[3:, ak] - geometry.v_teme_mps[:, det[di]])
                        var_rr = np.einsum("ik,kij,jk->k", los, pp[ak, 3:, 3:], los) + sig_rr[det[di]] ** 2
                        d2 = d2 + np.nan_to_num((range_rate_mps[det[di]] - rr_pred) ** 2 / var_rr)  # NaN: no range rate
                        ok = d2 < CHI2_GATE_4DOF_P999
                        cost[np.flatnonzero(conf)[ai[ok]], di[ok]] = d2[ok]
                if (~conf).any():
                    a = act[~conf]
                    dts = dt[~conf][:, None]
                    r_a = tr.x[:3, a]
                    shift = r_a + 0.5 * acceleration(r_a, 0.0, PASS_MODEL) * dts.T**2  # where a resting start would fall
                    delta = r_teme_m[:, det][:, None, :] - shift[:, :, None]  # (3, A, D)
                    step = np.linalg.norm(delta, axis=0)
                    u = delta / np.where(step > 0, step, 1.0)
                    var_u = (np.einsum("iad,aij,jad->ad", u, tr.p[a, :3, :3], u)
                             + np.einsum("iad,dij,jad->ad", u, r_cov_m2[det], u))
                    rn = np.linalg.norm(r_a, axis=0)[:, None]
                    lo = params.min_speed_mps * dts
                    hi = np.sqrt(2.0 * MU_EARTH_M3_S2 / rn) * dts  # escape speed
                    viol = np.maximum(lo - step, 0.0) + np.maximum(step - hi, 0.0)
                    c_window = viol**2 / var_u  # projected chi-square distance to the admissible shell
                    ai, di = np.nonzero(c_window < CHI2_GATE_2DOF_P999)  # cheap gate: speed window
                    if ai.size:
                        dtk = dts[ai, 0]
                        drange = (range_m[det[di]] - tr.rng[a[ai]]) / dtk
                        mean_rr = 0.5 * (range_rate_mps[det[di]] + tr.rr[a[ai]])
                        var = ((sigma_range_m[det[di]] ** 2 + tr.sig_rng[a[ai]] ** 2) / dtk**2
                               + 0.25 * (sig_rr[det[di]] ** 2 + tr.sig_rr[a[ai]] ** 2)
                               + (params.range_rate_drift_mps2 * dtk) ** 2 / 12.0)
                        c_gate = c_window[ai, di] + np.nan_to_num((drange - mean_rr) ** 2 / var)  # NaN: no range rate
                        v_circ = np.sqrt(MU_EARTH_M3_S2 / rn[ai, 0])
                        c_rank = ((step[ai, di] / dtk - v_circ) / params.speed_sigma_mps) ** 2
                        ok = c_gate < CHI2_GATE_2DOF_P999
                        cost[np.flatnonzero(~conf)[ai[ok]], di[ok]] = c_gate[ok] + c_rank[ok]
            rows, cols = _assign(cost)
            if rows.size:
                _update(tr, act[rows], det[cols], t, r_teme_m, r_cov_m2, range_m, range_rate_mps,
                        sigma_range_m, sig_rr, q)
                labels[det[cols]] = act[rows]
                _merge_duplicates(tr, act[rows], t, q)
            rest = np.setdiff1d(np.arange(det.size), cols)
            # a detection that lost the assignment but lay inside a track's gate is most likely a
            # second look at an object already updated in this scan (another beam): offer it again
            retry = np.isfinite(cost[:, rest]).any(axis=0) if rows.size else np.zeros(rest.size, dtype=bool)
            pending = det[rest[retry]]
            _start(tr, det[rest[~retry]], t, labels, r_teme_m, r_cov_m2, range_rate_mps, range_m, sigma_range_m, sig_rr)
            if pending.size == 0:
                break
        _start(tr, pending, t, labels, r_teme_m, r_cov_m2, range_rate_mps, range_m, sigma_range_m, sig_rr)
    # merged tracks hand their detections to the survivor; renumber in order of first detection
    alias = tr.alias[: tr.size]
    for _ in range(alias.size):
        nxt = alias[alias]
        if np.array_equal(nxt, alias):
            break
        alias = nxt
    labels = alias[labels]
    _, first = np.unique(labels, return_index=True)
    remap = np.empty(labels.max() + 1 if n_det else 0, dtype=int)
    remap[labels[np.sort(first)]] = np.arange(first.size)
    return remap[labels] if n_det else labels


def _merge_duplicates(tr: _Tracks, updated: NDArray, t: float, q: float) -> None:
    """Close tracks that duplicate another open confirmed track (same object followed twice).

    Two confirmed tracks whose positions at ``t`` differ by less than the 99 % chi-square gate of
    their combined covariance are one object; the one with fewer detections is merged into the
    other (its detections are relabelled at the end).
    """
    upd = updated[tr.n[updated] >= 2]
    others = tr.open_tracks()
    others = others[tr.n[others] >= 2]
    if upd.size == 0 or others.size < 2:
        return
    pos, tr_p = _predict_position(tr.x[:, others], tr.p[others], t - tr.t[others], q)
    sorter = np.argsort(others)
    iu = sorter[np.searchsorted(others, upd, sorter=sorter)]  # positions of the updated tracks in ``others``
    diff = pos[:, iu][:, :, None] - pos[:, None, :]  # (3, U, O)
    # d^2 = y^T S^-1 y >= |y|^2 / tr(S): pairs farther than that bound cannot be inside the gate
    ju, jo = np.nonzero(np.einsum("iuo,iuo->uo", diff, diff) < CHI2_MERGE_3DOF_P99 * (tr_p[iu][:, None] + tr_p[None, :]))
    keep_pair = jo != iu[ju]
    ju, jo = ju[keep_pair], jo[keep_pair]
    if ju.size == 0:
        return
    near, k = np.unique(np.concatenate([iu[ju], jo]), return_inverse=True)
    _, po = _predict(tr.x[:, others[near]], tr.p[others[near]], t - tr.t[others[near]], q)
    s = po[k[: ju.size], :3, :3] + po[k[ju.size :], :3, :3]
    y = diff[:, ju, jo].T
    d2 = np.einsum("ki,ki->k", y, np.linalg.solve(s, y[:, :, None])[:, :, 0])
    inside = d2 < CHI2_MERGE_3DOF_P99
    for u, o in zip(ju[inside], jo[inside], strict=True):
        a, b = int(upd[u]), int(others[o])
        if not (tr.open[a] and tr.open[b]):
            continue
        keep, drop = (a, b) if (tr.n[a], -a) >= (tr.n[b], -b) else (b, a)
        tr.open[drop] = False
        tr.alias[drop] = keep
        tr.n[keep] += tr.n[drop]


def _start(tr: _Tracks, d: NDArray, t: float, labels: NDArray, r: NDArray, rcov: NDArray, rr: NDArray,
           rng: NDArray, sig_rng: NDArray, sig_rr: NDArray) -> None:
    """Open one-detection tracks for detections ``d``."""
    if d.size:
        labels[d] = tr.add(d, r[:, d], rcov[d], np.full(d.size, t), rr[d], rng[d], sig_rng[d], sig_rr[d])


def _update(tr: _Tracks, a: NDArray, d: NDArray, t: float, r: NDArray, rcov: NDArray, rng: NDArray,
            rr: NDArray, sig_rng: NDArray, sig_rr: NDArray, q: float) -> None:
    """Kalman update of tracks ``a`` with detections ``d`` (two-point initialisation for n = 1)."""
    dt = t - tr.t[a]
    one = tr.n[a] == 1
    if one.any():  # two-point differencing initialisation (Bar-Shalom et al. 2001)
        ao, do, dto = a[one], d[one], dt[one]
        g = acceleration(r[:, do], 0.0, PASS_MODEL)
        v = (r[:, do] - tr.x[:3, ao]) / dto + 0.5 * g * dto
        p = np.zeros((ao.size, 6, 6))
        r2, r1 = rcov[do], tr.p[ao, :3, :3]
        p[:, :3, :3] = r2
        p[:, :3, 3:] = p[:, 3:, :3] = r2 / dto[:, None, None]
        p[:, 3:, 3:] = (r1 + r2) / (dto**2)[:, None, None]
        tr.x[:, ao] = np.concatenate([r[:, do], v])
        tr.p[ao] = p
    if (~one).any():
        ac, dc = a[~one], d[~one]
        xp, pp = _predict(tr.x[:, ac], tr.p[ac], dt[~one], q)
        s = pp[:, :3, :3] + rcov[dc]
        gain = np.linalg.solve(s, pp[:, :3, :]).transpose(0, 2, 1)  # K = P H^T S^-1 (S symmetric)
        y = r[:, dc] - xp[:3]
        tr.x[:, ac] = xp + np.einsum("kij,jk->ik", gain, y)
        tr.p[ac] = pp - gain @ pp[:, :3, :]
    tr.t[a] = t
    tr.n[a] += 1
    tr.last[a] = d
    tr.rr[a], tr.rng[a], tr.sig_rng[a], tr.sig_rr[a] = rr[d], rng[d], sig_rng[d], sig_rr[d]
