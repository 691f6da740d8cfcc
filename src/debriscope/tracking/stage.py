"""The ``tracking`` stage: detections -> tracks, orbits, classification and the alert timeline.

Reads ``detections.csv``; writes ``tracks.csv`` (one row per track), ``orbits.csv`` (one row per
linked object: the multi-pass fit over all its passes, :mod:`debriscope.tracking.multipass`) and
``alerts.csv`` (one row per track: naive alert, orbit-based clearance by pass, two-fan
classification). The truth ``fragment_id`` is used for scoring only.
Site positions come from ``radars.json``, which the sensors stage writes (shipped sites and
``[[sensors.radars]]``): tracking reads files, it does not call the sensors stage.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..elements import apsis_altitudes_m, period_s, rv_to_elements
from ..propagation import ForceModel, force_model_from_parameters
from ..runfolder import (
    ALERTS_FILE,
    ASSOCIATIONS_FILE,
    DETECTIONS_FILE,
    EVENT_FILE,
    MODELS_FILE,
    OBJECTS_FILE,
    ORBITS_FILE,
    RADARS_FILE,
    TRACKS_FILE,
    TRUTH_STATES_FILE,
    RunContext,
)
from ..scenario.options import TrackingOptions
from ..tables import Table, write_csv
from ..timescale import tt_s_to_utc_iso, utc_to_tt_s
from .alerts import StudyResult, fan_indices, misclassification_vs_dwell
from .association import AssociationParameters
from .discrimination import perigee_altitude_m
from .linking import LinkGates
from .maintenance import MaintenanceParts, maintain, observations_from_table, stations_from_sensors
from .maintenance.estimator import EstimatorParameters
from .maintenance.observations import with_defaults
from .maintenance.origin import Origin, OriginInitiation
from .maintenance.outputs import admissible_fragments, associations_table, objects_table, score
from .maintenance.parts import Admission, Classifier, Correlation, Custody, Gate, Initiation, Tasking
from .measurements import Site
from .multipass import estimator_dynamics
from .passgate import PassGate
from .revlink import PairGates
from .scoring import position_errors_m, score_tracks, track_truth
from .tracker import Measurements, build_tracks, measurements_from_table
from .truth import check_truth_rows, truth_at_rows
from .warning import WarningTracks, analyse
from .warning_parts import AlertRule, Clearance, DefaultSigmas, DwellStudy, EarlyWarningParts, ObjectBuilder

log = logging.getLogger(__name__)


def sites_from_radars(radars: list[dict[str, Any]]) -> dict[str, Site]:
    """Geodetic positions of the sites of ``radars.json``'s radars (first radar of each site)."""
    sites: dict[str, Site] = {}
    for radar in radars:
        name = radar["site"] or radar["name"]
        sites.setdefault(name, Site(name, radar["latitude_deg"], radar["longitude_deg"], radar["altitude_m"]))
    return sites


def reference_states(truth: Table, rows: NDArray, index: list[NDArray], t_tt_s: NDArray,
                     majority: NDArray) -> NDArray:
    """True TEME states (6, n_tracks) at each track's fit epoch, its last detection (scoring only):
    ``truth_states.csv`` at that detection's row when it belongs to the track's majority fragment,
    else NaN. ``rows`` maps the early-warning rows to rows of detections.csv."""
    out = np.full((6, len(index)), np.nan)
    for k, idx in enumerate(index):
        last = idx[np.argmax(t_tt_s[idx])]
        ids, state = truth_at_rows(truth, rows[[last]])
        if ids[0] == majority[k]:
            out[:, k] = state[:, 0]
    return out


def utc(t_tt_s: float) -> str:
    """ISO UTC of a TT instant, '' for NaN."""
    return str(tt_s_to_utc_iso(float(t_tt_s), decimals=3)) if np.isfinite(t_tt_s) else ""


