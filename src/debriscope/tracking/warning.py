"""The two-day early-warning analysis, assembled from declared parts (:mod:`.warning_parts`).

Per track (one site's pass): the single-pass fit and its class (:func:`.tracker.fit_and_classify`),
the two-fan fit (:func:`.alerts.two_fan_classification`), the naive alert and its clearance within
the pass; across passes: linking (:func:`.linking.link_tracks`), the multi-pass build of each linked
object behind the pass gate (:func:`.multipass.build_object`), two-pass linking of the passes left
alone (:func:`.revlink.link_pairs`) and the clearance of each alert by its object's later passes.
The result is one record of arrays over tracks, :class:`WarningTracks`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .alerts import clearance_index, two_fan_classification
from .discrimination import Classification
from .linking import link_tracks
from .measurements import Site
from .multipass import ObjectBuild, build_object, classed_step, clearance_time
from .od import RadarArc
from .revlink import link_pairs
from .tracker import UNDETERMINED, Measurements, TrackOrbit, fit_and_classify, track_arc
from .warning_parts import EarlyWarningParts


@dataclass(frozen=True)
class Classes:
    """Classifications over n tracks (struct of arrays); '' and NaN where there is none."""

    classification: NDArray
    p_ballistic: NDArray
    perigee_km: NDArray
    impact_tt_s: NDArray
    impact_lat_deg: NDArray
    impact_lon_deg: NDArray

    @classmethod
    def of(cls, items: Sequence[Classification | None]) -> Classes:
        def col(attr: str) -> NDArray:
            return np.array([getattr(c, attr) if c is not None else np.nan for c in items], dtype=float)

        names = np.array([c.classification if c is not None else "" for c in items], dtype=object).astype(str)
        return cls(names, col("p_ballistic"), col("perigee_km"), col("impact_tt_s"), col("impact_lat_deg"),
                   col("impact_lon_deg"))


@dataclass(frozen=True)
class Fits:
    """Batch least-squares fits over n tracks: epoch (TT s), TEME state (6, n), covariance (n, 6, 6), RMS."""

    epoch_tt_s: NDArray
    state: NDArray
    covariance: NDArray
    rms: NDArray

    @classmethod
    def of(cls, items: Sequence[TrackOrbit | None]) -> Fits:
        n = len(items)
        epoch, rms = np.full(n, np.nan), np.full(n, np.nan)
        state, cov = np.full((6, n), np.nan), np.full((n, 6, 6), np.nan)
        for k, o in enumerate(items):
            if o is not None:
                epoch[k], state[:, k], cov[k], rms[k] = o.fit.epoch_tt_s, o.fit.state, o.fit.covariance, o.fit.rms
        return cls(epoch, state, cov, rms)


@dataclass(frozen=True)
class WarningTracks:
    """The early-warning analysis of one detections table: arrays over tracks, and the objects."""

    site: NDArray
    index: list[NDArray]
    """Rows of the detections table of each track."""
    arcs: list[RadarArc]
    beams: list[NDArray]
    """Each track's beams, in its arc's (time) order."""
    first_tt_s: NDArray
    last_tt_s: NDArray
    fit: Fits
    single: Classes
    """Each track's own single-pass class."""
    two_fan_fit: Fits
    two_fan: Classes
    naive: NDArray
    """Index in the arc of the naive alert, -1 for none."""
    cleared: NDArray
    """Index in the arc of the own-pass clearance, -1 for none."""
    cleared_tt_s: NDArray
    cleared_by: NDArray
    """'own_pass', 'multi_pass' or ''."""
    linked_id: NDArray
    object_id: NDArray
    """Object (from 1) of each track after the multi-pass build."""
    builds: list[ObjectBuild]
    """Objects in order of their first track."""

    @property
    def n_tracks(self) -> int:
        return len(self.arcs)

    def event_time(self, k: int, idx: int) -> float:
        """TT of detection ``idx`` of track ``k``'s arc, NaN for -1."""
        return float(self.arcs[k].t_tt_s[idx]) if idx >= 0 else np.nan


