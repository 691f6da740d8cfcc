"""From a detections table to tracks and fitted orbits: the array core the stage and CLI share.

A detections table holds the columns of ``detections.csv`` (``time_utc, site, beam, range_m,
azimuth_deg, elevation_deg, range_rate_mps`` and optionally the ``sigma_*`` columns and the truth
``fragment_id``, which is never used here). Missing sigmas take the
:class:`~debriscope.tracking.warning_parts.DefaultSigmas`; a missing or empty range rate is not used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ..tables import Table
from ..timescale import utc_to_tt_s
from .association import AssociationCounts, AssociationParameters, associate, cartesian_covariance
from .discrimination import Classification
from .maintenance.parts import Classifier
from .measurements import Site, SiteGeometry, radar_to_teme, site_geometry
from .od import OrbitFit, RadarArc, fit_orbit
from .warning_parts import DefaultSigmas

REQUIRED_COLUMNS = ("time_utc", "site", "range_m", "azimuth_deg", "elevation_deg")


class Measurements(NamedTuple):
    """Detections in SI arrays, sigmas filled: rows of ``z``/``sigma`` are range_m, azimuth_rad,
    elevation_rad, range_rate_mps."""

    t_tt_s: NDArray
    site: NDArray
    beam: NDArray
    z: NDArray
    sigma: NDArray


def measurements_from_table(table: Table, defaults: DefaultSigmas) -> Measurements:
    """Validate a detections table and convert it to SI arrays with sigmas filled in."""
    missing = [c for c in REQUIRED_COLUMNS if c not in table]
    if missing:
        raise ValueError(
            f"detections lack the column(s) {', '.join(missing)}; required: {', '.join(REQUIRED_COLUMNS)}"
            " (optional: beam, range_rate_mps, sigma_range_m, sigma_azimuth_deg, sigma_elevation_deg,"
            " sigma_range_rate_mps, fragment_id)"
        )
    n = len(table["time_utc"])
    deg = np.pi / 180.0

    def num(name: str, default: float = np.nan) -> NDArray:
        if name not in table:
            return np.full(n, default)
        col = np.asarray(table[name])
        if col.dtype.kind not in "fiu":
            col = np.array([float(v) if str(v).strip() != "" else np.nan for v in col])
        return col.astype(float)

    def filled(name: str, default: float, scale: float = 1.0) -> NDArray:
        col = num(name) * scale
        return np.where(np.isfinite(col) & (col > 0), col, default)

    rr = num("range_rate_mps")
    z = np.stack([num("range_m"), num("azimuth_deg") * deg, num("elevation_deg") * deg, rr])
    if not np.all(np.isfinite(z[:3])):
        raise ValueError("detections: range_m, azimuth_deg and elevation_deg must be numbers on every row")
    sig_rr = np.where(np.isfinite(rr), filled("sigma_range_rate_mps", defaults.range_rate_mps), np.nan)
    sigma = np.stack([
        filled("sigma_range_m", defaults.range_m),
        filled("sigma_azimuth_deg", defaults.angle_rad, deg),
        filled("sigma_elevation_deg", defaults.angle_rad, deg),
        sig_rr,
    ])
    t = np.atleast_1d(np.asarray(utc_to_tt_s(np.asarray(table["time_utc"]).astype(str)), dtype=float))
    beam = np.asarray(table["beam"]).astype(str) if "beam" in table else np.full(n, "unknown")
    return Measurements(t, np.asarray(table["site"]).astype(str), beam, z, sigma)


def build_tracks(meas: Measurements, sites: Mapping[str, Site], params: AssociationParameters,
                 counts: AssociationCounts | None = None) -> NDArray:
    """Associate each site's detections; global track labels (N,), -1 for detections left out.

    Tracks are numbered from 0 in order of site name, then of first detection; tracks with fewer
    than ``params.min_track_detections`` detections are dropped (label -1). ``counts`` (optional)
    adds up the association's work over the sites.
    """
    labels = np.full(meas.t_tt_s.size, -1, dtype=int)
    next_id = 0
    for name in sorted(set(meas.site.tolist())):
        if name not in sites:
            raise ValueError(f"site {name!r} of the detections has no known position; known: {', '.join(sites)}")
        idx = np.flatnonzero(meas.site == name)
        geo = site_geometry(sites[name], meas.t_tt_s[idx])
        z, sig = meas.z[:, idx], meas.sigma[:, idx]
        r = _positions(z, geo)
        rcov = cartesian_covariance(z[0], z[1], z[2], sig, geo)
        lab = associate(meas.t_tt_s[idx], r, rcov, z[0], z[3], sig[0], sig[3], geo, params, counts)
        sizes = np.bincount(lab)
        keep = sizes >= params.min_track_detections
        new_id = np.full(sizes.size, -1)
        new_id[keep] = next_id + np.arange(keep.sum())
        next_id += int(keep.sum())
        labels[idx] = new_id[lab]
    return labels


def _positions(z: NDArray, geo: SiteGeometry) -> NDArray:
    return radar_to_teme(z[0], np.degrees(z[1]), np.degrees(z[2]), geo)


def track_arc(meas: Measurements, index: NDArray, site: Site) -> RadarArc:
    """The radar arc of some detections (one site), in time order."""
    idx = np.asarray(index)
    order = idx[np.argsort(meas.t_tt_s[idx], kind="stable")]
    geo = site_geometry(site, meas.t_tt_s[order])
    return RadarArc(site, meas.t_tt_s[order], meas.z[:, order], meas.sigma[:, order], geo)


@dataclass(frozen=True)
class TrackOrbit(Classification):
    """Orbit determination and discrimination of one track."""

    fit: OrbitFit


UNDETERMINED = "undetermined"
"""Classification of a track whose orbit fit failed (non-finite state or covariance)."""


def fit_and_classify(arc: RadarArc, classifier: Classifier, rng: np.random.Generator | None) -> TrackOrbit:
    """Batch least squares on one arc, then the orbital/ballistic test with its probability.

    ``rng`` None, or ``classifier.samples`` 0, gives the linearised probability.
    """
    fit = fit_orbit([arc])
    if not (np.all(np.isfinite(fit.state)) and np.all(np.isfinite(fit.covariance))):
        return TrackOrbit(UNDETERMINED, np.nan, np.nan, np.nan, np.nan, np.nan, fit=fit)
    return TrackOrbit(**vars(classifier.assess(fit.state, fit.covariance, fit.epoch_tt_s, rng)), fit=fit)