def early_warning_parts(options: TrackingOptions, estimator: ForceModel | None = None) -> EarlyWarningParts:
    """The early-warning analysis's parts, built once from ``[tracking]`` (SI), with the estimator's
    force model ``estimator`` (:func:`estimator_model`; default the parts' own)."""
    deg = np.pi / 180.0
    return EarlyWarningParts(
        estimator=estimator if estimator is not None else estimator_dynamics(),
        sigmas=DefaultSigmas(options.default_sigma_range_m, options.default_sigma_angle_deg * deg,
                             options.default_sigma_range_rate_mps),
        associator=AssociationParameters(
            max_gap_s=options.max_gap_s, process_noise_mps2=options.process_noise_mps2,
            min_speed_mps=options.min_speed_mps, speed_sigma_mps=options.speed_sigma_mps,
            gate_sigma=options.gate_sigma, min_track_detections=options.min_track_detections),
        classifier=Classifier(options.perigee_threshold_km, options.p_ballistic_samples),
        alert=AlertRule(options.defended_lat_deg * deg, options.defended_lon_deg * deg,
                        options.heading_tolerance_deg * deg),
        clearance=Clearance(options.p_clear),
        linker=LinkGates(options.link_gate_radial_km * 1e3, options.link_gate_along_km * 1e3,
                         options.link_gate_cross_km * 1e3, options.link_gate_growth_per_h,
                         options.link_max_gap_h * 3600.0, options.link_max_predecessors),
        builder=ObjectBuilder(options.multipass_max_rms, options.multipass_b_prior_m2_kg,
                              options.multipass_ln_b_sigma, PassGate(Gate(probability=options.gate_probability)),
                              options.multipass_max_refits, options.multipass_max_tries),
        pairing=PairGates(options.revlink_max_gap_h * 3600.0, options.revlink_min_period_min * 60.0,
                          options.revlink_max_period_min * 60.0, options.revlink_plane_gate_deg,
                          options.multipass_max_rms, options.revlink_max_pairs, options.revlink_max_partners),
        study=DwellStudy(tuple(options.study_dwell_s), options.study_tracker_interval_s,
                         (options.study_tracker_sigma_range_m, options.study_tracker_sigma_angle_deg * deg,
                          options.study_tracker_sigma_angle_deg * deg, options.study_tracker_sigma_range_rate_mps),
                         options.study_samples),
    )


def tracks_table(res: WarningTracks, truth: Any | None) -> Table:
    """``tracks.csv``."""
    n = res.n_tracks
    return {
        "track_id": np.arange(1, n + 1),
        "site": res.site,
        "object_id": res.object_id,
        "n_detections": np.array([i.size for i in res.index], dtype=int),
        "first_utc": np.array([utc(t) for t in res.first_tt_s], dtype=str),
        "last_utc": np.array([utc(t) for t in res.last_tt_s], dtype=str),
        "truth_fragment_id": truth.truth_fragment_id if truth is not None else np.full(n, -1),
        "purity": truth.purity if truth is not None else np.full(n, np.nan),
        "fit_rms": res.fit.rms,
    }


