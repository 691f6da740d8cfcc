"""Alert timeline and the two-fan study: "missile or debris?" as a 1962 warning site saw it.

**Naive rule.** A track is flagged as a threat at the first detection k >= 1 at which the mean
Earth-fixed motion since its first detection, (r_k - r_0)/(t_k - t_0), is *descending* (the
geocentric distance shrinks) and *heading toward the defended point*: the horizontal direction
of motion is within a tolerance of the great-circle bearing from the object's sub-point to the
defended point. It looks only at direction and descent, never at speed or orbit; a low-perigee
orbit seen past apogee satisfies it as readily as a re-entry vehicle does.

**Orbit-based clearance.** The track is cleared at the first detection after which a batch
least-squares fit of the detections so far gives p_ballistic < ``p_clear``
(:mod:`debriscope.tracking.discrimination`).

**Two-fan fit.** The FPS-50 site computer fitted a trajectory from a target's crossings of the
low and then the high fan (Time, January 1962). :func:`two_fan_classification` fits the fan
detections alone, with their coarse accuracy, and classes the result.

**Study.** :func:`misclassification_vs_dwell` answers how often the two-fan fit would class an
orbiting object as ballistic, and how much tracking-radar time settles it. For each object it
forms the least-squares covariance ``P_T = (H^T W H)^-1`` of the fan measurements plus tracker
measurements during a dwell T after the high-fan crossing (the estimate of a linearised
least-squares fit is x + N(0, P_T)), draws ``n`` estimates from it with the passed Generator and
counts those whose perigee falls below the orbital threshold.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..frames import ecef_to_geodetic, teme_to_itrf
from ..propagation.estimator_dynamics import PASS_MODEL, propagate_states
from .discrimination import H_CRIT_DEFAULT_M, perigee_altitude_m, sample_states
from .maintenance.parts import Classifier
from .measurements import Site, predict_measurements, site_geometry
from .od import RadarArc
from .tracker import TrackOrbit, fit_and_classify
from .warning_parts import Clearance

FAN_BEAMS = ("fan_low", "fan_high")


def bearing_rad(lat1_rad: NDArray, lon1_rad: NDArray, lat2_rad: float, lon2_rad: float) -> NDArray:
    """Initial great-circle bearing from point 1 to point 2, clockwise from north (sphere)."""
    dlon = lon2_rad - lon1_rad
    y = np.sin(dlon) * np.cos(lat2_rad)
    x = np.cos(lat1_rad) * np.sin(lat2_rad) - np.sin(lat1_rad) * np.cos(lat2_rad) * np.cos(dlon)
    return np.mod(np.arctan2(y, x), 2.0 * np.pi)


def naive_alert_index(
    arc: RadarArc, defended_lat_deg: float, defended_lon_deg: float, heading_tolerance_deg: float
) -> int:
    """Index of the detection at which the naive direction-and-descent rule first fires, or -1."""
    if arc.t_tt_s.size < 2:
        return -1
    r_teme = arc.positions_teme()
    r_itrf, _ = teme_to_itrf(r_teme, None, arc.t_tt_s)
    d = r_itrf[:, 1:] - r_itrf[:, :1]
    descending = np.linalg.norm(r_itrf[:, 1:], axis=0) < np.linalg.norm(r_itrf[:, 0])
    mid = r_itrf[:, :1] + 0.5 * d
    lat, lon, _ = ecef_to_geodetic(mid)
    east = np.stack([-np.sin(lon), np.cos(lon), np.zeros_like(lon)])
    north = np.stack([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)])
    heading = np.mod(np.arctan2(np.einsum("in,in->n", d, east), np.einsum("in,in->n", d, north)), 2 * np.pi)
    target = bearing_rad(lat, lon, np.radians(defended_lat_deg), np.radians(defended_lon_deg))
    off = np.abs(np.mod(heading - target + np.pi, 2 * np.pi) - np.pi)
    fires = np.flatnonzero(descending & (off <= np.radians(heading_tolerance_deg)))
    return int(fires[0] + 1) if fires.size else -1


def prefix_lengths(n: int, max_evaluations: int = 10) -> NDArray:
    """Detection counts (2..n) at which the clearance test is evaluated: all if few, else spread
    geometrically so the cost stays bounded."""
    if n < 2:
        return np.zeros(0, dtype=int)
    if n - 1 <= max_evaluations:
        return np.arange(2, n + 1)
    return np.unique(np.round(np.geomspace(2, n, max_evaluations)).astype(int))


def fan_indices(beam: ArrayLike) -> NDArray | None:
    """Indices of the fan detections if the arc has a low-fan crossing followed by a high-fan one."""
    b = np.asarray(beam).astype(str)
    low, high = np.flatnonzero(b == "fan_low"), np.flatnonzero(b == "fan_high")
    if low.size == 0 or high.size == 0 or high.max() < low.min():
        return None
    return np.concatenate([low, high[high > low.min()]])


def two_fan_classification(
    arc: RadarArc, beam: ArrayLike, classifier: Classifier, rng: np.random.Generator | None
) -> TrackOrbit | None:
    """Fit and class a track from its fan detections alone (low-fan then high-fan crossing).

    ``beam`` gives each detection's beam, in the arc's (time) order; None if the track lacks
    either crossing.
    """
    idx = fan_indices(beam)
    if idx is None:
        return None
    return fit_and_classify(arc.subset(np.sort(idx)), classifier, rng)


def clearance_index(
    arc: RadarArc, clearance: Clearance, classifier: Classifier, rng: np.random.Generator | None,
    full: TrackOrbit | None = None,
) -> int:
    """Index of the first detection after which the orbit fit of the detections so far gives
    p_ballistic < ``clearance.p_clear``; -1 if never.

    ``full``, the fit of the whole arc if already done, is reused; if even it does not clear, no
    shorter prefix is tried (more data only narrows the covariance).
    """
    n_all = arc.t_tt_s.size
    if full is not None and not (np.isfinite(full.p_ballistic) and full.p_ballistic < clearance.p_clear):
        return -1
    for n in prefix_lengths(n_all, clearance.max_evaluations):
        res = full if (full is not None and n == n_all) else fit_and_classify(arc.subset(np.arange(n)), classifier, rng)
        if np.isfinite(res.p_ballistic) and res.p_ballistic < clearance.p_clear:
            return int(n - 1)
    return -1


class StudyResult(NamedTuple):
    """Two-fan misclassification versus tracking dwell."""

    dwell_s: NDArray
    fraction_ballistic: NDArray
    """Mean over objects of the fraction of fitted estimates classed ballistic, per dwell."""
    per_object: NDArray
    """(n_objects, n_dwell) fractions."""


def misclassification_vs_dwell(
    states_teme: ArrayLike,
    epoch_tt_s: ArrayLike,
    fan_arcs: list[RadarArc],
    dwell_s: ArrayLike,
    tracker_interval_s: float,
    tracker_sigma: ArrayLike,
    rng: np.random.Generator,
    *,
    n_samples: int = 2000,
    h_crit_m: float = H_CRIT_DEFAULT_M,
) -> StudyResult:
    """Fraction of two-fan (+ tracker dwell) fits that class orbiting objects as ballistic.

    Parameters
    ----------
    states_teme : (6, N) reference (true or best-fit) states of the objects at ``epoch_tt_s`` (N,).
    fan_arcs : N arcs holding each object's fan detections (times, site and sigmas are used;
        measured values are not).
    dwell_s : dwell times of the tracking radar after the last fan detection, s.
    tracker_interval_s : time between tracker measurements, s.
    tracker_sigma : (4,) tracker sigmas: range_m, azimuth_rad, elevation_rad, range_rate_mps.
    rng : Generator for the Monte Carlo draws.
    """
    x_all = np.asarray(states_teme, dtype=float).reshape(6, -1)
    epochs = np.atleast_1d(np.asarray(epoch_tt_s, dtype=float))
    dwell = np.atleast_1d(np.asarray(dwell_s, dtype=float))
    sig_trk = np.asarray(tracker_sigma, dtype=float)
    out = np.zeros((x_all.shape[1], dwell.size))
    n_track = int(np.floor(dwell.max() / tracker_interval_s + 1e-9)) if dwell.size else 0
    for j, arc in enumerate(fan_arcs):
        t_trk = arc.t_tt_s.max() + tracker_interval_s * np.arange(1, n_track + 1)
        times = np.concatenate([arc.t_tt_s, t_trk])
        sig = np.concatenate([arc.sigma, np.repeat(sig_trk[:, None], n_track, axis=1)], axis=1)
        h = _normalised_jacobian(x_all[:, j], epochs[j], arc.site, times, sig)  # (rows, 6), rows per time
        for k, dw in enumerate(dwell):
            n_rows = arc.t_tt_s.size + int(np.floor(dw / tracker_interval_s + 1e-9))
            hk = h[: n_rows * 4]
            hk = hk[np.all(np.isfinite(hk), axis=1)]
            scale = np.concatenate([np.full(3, 1e3), np.full(3, 1.0)])
            hs = hk * scale
            cov = np.linalg.pinv(hs.T @ hs) * np.outer(scale, scale)
            samples = sample_states(x_all[:, j], cov, n_samples, rng)
            out[j, k] = np.mean(perigee_altitude_m(samples) < h_crit_m)
    frac = out.mean(axis=0) if out.size else np.full(dwell.size, np.nan)
    return StudyResult(dwell, frac, out)


def _normalised_jacobian(x: NDArray, epoch: float, site: Site, times: NDArray, sigma: NDArray) -> NDArray:
    """Rows d(z/sigma)/dx of the radar measurements at ``times``, time-major, NaN where unused."""
    delta = np.concatenate([np.full(3, 1.0), np.full(3, 1e-3)])
    cols = np.concatenate([x[:, None], x[:, None] + np.diag(delta)], axis=1)
    geo = site_geometry(site, times)
    pred = predict_measurements(propagate_states(cols, epoch, times, 0.0, PASS_MODEL), geo)  # (4, M, 7)
    diff = pred[:, :, 1:] - pred[:, :, :1]
    diff[1] = np.mod(diff[1] + np.pi, 2 * np.pi) - np.pi
    jac = diff / delta[None, None, :]
    use = np.isfinite(sigma) & (sigma > 0)
    jac = np.where(use[:, :, None], jac / np.where(use, sigma, 1.0)[:, :, None], np.nan)
    return jac.transpose(1, 0, 2).reshape(-1, 6)
