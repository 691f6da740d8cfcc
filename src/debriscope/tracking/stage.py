"""The ``tracking`` stage: detections -> tracks, orbits, classification and the alert timeline.

Reads ``detections.csv``; writes ``tracks.csv`` (one row per track), ``orbits.csv`` (one row per
linked object: the fit of its latest track) and ``alerts.csv`` (one row per track: naive alert,
orbit-based clearance, two-fan classification). The truth ``fragment_id`` is used for scoring only.
Site positions come from the sensors stage's radars (shipped sites and ``[[sensors.radars]]``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..elements import apsis_altitudes_m, period_s, rv_to_elements
from ..runfolder import ALERTS_FILE, DETECTIONS_FILE, FRAGMENTS_FILE, ORBITS_FILE, TRACKS_FILE, RunContext
from ..scenario.options import TrackingOptions
from ..tables import Table, write_csv
from ..timescale import tt_s_to_utc_iso
from .alerts import (
    StudyResult,
    clearance_index,
    fan_indices,
    misclassification_vs_dwell,
    naive_alert_index,
    two_fan_classification,
)
from .discrimination import perigee_altitude_m
from .linking import LinkGates, link_tracks, passes_per_object
from .measurements import Site
from .scoring import position_errors_m, score_tracks, track_truth
from .tracker import (
    Measurements,
    TrackOrbit,
    build_tracks,
    fit_and_classify,
    measurements_from_table,
    track_arc,
)

log = logging.getLogger(__name__)


def sites_from_sensor_options(sensor_options: Any) -> dict[str, Site]:
    """Geodetic positions of the sites the sensors stage simulated (first radar of each site)."""
    from ..sensors.stage import radars_from_options

    sites: dict[str, Site] = {}
    for radar in radars_from_options(sensor_options):
        sites.setdefault(radar.site, Site(radar.site, radar.latitude_deg, radar.longitude_deg, radar.altitude_m))
    return sites


def truth_states(ctx: RunContext, fragment_ids: NDArray, times_tt_s: NDArray) -> NDArray | None:
    """True TEME states (6, K) of fragments ``fragment_ids[k]`` at ``times_tt_s[k]`` (scoring only).

    The fragments of ``fragments.csv`` are propagated with the scenario's ``[propagation]`` force
    model (drag included), as the sensors stage did; None if fragments.csv is absent.
    """
    from ..propagation import make_force_model, propagate
    from ..timescale import utc_to_tt_s

    if not ctx.path(FRAGMENTS_FILE).exists() or fragment_ids.size == 0:
        return None
    frags = ctx.read_table(FRAGMENTS_FILE)
    ids = np.asarray(frags["fragment_id"], dtype=np.int64)
    want = np.unique(fragment_ids[fragment_ids >= 0])
    rows = np.flatnonzero(np.isin(ids, want))
    out = np.full((6, fragment_ids.size), np.nan)
    if rows.size == 0:
        return out
    t0 = float(np.atleast_1d(utc_to_tt_s(str(frags["epoch_utc"][rows[0]])))[0])
    cols = ("x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")
    state0 = np.stack([np.asarray(frags[c], dtype=float)[rows] for c in cols])
    times = np.unique(times_tt_s)
    model = make_force_model(ctx.scenario.propagation, t0, float(times.max()))
    eph = propagate(state0, t0, times, np.asarray(frags["am_m2_kg"], dtype=float)[rows], model)
    col_of = {int(f): j for j, f in enumerate(ids[rows])}
    for k, (f, t) in enumerate(zip(fragment_ids, times_tt_s, strict=True)):
        if int(f) in col_of:
            out[:, k] = eph.states[np.searchsorted(times, t), :, col_of[int(f)]]
    return out


def utc(t_tt_s: float) -> str:
    """ISO UTC of a TT instant, '' for NaN."""
    return str(tt_s_to_utc_iso(float(t_tt_s), decimals=3)) if np.isfinite(t_tt_s) else ""


class TrackResults:
    """Everything the tracker derives from one detections table (arrays over tracks)."""

    def __init__(self, meas: Measurements, labels: NDArray, sites: Mapping[str, Site], options: TrackingOptions,
                 rng: np.random.Generator | None) -> None:
        self.meas, self.labels, self.options = meas, labels, options
        n = int(labels.max()) + 1 if labels.size and labels.max() >= 0 else 0
        self.n_tracks = n
        self.index = [np.flatnonzero(labels == k) for k in range(n)]
        self.site = np.array([meas.site[i[0]] for i in self.index], dtype=str)
        self.arcs = [track_arc(meas, i, sites[s]) for i, s in zip(self.index, self.site, strict=True)]
        self.beams = [meas.beam[i[np.argsort(meas.t_tt_s[i], kind="stable")]] for i in self.index]
        self.orbit: list[TrackOrbit] = [fit_and_classify(a, options, rng) for a in self.arcs]
        self.two_fan: list[TrackOrbit | None] = [
            two_fan_classification(a, b, options, rng) for a, b in zip(self.arcs, self.beams, strict=True)
        ]
        self.naive = np.array([
            naive_alert_index(a, options.defended_lat_deg, options.defended_lon_deg, options.heading_tolerance_deg)
            for a in self.arcs
        ], dtype=int)
        self.cleared = np.array([clearance_index(a, options, rng, o) for a, o in zip(self.arcs, self.orbit, strict=True)],
                                dtype=int)
        self.first = np.array([a.t_tt_s[0] for a in self.arcs])
        self.last = np.array([a.t_tt_s[-1] for a in self.arcs])
        states = np.array([o.fit.state for o in self.orbit]).T.reshape(6, n)
        valid = np.array([o.classification != "undetermined" for o in self.orbit], dtype=bool)
        gates = LinkGates(options.link_gate_radial_km * 1e3, options.link_gate_along_km * 1e3,
                          options.link_gate_cross_km * 1e3, options.link_gate_growth_per_h,
                          options.link_max_gap_h * 3600.0)
        self.object_id = link_tracks(states, self.last, self.first, self.site, gates, valid)
        self.n_passes = passes_per_object(self.object_id)

    def event_time(self, k: int, idx: int) -> float:
        return float(self.arcs[k].t_tt_s[idx]) if idx >= 0 else np.nan


def tracks_table(res: TrackResults, truth: Any | None) -> Table:
    """``tracks.csv``."""
    n = res.n_tracks
    return {
        "track_id": np.arange(1, n + 1),
        "site": res.site,
        "object_id": res.object_id,
        "n_detections": np.array([i.size for i in res.index], dtype=int),
        "first_utc": np.array([utc(t) for t in res.first], dtype=str),
        "last_utc": np.array([utc(t) for t in res.last], dtype=str),
        "truth_fragment_id": truth.truth_fragment_id if truth is not None else np.full(n, -1),
        "purity": truth.purity if truth is not None else np.full(n, np.nan),
        "fit_rms": np.array([o.fit.rms for o in res.orbit]),
    }


def orbits_table(res: TrackResults, meas: Measurements, fragment_id: NDArray | None) -> Table:
    """``orbits.csv``: one row per object, the fit of its latest track with a usable state."""
    rows = []
    for obj in np.unique(res.object_id):
        ks = np.flatnonzero(res.object_id == obj)
        good = [k for k in ks if res.orbit[k].classification != "undetermined"]
        rows.append((obj, good[-1] if good else ks[-1], ks))
    n = len(rows)
    state = np.array([res.orbit[k].fit.state for _, k, _ in rows]).T.reshape(6, n)
    cov = np.array([res.orbit[k].fit.covariance for _, k, _ in rows]).reshape(n, 6, 6)
    el = rv_to_elements(state[:3], state[3:])
    apo, peri = apsis_altitudes_m(el.a_m, el.e)
    truth = np.full(n, -1, dtype=np.int64)
    if fragment_id is not None:
        for j, (_, _, ks) in enumerate(rows):
            f = fragment_id[np.concatenate([res.index[k] for k in ks])]
            vals, counts = np.unique(f, return_counts=True)
            truth[j] = vals[np.argmax(counts)]
    o = [res.orbit[k] for _, k, _ in rows]
    return {
        "object_id": np.array([r[0] for r in rows], dtype=int),
        "track_id": np.array([r[1] + 1 for r in rows], dtype=int),
        "epoch_utc": np.array([utc(x.fit.epoch_tt_s) for x in o], dtype=str),
        "x_teme_m": state[0], "y_teme_m": state[1], "z_teme_m": state[2],
        "vx_teme_mps": state[3], "vy_teme_mps": state[4], "vz_teme_mps": state[5],
        "sigma_pos_m": np.sqrt(np.trace(cov[:, :3, :3], axis1=1, axis2=2)),
        "sigma_vel_mps": np.sqrt(np.trace(cov[:, 3:, 3:], axis1=1, axis2=2)),
        "classification": np.array([x.classification for x in o], dtype=str),
        "p_ballistic": np.array([x.p_ballistic for x in o]),
        "impact_lat_deg": np.array([x.impact_lat_deg for x in o]),
        "impact_lon_deg": np.array([x.impact_lon_deg for x in o]),
        "impact_utc": np.array([utc(x.impact_tt_s) for x in o], dtype=str),
        "n_passes": np.array([len(r[2]) for r in rows], dtype=int),
        "n_detections": np.array([sum(res.index[k].size for k in r[2]) for r in rows], dtype=int),
        "truth_fragment_id": truth,
        "perigee_km": peri / 1e3,
        "apogee_km": apo / 1e3,
        "period_min": period_s(el.a_m) / 60.0,
        "inclination_deg": np.degrees(el.i_rad),
        "perigee_ellipsoid_km": np.array([x.perigee_km for x in o]),
    }


def alerts_table(res: TrackResults) -> Table:
    """``alerts.csv``: one row per track."""
    n = res.n_tracks
    naive_t = np.array([res.event_time(k, res.naive[k]) for k in range(n)])
    clear_t = np.array([res.event_time(k, res.cleared[k]) for k in range(n)])
    tf = res.two_fan

    def two(attr: str) -> NDArray:
        return np.array([getattr(x, attr) if x is not None else np.nan for x in tf])

    return {
        "site": res.site,
        "track_id": np.arange(1, n + 1),
        "object_id": res.object_id,
        "first_detection_utc": np.array([utc(t) for t in res.first], dtype=str),
        "naive_alert_utc": np.array([utc(t) for t in naive_t], dtype=str),
        "cleared_utc": np.array([utc(t) for t in clear_t], dtype=str),
        "alert_duration_s": np.where(np.isfinite(naive_t), np.maximum(clear_t - naive_t, 0.0), np.nan),
        "classification": np.array([o.classification for o in res.orbit], dtype=str),
        "p_ballistic": np.array([o.p_ballistic for o in res.orbit]),
        "classification_two_fan": np.array([x.classification if x is not None else "" for x in tf], dtype=str),
        "p_ballistic_two_fan": two("p_ballistic"),
        "impact_lat_deg_two_fan": two("impact_lat_deg"),
        "impact_lon_deg_two_fan": two("impact_lon_deg"),
        "impact_utc_two_fan": np.array([utc(t) for t in two("impact_tt_s")], dtype=str),
    }


def tracker_sigma(meas: Measurements, site: str, options: TrackingOptions) -> NDArray:
    """Tracker sigmas (range_m, az_rad, el_rad, rr_mps) at a site: median of its tracker rows or options."""
    sel = (meas.site == site) & (meas.beam == "tracker")
    if sel.any():
        return np.nanmedian(meas.sigma[:, sel], axis=1)
    deg = np.pi / 180.0
    return np.array([options.study_tracker_sigma_range_m, options.study_tracker_sigma_angle_deg * deg,
                     options.study_tracker_sigma_angle_deg * deg, options.study_tracker_sigma_range_rate_mps])


def two_fan_study(res: TrackResults, site: str, reference: NDArray | None,
                  rng: np.random.Generator) -> StudyResult | None:
    """The misclassification-vs-dwell study on a site's tracks that crossed both fans.

    ``reference`` (6, n_tracks) holds each track's reference state at its fit epoch: the truth
    where known (then only truly orbital objects enter), else None and the track's own fit is
    used for tracks it classes orbital (biased towards favourable fits: a caveat of user data).
    """
    opts = res.options
    ks = [k for k in range(res.n_tracks) if res.site[k] == site and fan_indices(res.beams[k]) is not None]
    if reference is not None:
        states_all = reference
        ks = [k for k in ks if np.all(np.isfinite(reference[:, k]))
              and perigee_altitude_m(reference[:, k])[0] >= opts.perigee_threshold_km * 1e3]
    else:
        states_all = np.array([o.fit.state for o in res.orbit]).T.reshape(6, res.n_tracks)
        ks = [k for k in ks if res.orbit[k].classification == "orbital"]
    if not ks:
        return None
    arcs = [res.arcs[k].subset(np.sort(fan_indices(res.beams[k]))) for k in ks]
    states = states_all[:, ks]
    epochs = np.array([res.orbit[k].fit.epoch_tt_s for k in ks])
    return misclassification_vs_dwell(
        states, epochs, arcs, opts.study_dwell_s, opts.study_tracker_interval_s,
        tracker_sigma(res.meas, site, opts), rng, n_samples=opts.study_samples,
        h_crit_m=opts.perigee_threshold_km * 1e3,
    )


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def site_summary(res: TrackResults, site: str, fragment_id: NDArray | None, study: StudyResult | None,
                 p_clear: float, truly_orbital: NDArray | None) -> dict[str, Any]:
    """The summary.json entry of one site."""
    sel = res.meas.site == site
    ks = np.flatnonzero(res.site == site)
    naive_t = np.array([res.event_time(k, res.naive[k]) for k in ks])
    clear_t = np.array([res.event_time(k, res.cleared[k]) for k in ks])
    alerted = np.isfinite(naive_t)
    # two-fan fits of objects known to be orbital (truth), else of every track with both crossings
    tf = [res.two_fan[k] for k in ks if res.two_fan[k] is not None
          and (truly_orbital is None or truly_orbital[k])]
    out: dict[str, Any] = {
        "first_detection_utc": utc(res.meas.t_tt_s[sel].min()) if sel.any() else "",
        "n_detections": int(sel.sum()),
        "n_fragments_seen": int(np.unique(fragment_id[sel]).size) if fragment_id is not None else None,
        "n_tracks": int(ks.size),
        "n_objects": int(np.unique(res.object_id[ks]).size) if ks.size else 0,
        "n_ballistic_tracks": int(sum(res.orbit[k].classification == "ballistic" for k in ks)),
        "n_naive_alerts": int(alerted.sum()),
        "first_naive_alert_utc": utc(np.nanmin(naive_t)) if alerted.any() else "",
        "first_alert_cleared_utc": utc(clear_t[np.nanargmin(np.where(alerted, naive_t, np.inf))]) if alerted.any() else "",
        "last_alert_cleared_utc": utc(np.nanmax(clear_t[alerted])) if alerted.any() and np.isfinite(clear_t[alerted]).any() else "",
        "n_alerts_never_cleared": int((alerted & ~np.isfinite(clear_t)).sum()),
        "two_fan_tracks": len(tf),
        "two_fan_fraction_ballistic": (sum(x.classification == "ballistic" for x in tf) / len(tf)) if tf else None,
    }
    false_alarm = [k for k in ks if res.two_fan[k] is not None and res.two_fan[k].classification == "ballistic"
                   and (truly_orbital is None or truly_orbital[k])]
    if false_alarm:
        k = min(false_alarm, key=lambda j: res.arcs[j].t_tt_s[-1])
        tf0 = res.two_fan[k]
        out["first_two_fan_ballistic"] = {
            "track_id": int(k + 1), "fit_utc": utc(tf0.fit.epoch_tt_s), "p_ballistic": float(tf0.p_ballistic),
            "impact_lat_deg": _finite(tf0.impact_lat_deg), "impact_lon_deg": _finite(tf0.impact_lon_deg),
            "impact_utc": utc(tf0.impact_tt_s),
        }
    if study is not None:
        settle = study.dwell_s[study.fraction_ballistic < p_clear]
        out["study"] = {
            "n_objects": int(study.per_object.shape[0]),
            "dwell_s": [float(d) for d in study.dwell_s],
            "fraction_ballistic": [float(f) for f in study.fraction_ballistic],
            "dwell_to_settle_s": float(settle.min()) if settle.size else None,
        }
    return out


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Associate, fit, classify, link and score; write tracks.csv, orbits.csv and alerts.csv."""
    options: TrackingOptions = ctx.scenario.tracking
    det = ctx.read_table(DETECTIONS_FILE)
    sites = sites_from_sensor_options(ctx.scenario.sensors)
    meas = measurements_from_table(det, options)
    labels = build_tracks(meas, sites, options)
    fragment_id = np.asarray(det["fragment_id"], dtype=np.int64) if "fragment_id" in det else None
    res = TrackResults(meas, labels, sites, options, ctx.rng)
    truth = track_truth(labels, fragment_id) if fragment_id is not None and res.n_tracks else None
    reference = None
    pos_err = np.full(res.n_tracks, np.nan)
    if truth is not None:
        epochs = np.array([o.fit.epoch_tt_s for o in res.orbit])
        reference = truth_states(ctx, truth.truth_fragment_id, epochs)
        if reference is not None:
            fitted = np.array([o.fit.state for o in res.orbit]).T.reshape(6, res.n_tracks)
            pos_err = position_errors_m(fitted[:3], reference[:3])
    truly_orbital = None
    if reference is not None:
        with np.errstate(invalid="ignore"):
            truly_orbital = perigee_altitude_m(reference) >= options.perigee_threshold_km * 1e3
    tracks = tracks_table(res, truth)
    tracks["position_error_m"] = pos_err
    write_csv(ctx.path(TRACKS_FILE), tracks)
    write_csv(ctx.path(ORBITS_FILE), orbits_table(res, meas, fragment_id))
    write_csv(ctx.path(ALERTS_FILE), alerts_table(res))
    summary: dict[str, Any] = {
        "n_detections": int(labels.size),
        "n_detections_in_tracks": int((labels >= 0).sum()),
        "n_tracks": res.n_tracks,
        "n_objects": int(np.unique(res.object_id).size) if res.n_tracks else 0,
        "perigee_threshold_km": options.perigee_threshold_km,
        "sites": {},
    }
    for site in sorted(set(meas.site.tolist())):
        study = two_fan_study(res, site, reference, ctx.rng)
        summary["sites"][site] = site_summary(res, site, fragment_id, study, options.p_clear, truly_orbital)
        summary["sites"][site]["study_reference"] = "truth" if reference is not None else "fit"
        err = pos_err[res.site == site]
        summary["sites"][site]["median_position_error_km"] = (
            float(np.nanmedian(err)) / 1e3 if np.isfinite(err).any() else None)
    if fragment_id is not None and labels.size:
        sc = score_tracks(labels, fragment_id, options.min_track_detections)
        summary["track_quality"] = {
            "purity_mean": _finite(sc.purity_mean), "completeness": _finite(sc.completeness),
            "fragmentation": _finite(sc.fragmentation), "n_fragments_detected": sc.n_fragments_detected,
            "n_fragments_tracked": sc.n_fragments_tracked,
        }
    log.info("tracking: %d tracks, %d objects", res.n_tracks, summary["n_objects"])
    return summary