def orbits_table(res: WarningTracks, fragment_id: NDArray | None) -> Table:
    """``orbits.csv``: one row per object, from the multi-pass fit over all its accepted passes.

    An object of one pass keeps its track's single-pass fit (drag-free, ``od_method``
    'single_pass'); one of several passes has the fit of state and ballistic coefficient over all
    of them (``od_method`` 'multi_pass', which also gives its class and p_ballistic).
    """
    n = len(res.builds)
    state, cov = np.full((6, n), np.nan), np.full((n, 6, 6), np.nan)
    epoch = np.full(n, np.nan)
    b_est, sig_lnb, rms = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    cls = np.full(n, "undetermined", dtype=object)
    p_b, peri_ell = np.full(n, np.nan), np.full(n, np.nan)
    imp_t, imp_lat, imp_lon = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    method = np.full(n, "single_pass", dtype=object)
    truth = np.full(n, -1, dtype=np.int64)
    for j, b in enumerate(res.builds):
        last = b.tracks[-1]
        if len(b.tracks) >= 2:
            s = b.steps[-1]
            f = s.fit
            state[:, j], cov[j], epoch[j], rms[j] = f.state, f.covariance, f.epoch_tt_s, f.rms
            b_est[j], sig_lnb[j], method[j] = f.b_m2_kg, f.sigma_ln_b, "multi_pass"
            cls[j], p_b[j], peri_ell[j] = s.classification, s.p_ballistic, s.perigee_km
            imp_t[j], imp_lat[j], imp_lon[j] = s.impact_tt_s, s.impact_lat_deg, s.impact_lon_deg
        else:
            f, c = res.fit, res.single
            state[:, j], cov[j], epoch[j], rms[j] = f.state[:, last], f.covariance[last], f.epoch_tt_s[last], f.rms[last]
            cls[j], p_b[j], peri_ell[j] = c.classification[last], c.p_ballistic[last], c.perigee_km[last]
            imp_t[j], imp_lat[j], imp_lon[j] = c.impact_tt_s[last], c.impact_lat_deg[last], c.impact_lon_deg[last]
        if fragment_id is not None:
            f_ids = fragment_id[np.concatenate([res.index[k] for k in b.tracks])]
            vals, counts = np.unique(f_ids, return_counts=True)
            truth[j] = vals[np.argmax(counts)]
    with np.errstate(invalid="ignore", divide="ignore"):
        el = rv_to_elements(state[:3], state[3:])
        apo, peri = apsis_altitudes_m(el.a_m, el.e)
        period = period_s(el.a_m) / 60.0
    return {
        "object_id": np.arange(1, n + 1),
        "track_id": np.array([b.tracks[-1] + 1 for b in res.builds], dtype=int),
        "epoch_utc": np.array([utc(t) for t in epoch], dtype=str),
        "x_teme_m": state[0], "y_teme_m": state[1], "z_teme_m": state[2],
        "vx_teme_mps": state[3], "vy_teme_mps": state[4], "vz_teme_mps": state[5],
        "sigma_pos_m": np.sqrt(np.trace(cov[:, :3, :3], axis1=1, axis2=2)),
        "sigma_vel_mps": np.sqrt(np.trace(cov[:, 3:, 3:], axis1=1, axis2=2)),
        "classification": cls.astype(str),
        "p_ballistic": p_b,
        "impact_lat_deg": imp_lat,
        "impact_lon_deg": imp_lon,
        "impact_utc": np.array([utc(t) for t in imp_t], dtype=str),
        "n_passes": np.array([len(b.tracks) for b in res.builds], dtype=int),
        "n_detections": np.array([sum(res.index[k].size for k in b.tracks) for b in res.builds], dtype=int),
        "truth_fragment_id": truth,
        "perigee_km": peri / 1e3,
        "apogee_km": apo / 1e3,
        "period_min": period,
        "inclination_deg": np.degrees(el.i_rad),
        "perigee_ellipsoid_km": peri_ell,
        "od_method": method.astype(str),
        "ballistic_coefficient_m2_kg": b_est,
        "sigma_ln_ballistic_coefficient": sig_lnb,
        "fit_rms": rms,
        "sites": np.array(["+".join(sorted(set(res.site[b.tracks].tolist()))) for b in res.builds], dtype=str),
    }


