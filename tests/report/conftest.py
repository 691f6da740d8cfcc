"""A small, realistic run folder for the report: the real scenario stage's ``event.json`` for the
flagship, plus hand-made tables with the inter-stage contract columns (fragments, decays, element
snapshots, detections, tracks, orbits, alerts, a catalog database, summary.json).

The numbers are synthetic but physically shaped: fragments get a few tens of m/s around the
parent at the event, apogee decays towards perigee until re-entry, detections lie in the radar
sectors at the fan elevations. Deterministic (fixed seed).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from debriscope.elements import apsis_altitudes_m, period_s, rv_to_elements
from debriscope.scenario.groundtrack import parking_orbit_track
from debriscope.scenario.load import load, to_toml
from debriscope.scenario.stage import event_record
from debriscope.sensors.network import shipped_network
from debriscope.sensors.parameters import sensor_parameters
from debriscope.tables import write_csv
from debriscope.timescale import tt_s_to_utc_iso

N_FRAGMENTS = 60
N_CATALOGUED = 20
N_ALERTED = 8
SNAPSHOT_DAYS = (0.0, 0.1, 1.0, 3.0, 7.0, 15.0, 30.0, 40.0, 60.0, 90.0, 120.0)
SPAN_DAYS = 120.0
DAY_S = 86400.0


def _iso(t_tt_s) -> np.ndarray:
    return np.atleast_1d(tt_s_to_utc_iso(np.asarray(t_tt_s, float), decimals=3))


def make_run(run_dir: Path, seed: int = 7) -> Path:
    """Write the synthetic run folder; returns it."""
    rng = np.random.default_rng(seed)
    run_dir.mkdir(parents=True, exist_ok=True)
    scenario = load("sputnik22")
    (run_dir / "scenario.toml").write_text(to_toml(scenario), encoding="utf-8")
    event = event_record(scenario)
    (run_dir / "event.json").write_text(json.dumps(event, indent=2), encoding="utf-8")
    write_csv(run_dir / "groundtrack.csv", parking_orbit_track(event))  # the scenario stage's
    network = shipped_network()
    radars = [r for site in ("clear", "thule") for r in network[site]]
    (run_dir / "radars.json").write_text(json.dumps(sensor_parameters(radars)), encoding="utf-8")  # the sensors stage's
    t_event = event["event"]["t_tt_s"]
    parent = event["parents"][0]
    r0 = np.asarray(parent["r_teme_m"])[:, None]
    v0 = np.asarray(parent["v_teme_mps"])[:, None]

    n = N_FRAGMENTS
    ids = np.arange(1, n + 1)
    dv = rng.normal(0.0, 40.0, (3, n))
    r = np.repeat(r0, n, axis=1)
    v = v0 + dv
    am = 10 ** rng.uniform(-2.3, -0.7, n)
    lc = 10 ** rng.uniform(-1.3, 0.3, n)
    write_csv(run_dir / "fragments.csv", {
        "fragment_id": ids, "parent": np.array([parent["name"]] * n), "object_class": np.array(["rocket_body"] * n),
        "lc_m": lc, "am_m2_kg": am, "area_m2": lc**2, "mass_kg": lc**2 / am,
        "dv_x_mps": dv[0], "dv_y_mps": dv[1], "dv_z_mps": dv[2],
        "x_teme_m": r[0], "y_teme_m": r[1], "z_teme_m": r[2], "vx_teme_mps": v[0], "vy_teme_mps": v[1],
        "vz_teme_mps": v[2], "epoch_utc": np.repeat(_iso(t_event), n),
    })

    el = rv_to_elements(r, v)
    apo0, per0 = (x / 1e3 for x in apsis_altitudes_m(el.a_m, el.e))
    # lifetime grows with perigee height and falls with area-to-mass (shape only, not a model)
    life = np.clip(2.0 + 3.0 * np.maximum(per0 - 120.0, 0.0) / 60.0 * (0.01 / am) ** 0.7, 0.5, 400.0)
    decayed = life < SPAN_DAYS
    write_csv(run_dir / "decay.csv", {
        "fragment_id": ids,
        "decay_utc": np.where(decayed, _iso(t_event + life * DAY_S), ""),
        "lifetime_days": np.where(decayed, life, np.nan),
        "status": np.where(decayed, "decayed", "ok"),
    })

    rows = {k: [] for k in ("fragment_id", "epoch_utc", "kind", "period_min", "apogee_km", "perigee_km",
                            "inclination_deg")}
    for day in SNAPSHOT_DAYS:
        alive = life > day
        frac = np.clip(day / life, 0.0, 1.0)[alive]
        apo = apo0[alive] - (apo0[alive] - per0[alive]) * frac**0.5
        per = per0[alive] - (per0[alive] - 120.0) * frac**3
        a = 6378.135 + 0.5 * (apo + per)
        rows["fragment_id"].extend(ids[alive])
        rows["epoch_utc"].extend(_iso(np.full(alive.sum(), t_event + day * DAY_S)))
        rows["kind"].extend(["osculating"] * alive.sum())
        rows["period_min"].extend(period_s(a * 1e3) / 60.0)
        rows["apogee_km"].extend(apo)
        rows["perigee_km"].extend(per)
        rows["inclination_deg"].extend(np.degrees(el.i_rad[alive]))
    write_csv(run_dir / "elements.csv", {k: np.asarray(v) for k, v in rows.items()})

    # detections: the first N_CATALOGUED fragments seen by both sites, each several times
    det = {k: [] for k in ("time_utc", "site", "beam", "range_m", "azimuth_deg", "elevation_deg",
                           "range_rate_mps", "snr_db", "fragment_id")}
    sectors = {"clear": (290.0, 120.0), "thule": (280.0, 160.0)}
    for f in ids[:N_CATALOGUED]:
        for site, (az0, width) in sectors.items():
            for _ in range(3):
                beam, elev = [("fan_low", 3.5), ("fan_high", 7.0)][rng.integers(2)]
                det["time_utc"].append(_iso(t_event + rng.uniform(1500.0, 1.5 * DAY_S))[0])
                det["site"].append(site)
                det["beam"].append(beam)
                det["range_m"].append(rng.uniform(1.2e6, 2.4e6))
                det["azimuth_deg"].append((az0 + rng.uniform(0.0, width)) % 360.0)
                det["elevation_deg"].append(elev + rng.normal(0.0, 0.2))
                det["range_rate_mps"].append(rng.normal(0.0, 3000.0))
                det["snr_db"].append(rng.uniform(13.0, 30.0))
                det["fragment_id"].append(f)
    # plus fence crossings and camera opportunities over three weeks (issue 15's kinds)
    for f in ids[:N_CATALOGUED]:
        for sensor, kind in (("navspasur", "fence"), ("bn_organ_pass", "camera")):
            for day in (1.0, 8.0, 20.0):
                det["time_utc"].append(_iso(t_event + day * DAY_S + rng.uniform(0.0, DAY_S))[0])
                det["site"].append(sensor)
                det["beam"].append("san_diego" if kind == "fence" else "camera")
                for key in ("range_m", "azimuth_deg", "elevation_deg", "range_rate_mps", "snr_db"):
                    det[key].append(np.nan)
                det["fragment_id"].append(f)
    det["sensor"] = [s if s in ("navspasur", "bn_organ_pass") else f"{s}_fps50_1" for s in det["site"]]
    det["sensor_kind"] = ["fence" if s == "navspasur" else "camera" if s == "bn_organ_pass" else "radar_fan"
                          for s in det["site"]]
    order = np.argsort(det["time_utc"])
    write_csv(run_dir / "detections.csv", {k: np.asarray(v)[order] for k, v in det.items()})

    cat_ids = ids[:N_CATALOGUED]
    write_csv(run_dir / "tracks.csv", {
        "track_id": np.arange(1, N_CATALOGUED + 1), "site": np.where(cat_ids % 2 == 0, "clear", "thule"),
        "object_id": cat_ids, "n_detections": np.full(N_CATALOGUED, 6),
        "first_utc": _iso(t_event + 1500.0 + 60.0 * cat_ids), "last_utc": _iso(t_event + DAY_S + 60.0 * cat_ids),
        "truth_fragment_id": cat_ids, "purity": np.ones(N_CATALOGUED),
    })
    write_csv(run_dir / "orbits.csv", {
        "object_id": cat_ids, "epoch_utc": _iso(np.full(N_CATALOGUED, t_event + DAY_S)),
        "classification": np.array(["orbital"] * N_CATALOGUED), "p_ballistic": np.full(N_CATALOGUED, 0.01),
        "n_passes": np.full(N_CATALOGUED, 3), "n_detections": np.full(N_CATALOGUED, 6),
        "truth_fragment_id": cat_ids,
    })
    # one row per track (tracking's contract): the first N_ALERTED raised a naive alert, the others not
    n_tracks = N_ALERTED + 4
    k = np.arange(n_tracks)
    first = t_event + 1500.0 + 40.0 * k
    alerted = k < N_ALERTED
    write_csv(run_dir / "alerts.csv", {
        "site": np.where(k < 5, "clear", "thule"), "track_id": k + 1, "object_id": k + 1,
        "first_detection_utc": _iso(first), "naive_alert_utc": np.where(alerted, _iso(first + 20.0), ""),
        "cleared_utc": np.where(k == 6, "", _iso(first + 200.0 + 30.0 * k + np.where(alerted, 0.0, 3600.0))),
        "classification": np.where(k % 3 == 0, "ballistic", "orbital"),
    })

    con = sqlite3.connect(run_dir / "catalog.sqlite")
    # the catalog (schema 3 columns the report reads): decays predicted a few days off the truth,
    # sizes estimated within a factor of about 1.3, admitted within two days of the event
    con.execute("CREATE TABLE objects (catalog_number INTEGER PRIMARY KEY, cospar_id TEXT NOT NULL, "
                "object_name TEXT NOT NULL, object_type TEXT NOT NULL, decay_utc TEXT, truth_fragment_id INTEGER, "
                "admitted_utc TEXT, decay_true_utc TEXT, size_m REAL, tracking_object_id INTEGER)")
    con.execute("INSERT INTO objects VALUES (443, '1962-057A', 'SPUTNIK 22', 'R/B', '1962-10-24T18:56:11Z', NULL, "
                "NULL, NULL, NULL, NULL)")
    decay_iso = np.where(decayed, _iso(t_event + life * DAY_S), "")
    predicted_iso = np.where(decayed, _iso(t_event + (life + rng.normal(0.0, 3.0, n)) * DAY_S), "")
    debris = []
    for k, f in enumerate(cat_ids):
        row = {"catalog_number": 444 + k, "decay_utc": predicted_iso[f - 1] or None, "truth_fragment_id": int(f),
               "admitted_utc": str(_iso(t_event + DAY_S * 2.0 * k / N_CATALOGUED)[0]),
               "decay_true_utc": decay_iso[f - 1] or None, "size_m": float(lc[f - 1] * rng.uniform(0.75, 1.3)),
               "tracking_object_id": k + 1}
        debris.append(row)
        con.execute("INSERT INTO objects VALUES (?, ?, 'SPUTNIK 22 DEB', 'DEB', ?, ?, ?, ?, ?, ?)",
                    (row["catalog_number"], f"1962-057{chr(66 + k)}", row["decay_utc"], int(f), row["admitted_utc"],
                     row["decay_true_utc"], row["size_m"], row["tracking_object_id"]))
    con.commit()
    con.close()
    from debriscope.catalog.scoring import catalog_scores

    scores = catalog_scores(debris, event["event"]["time_utc"], None, None)
    scores["detections_by_sensor"] = {"clear_fps50_1": 120, "thule_fps50_1": 80, "navspasur": 40}

    summary = {"scenario": {"name": scenario.name, "seed": scenario.seed, "event_utc": event["event"]["time_utc"]},
               "breakup": {"n_fragments": n}, "catalog": {"n_objects": N_CATALOGUED + 1, **scores},
               "sensors": {"sensors": {
                   name: {"kind": kind, "size_threshold_500km_m": thr, "smallest_lc_seen_m": 2 * thr}
                   for name, kind, thr in (("clear_fps50_1", "radar_fan", 0.06), ("thule_fps50_1", "radar_fan", 0.06),
                                           ("navspasur", "fence", 0.2), ("bn_organ_pass", "camera", 0.09))}}}
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return run_dir


@pytest.fixture(scope="session")
def synthetic_run(tmp_path_factory) -> Path:
    """The synthetic run folder (shared, read-only by convention; copy it before writing)."""
    return make_run(tmp_path_factory.mktemp("report") / "run")


@pytest.fixture(scope="session")
def built_report(synthetic_run, tmp_path_factory) -> tuple[Path, dict]:
    """A copy of the synthetic run with its report built once: ``(run_dir, summary section)``."""
    import shutil

    from debriscope.report import build_report
    from debriscope.scenario.options import ReportOptions

    run_dir = tmp_path_factory.mktemp("built") / "run"
    shutil.copytree(synthetic_run, run_dir)
    summary = build_report(run_dir, ReportOptions(record="sputnik22"), title="debriscope report: sputnik22")
    return run_dir, summary