def analyse(meas: Measurements, labels: NDArray, sites: Mapping[str, Site], parts: EarlyWarningParts,
            rng: np.random.Generator | None) -> WarningTracks:
    """The early-warning analysis of tracks ``labels`` (from :func:`.tracker.build_tracks`)."""
    n = int(labels.max()) + 1 if labels.size and labels.max() >= 0 else 0
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(n + 1))
    index = [order[bounds[k] : bounds[k + 1]] for k in range(n)]
    site = np.array([meas.site[i[0]] for i in index], dtype=str)
    arcs = [track_arc(meas, i, sites[s]) for i, s in zip(index, site, strict=True)]
    beams = [meas.beam[i[np.argsort(meas.t_tt_s[i], kind="stable")]] for i in index]
    orbit = [fit_and_classify(a, parts.classifier, rng) for a in arcs]
    two_fan = [two_fan_classification(a, b, parts.classifier, rng) for a, b in zip(arcs, beams, strict=True)]
    naive = np.array([parts.alert.first_alert(a) for a in arcs], dtype=int)
    # a clearance is of an alert: tracks that raised none are not refitted detection by detection
    cleared = np.array([clearance_index(a, parts.clearance, parts.classifier, rng, o) if alert >= 0 else -1
                        for a, o, alert in zip(arcs, orbit, naive, strict=True)], dtype=int)
    first = np.array([a.t_tt_s[0] for a in arcs])
    last = np.array([a.t_tt_s[-1] for a in arcs])
    fits, single = Fits.of(orbit), Classes.of(orbit)
    linked = link_tracks(fits.state, last, first, site, parts.linker, single.classification != UNDETERMINED)
    seeds = [(float(fits.epoch_tt_s[k]), fits.state[:, k]) if single.classification[k] != UNDETERMINED else None
             for k in range(n)]
    builds = object_builds(linked, first, arcs, seeds, parts, rng)
    object_id = np.zeros(n, dtype=int)
    for j, b in enumerate(builds):
        object_id[b.tracks] = j + 1
    cleared_tt_s, cleared_by = clearances(arcs, naive, cleared, builds, object_id, parts.clearance.p_clear)
    return WarningTracks(site, index, arcs, beams, first, last, fits, single, Fits.of(two_fan), Classes.of(two_fan),
                         naive, cleared, cleared_tt_s, cleared_by, linked, object_id, builds)


def object_builds(linked: NDArray, first: NDArray, arcs: list[RadarArc], seeds: list[tuple[float, NDArray] | None],
                  parts: EarlyWarningParts, rng: np.random.Generator | None) -> list[ObjectBuild]:
    """Multi-pass objects from the linked tracks, numbered in time order of their first track.

    Each linked object's passes are added in time order to one multi-pass fit behind the pass gate;
    passes that do not fit with the others form further objects
    (:func:`debriscope.tracking.multipass.build_object`). Tracks whose single-pass fit failed stay
    objects of their own, without steps; objects of one pass are then paired across revolutions.
    """
    b, c = parts.builder, parts.classifier
    use_rng = rng if c.samples > 0 else None
    builds: list[ObjectBuild] = []
    for obj in np.unique(linked):
        ks = np.flatnonzero(linked == obj)
        ks = [int(k) for k in ks[np.argsort(first[ks], kind="stable")]]
        builds += build_object(ks, arcs, seeds, max_rms=b.max_rms, h_crit_m=c.perigee_threshold_km * 1e3,
                               rng=use_rng, n_samples=max(c.samples, 1), b_prior_m2_kg=b.b_prior_m2_kg,
                               ln_b_prior_sigma=b.ln_b_prior_sigma, gate=b.gate, max_refits=b.max_refits,
                               max_tries=b.max_tries,
                               model=parts.estimator)
        builds += [ObjectBuild([k], []) for k in ks if seeds[k] is None]
    builds = pair_single_passes(builds, arcs, seeds, parts, use_rng)
    return sorted(builds, key=lambda o: (first[o.tracks[0]], o.tracks[0]))


def pair_single_passes(builds: list[ObjectBuild], arcs: list[RadarArc], seeds: list[tuple[float, NDArray] | None],
                       parts: EarlyWarningParts, rng: np.random.Generator | None) -> list[ObjectBuild]:
    """Join objects of one pass in pairs by two-pass orbit determination across revolutions
    (:func:`debriscope.tracking.revlink.link_pairs`): the pair's object has the first pass's step
    and the two-pass fit's step (at the second pass's last detection)."""
    single = {b.tracks[0]: b for b in builds if len(b.tracks) == 1 and b.steps}
    c = parts.classifier
    pairs = link_pairs(sorted(single), arcs, [s if k in single else None for k, s in enumerate(seeds)],
                       parts.pairing, b_prior_m2_kg=parts.builder.b_prior_m2_kg,
                       ln_b_prior_sigma=parts.builder.ln_b_prior_sigma, model=parts.estimator)
    joined = {k for a, b, _ in pairs for k in (a, b)}
    out = [b for b in builds if not (len(b.tracks) == 1 and b.tracks[0] in joined)]
    for a, b, fit in pairs:
        step = classed_step(b, float(arcs[b].t_tt_s[-1]), fit, c.perigee_threshold_km * 1e3, rng, max(c.samples, 1))
        out.append(ObjectBuild([a, b], [single[a].steps[0], step]))
    return out


def clearances(arcs: list[RadarArc], naive: NDArray, cleared: NDArray, builds: list[ObjectBuild],
               object_id: NDArray, p_clear: float) -> tuple[NDArray, NDArray]:
    """Clearance time of each track's alert (TT s): its own pass (detection by detection), then the
    object's multi-pass fit after each later pass; and which of the two cleared it (NaN and ''
    for a track without a naive alert)."""
    t = np.full(len(arcs), np.nan)
    by = np.full(len(arcs), "", dtype=object)
    for k in np.flatnonzero(naive >= 0):
        own = float(arcs[k].t_tt_s[cleared[k]]) if cleared[k] >= 0 else np.nan
        multi = clearance_time(builds[object_id[k] - 1], k, p_clear)
        if np.isfinite(own) and not multi < own:
            t[k], by[k] = own, "own_pass"
        elif np.isfinite(multi):
            t[k], by[k] = multi, "multi_pass"
    return t, by.astype(str)