def alerts_table(res: WarningTracks) -> Table:
    """``alerts.csv``: one row per track."""
    n = res.n_tracks
    naive_t = np.array([res.event_time(k, res.naive[k]) for k in range(n)])
    clear_t = res.cleared_tt_s
    tf = res.two_fan
    return {
        "site": res.site,
        "track_id": np.arange(1, n + 1),
        "object_id": res.object_id,
        "first_detection_utc": np.array([utc(t) for t in res.first_tt_s], dtype=str),
        "naive_alert_utc": np.array([utc(t) for t in naive_t], dtype=str),
        "cleared_utc": np.array([utc(t) for t in clear_t], dtype=str),
        "cleared_by": np.where(np.isfinite(clear_t), res.cleared_by, ""),
        "alert_duration_s": np.where(np.isfinite(naive_t), np.maximum(clear_t - naive_t, 0.0), np.nan),
        "classification": res.single.classification,
        "p_ballistic": res.single.p_ballistic,
        "classification_two_fan": tf.classification,
        "p_ballistic_two_fan": tf.p_ballistic,
        "impact_lat_deg_two_fan": tf.impact_lat_deg,
        "impact_lon_deg_two_fan": tf.impact_lon_deg,
        "impact_utc_two_fan": np.array([utc(t) for t in tf.impact_tt_s], dtype=str),
    }


def tracker_sigma(meas: Measurements, site: str, study: DwellStudy) -> NDArray:
    """Tracker sigmas (range_m, az_rad, el_rad, rr_mps) at a site: median of its tracker rows, else the study's."""
    sel = (meas.site == site) & (meas.beam == "tracker")
    if sel.any():
        return np.nanmedian(meas.sigma[:, sel], axis=1)
    return np.array(study.tracker_sigma, dtype=float)


def two_fan_study(res: WarningTracks, meas: Measurements, site: str, reference: NDArray | None,
                  parts: EarlyWarningParts, rng: np.random.Generator) -> StudyResult | None:
    """The misclassification-vs-dwell study on a site's tracks that crossed both fans.

    ``reference`` (6, n_tracks) holds each track's reference state at its fit epoch: the truth
    where known (then only truly orbital objects enter), else None and the track's own fit is
    used for tracks it classes orbital (biased towards favourable fits: a caveat of user data).
    """
    h_crit_m = parts.classifier.perigee_threshold_km * 1e3
    ks = [k for k in range(res.n_tracks) if res.site[k] == site and fan_indices(res.beams[k]) is not None]
    if reference is not None:
        states_all = reference
        ks = [k for k in ks if np.all(np.isfinite(reference[:, k])) and perigee_altitude_m(reference[:, k])[0] >= h_crit_m]
    else:
        states_all = res.fit.state
        ks = [k for k in ks if res.single.classification[k] == "orbital"]
    if not ks:
        return None
    arcs = [res.arcs[k].subset(np.sort(fan_indices(res.beams[k]))) for k in ks]
    study = parts.study
    return misclassification_vs_dwell(
        states_all[:, ks], res.fit.epoch_tt_s[ks], arcs, study.dwell_s, study.tracker_interval_s,
        tracker_sigma(meas, site, study), rng, n_samples=study.samples, h_crit_m=h_crit_m,
    )


def never_cleared_reasons(res: WarningTracks, ks: NDArray) -> dict[str, int]:
    """Why alerts were never cleared: counts by reason over the tracks ``ks``.

    'single_pass': the track's object has no later pass (nothing linked to it after it);
    'still_ballistic': later passes were fitted but p_ballistic stayed >= p_clear;
    'undetermined': the track's own fit failed.
    """
    out = {"single_pass": 0, "still_ballistic": 0, "undetermined": 0}
    for k in ks:
        b = res.builds[res.object_id[k] - 1]
        if not b.steps:
            out["undetermined"] += 1
        elif b.tracks.index(int(k)) == len(b.tracks) - 1:
            out["single_pass"] += 1
        else:
            out["still_ballistic"] += 1
    return out


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def site_summary(res: WarningTracks, meas: Measurements, site: str, fragment_id: NDArray | None,
                 study: StudyResult | None, p_clear: float, truly_orbital: NDArray | None) -> dict[str, Any]:
    """The summary.json entry of one site."""
    sel = meas.site == site
    ks = np.flatnonzero(res.site == site)
    naive_t = np.array([res.event_time(k, res.naive[k]) for k in ks])
    clear_t = res.cleared_tt_s[ks]
    alerted = np.isfinite(naive_t)
    # two-fan fits of objects known to be orbital (truth), else of every track with both crossings
    tf = [res.two_fan.classification[k] for k in ks if res.two_fan.classification[k] != ""
          and (truly_orbital is None or truly_orbital[k])]
    out: dict[str, Any] = {
        "first_detection_utc": utc(meas.t_tt_s[sel].min()) if sel.any() else "",
        "n_detections": int(sel.sum()),
        "n_fragments_seen": int(np.unique(fragment_id[sel]).size) if fragment_id is not None else None,
        "n_tracks": int(ks.size),
        "n_objects": int(np.unique(res.object_id[ks]).size) if ks.size else 0,
        "n_ballistic_tracks": int(np.sum(res.single.classification[ks] == "ballistic")),
        "n_naive_alerts": int(alerted.sum()),
        "first_naive_alert_utc": utc(np.nanmin(naive_t)) if alerted.any() else "",
        "first_alert_cleared_utc": utc(np.nanmin(clear_t[alerted])) if alerted.any() and np.isfinite(clear_t[alerted]).any() else "",
        "last_alert_cleared_utc": utc(np.nanmax(clear_t[alerted])) if alerted.any() and np.isfinite(clear_t[alerted]).any() else "",
        "n_alerts_cleared_own_pass": int((alerted & (res.cleared_by[ks] == "own_pass")).sum()),
        "n_alerts_cleared_multi_pass": int((alerted & (res.cleared_by[ks] == "multi_pass")).sum()),
        "median_time_to_clear_s": _finite(float(np.median((clear_t - naive_t)[alerted & np.isfinite(clear_t)])))
        if (alerted & np.isfinite(clear_t)).any() else None,
        "n_alerts_never_cleared": int((alerted & ~np.isfinite(clear_t)).sum()),
        "never_cleared": never_cleared_reasons(res, ks[alerted & ~np.isfinite(clear_t)]),
        "two_fan_tracks": len(tf),
        "two_fan_fraction_ballistic": (sum(x == "ballistic" for x in tf) / len(tf)) if tf else None,
    }
    false_alarm = [k for k in ks if res.two_fan.classification[k] == "ballistic"
                   and (truly_orbital is None or truly_orbital[k])]
    if false_alarm:
        k = min(false_alarm, key=lambda j: res.last_tt_s[j])
        tf0 = res.two_fan
        out["first_two_fan_ballistic"] = {
            "track_id": int(k + 1), "fit_utc": utc(res.two_fan_fit.epoch_tt_s[k]),
            "p_ballistic": float(tf0.p_ballistic[k]), "impact_lat_deg": _finite(tf0.impact_lat_deg[k]),
            "impact_lon_deg": _finite(tf0.impact_lon_deg[k]), "impact_utc": utc(tf0.impact_tt_s[k]),
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


def maintenance_parts(options: TrackingOptions) -> MaintenanceParts:
    """The maintenance loop's parts, built once from ``[tracking]``."""
    return MaintenanceParts(
        estimator=EstimatorParameters(
            process_noise_psd_m2_s3=options.estimator_process_noise_psd_m2_s3,
            ln_b_noise_per_day=options.estimator_ln_b_noise_per_day,
            b_prior_m2_kg=options.multipass_b_prior_m2_kg, ln_b_prior_sigma=options.multipass_ln_b_sigma),
        gate=Gate(probability=options.gate_probability),
        tasking=Tasking(np.radians(options.tasking_radar_half_beam_deg), np.radians(options.tasking_camera_half_field_deg)),
        initiation=Initiation(min_detections=options.initiation_min_detections),
        admission=Admission(options.admission_min_passes, options.admission_min_span_days,
                            options.admission_max_sigma_km),
        custody=Custody(options.custody_tentative_days, options.custody_lost_days, options.custody_max_sigma_km),
        correlation=Correlation(probability=options.correlation_probability,
                                max_lost_days=options.correlation_max_lost_days),
        classifier=Classifier(options.perigee_threshold_km, options.p_ballistic_samples),
        origin=OriginInitiation(max_days=options.origin_initiation_days, max_dv_mps=options.origin_max_dv_mps),
    )


def estimator_model(params: Mapping[str, Any], t_start_tt_s: float) -> ForceModel:
    """The estimator's force model from its record (``models.json`` ``estimator``, resolved by the
    scenario stage from ``[tracking] estimator_*``): its own atmosphere, drag coefficient and step,
    not the truth's historical NRLMSIS. Resolved once per run (anchored at the first detection) for
    both the maintenance loop and the early-warning fits."""
    return force_model_from_parameters(params, t_start_tt_s)


def event_origin(event: Mapping[str, Any] | None) -> Origin | None:
    """The breakup's epoch and first parent's state from ``event.json`` (what the analyst of a known
    event has), for new objects from single passes; None without an event."""
    if not event or not event.get("parents"):
        return None
    parent = event["parents"][0]
    return Origin(float(event["event"]["t_tt_s"]), np.array([*parent["r_teme_m"], *parent["v_teme_mps"]], dtype=float))


def run_maintenance(ctx: RunContext, options: TrackingOptions, det: Table, radars: Mapping[str, Any],
                    origin: Origin | None, model: ForceModel | None) -> dict[str, Any]:
    """Maintain the catalog over every detection in the estimator's force model ``model``; write
    objects.csv and associations.csv."""
    import time

    tic, cpu = time.perf_counter(), time.process_time()
    det = with_defaults(det)
    stations = stations_from_sensors(radars)
    obs = observations_from_table(det, stations)
    if obs.size == 0 or model is None:
        return {"n_detections": 0, "n_objects": 0}
    parts = maintenance_parts(options)
    with ctx.progress(math.ceil((obs.t_tt_s[-1] - obs.t_tt_s[0]) / 3600.0), "catalog maintenance (hours)") as bar:
        last = [float(obs.t_tt_s[0])]

        def advance(clock: float) -> None:
            bar((clock - last[0]) / 3600.0)
            last[0] = clock

        result = maintain(obs, model, parts, {k[0]: v for k, v in stations.items() if not k[1]}, origin=origin,
                          progress=advance)
    fragment_id = np.asarray(det["fragment_id"], dtype=np.int64) if "fragment_id" in det else None
    sensor_of_row = np.asarray(det["sensor"]).astype(str)
    write_csv(ctx.path(OBJECTS_FILE), objects_table(result, obs, sensor_of_row, parts.classifier, fragment_id))
    write_csv(ctx.path(ASSOCIATIONS_FILE), associations_table(result, obs))
    elapsed, elapsed_cpu = time.perf_counter() - tic, time.process_time() - cpu
    searchable = ~np.asarray(obs.needs_prediction)[np.argsort(obs.row)]
    admissible = None if fragment_id is None else admissible_fragments(fragment_id, searchable, obs, parts.admission)
    out = score(result, fragment_id, searchable, admissible)
    out.update({"n_detections": obs.size, "n_passes": int(obs.pass_id.max()) + 1, "n_windows": result.n_windows,
                "seconds": round(elapsed, 2), "cpu_seconds": round(elapsed_cpu, 2),
                "detections_per_second": round(obs.size / max(elapsed, 1e-9), 1)})
    log.info("catalog maintenance: %d objects (%d admitted) from %d detections in %.1f s",
             out["n_objects"], out["n_admitted"], obs.size, elapsed)
    return out


def first_detection_tt_s(det: Table) -> float:
    """TT of the earliest detection of a non-empty table: the estimator model's anchor."""
    return float(np.min(utc_to_tt_s(np.asarray(det["time_utc"]).astype(str))))


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Associate, fit, classify, link and score; write tracks.csv, orbits.csv and alerts.csv."""
    options: TrackingOptions = ctx.scenario.tracking
    from ..sensors.detect import early_warning_rows  # fan/cued rows of the warning window

    event = ctx.read_json(EVENT_FILE) if ctx.path(EVENT_FILE).exists() else None
    all_det = ctx.read_table(DETECTIONS_FILE)
    radars = ctx.read_json(RADARS_FILE)
    n_all = len(all_det["time_utc"])
    det = early_warning_rows({**all_det, "detection_index": np.arange(n_all)}, options.window_days,
                             None if event is None else float(event["event"]["t_tt_s"]))
    rows = np.asarray(det.pop("detection_index"), dtype=np.int64)
    sites = sites_from_radars(radars["radars"])
    model = estimator_model(ctx.read_json(MODELS_FILE)["estimator"], first_detection_tt_s(all_det)) if n_all else None
    parts = early_warning_parts(options, model)
    meas = measurements_from_table(det, parts.sigmas)
    labels = build_tracks(meas, sites, parts.associator)
    fragment_id = np.asarray(det["fragment_id"], dtype=np.int64) if "fragment_id" in det else None
    res = analyse(meas, labels, sites, parts, ctx.rng)
    truth = track_truth(labels, fragment_id) if fragment_id is not None and res.n_tracks else None
    reference = None
    pos_err = np.full(res.n_tracks, np.nan)
    if truth is not None and ctx.path(TRUTH_STATES_FILE).exists():
        truth_table = ctx.read_table(TRUTH_STATES_FILE)
        check_truth_rows(truth_table, n_all, TRUTH_STATES_FILE)
        reference = reference_states(truth_table, rows, res.index, meas.t_tt_s, truth.truth_fragment_id)
        pos_err = position_errors_m(res.fit.state[:3], reference[:3])
    truly_orbital = None
    if reference is not None:
        with np.errstate(invalid="ignore"):
            truly_orbital = perigee_altitude_m(reference) >= options.perigee_threshold_km * 1e3
    tracks = tracks_table(res, truth)
    tracks["position_error_m"] = pos_err
    write_csv(ctx.path(TRACKS_FILE), tracks)
    write_csv(ctx.path(ORBITS_FILE), orbits_table(res, fragment_id))
    write_csv(ctx.path(ALERTS_FILE), alerts_table(res))
    summary: dict[str, Any] = {
        "n_detections": int(labels.size),
        "n_detections_in_tracks": int((labels >= 0).sum()),
        "n_tracks": res.n_tracks,
        "n_objects": int(np.unique(res.object_id).size) if res.n_tracks else 0,
        "n_objects_multi_pass": int(sum(len(b.tracks) >= 2 for b in res.builds)),
        "n_linked_before_consistency_check": int(np.unique(res.linked_id).size) if res.n_tracks else 0,
        "perigee_threshold_km": options.perigee_threshold_km,
        "sites": {},
    }
    for site in sorted(set(meas.site.tolist())):
        study = two_fan_study(res, meas, site, reference, parts, ctx.rng)
        summary["sites"][site] = site_summary(res, meas, site, fragment_id, study, parts.clearance.p_clear,
                                              truly_orbital)
        summary["sites"][site]["study_reference"] = "truth" if reference is not None else "fit"
        err = pos_err[res.site == site]
        summary["sites"][site]["median_position_error_km"] = (
            float(np.nanmedian(err)) / 1e3 if np.isfinite(err).any() else None)
    if fragment_id is not None and labels.size:
        sc = score_tracks(labels, fragment_id, parts.associator.min_track_detections)
        summary["track_quality"] = {
            "purity_mean": _finite(sc.purity_mean), "completeness": _finite(sc.completeness),
            "fragmentation": _finite(sc.fragmentation), "n_fragments_detected": sc.n_fragments_detected,
            "n_fragments_tracked": sc.n_fragments_tracked,
        }
    if options.maintenance:
        summary["maintenance"] = run_maintenance(ctx, options, all_det, radars, event_origin(event), model)
    log.info("tracking: %d tracks, %d objects", res.n_tracks, summary["n_objects"])
    return summary
