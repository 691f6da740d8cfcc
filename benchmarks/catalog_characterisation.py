"""Size estimates of catalogued objects from their detections, against the truth; catalog stage time.

A small run (the generality test's TLE scenario: a 300 kg stage, Lc >= 0.3 m, one day of the 1962
network) goes through the sensors stage; then a *perfect* catalog-maintenance stand-in writes
``objects.csv`` and ``associations.csv``: every fragment with 4 or more detections is one object,
admitted at its 4th detection, its last element set the true state at its last detection
(``truth_states.csv``) with the true B = 2.2 A/m. The real catalog stage then estimates sizes and
RCS from the detections (:mod:`debriscope.tracking.characterise`) and predicts decays. Printed: the
estimated size over the true Lc (median and 16-84 %), per-object stated error against the actual
error, predicted minus true decay, and the catalog stage's wall time. With a perfect estimate this
measures the characterisation itself (the Swerling scatter and the detection-threshold bias), not the
orbit estimation. Run: ``python benchmarks/catalog_characterisation.py [WORK_DIR]``.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from debriscope import pipeline
from debriscope.tables import read_csv, write_csv
from debriscope.timescale import utc_to_tt_s

SCENARIO = """
name = "tle_breakup"
seed = 11

[orbit.tle]
line1 = "1 99001U          08264.50000000  .00000000  00000-0  10000-3 0    01"
line2 = "2 99001  51.6000 200.0000 0141725  90.0000  10.0000 15.81925432    05"

[[objects]]
name = "Stage"
object_class = "rocket_body"
mass_kg = 300.0
area_m2 = 2.0

[event]
kind = "explosion"
time_utc = "2008-09-21T06:00:00Z"

[breakup]
lc_min_m = 0.3

[propagation]
max_days = 3.0
snapshot_days = [0.1, 1.0]

[sensors]
window_days = 1.0

[catalog]
element_set_epochs_days = [0.25]
"""
STATE = ("x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")
MIN_DETECTIONS = 4


def perfect_maintenance(run: Path) -> int:
    """Write objects.csv and associations.csv as a perfect maintenance loop would; returns the object count."""
    det, truth, frags = (read_csv(run / name) for name in ("detections.csv", "truth_states.csv", "fragments.csv"))
    fid = np.asarray(det["fragment_id"])
    t = np.atleast_1d(utc_to_tt_s(det["time_utc"]))
    am = dict(zip(frags["fragment_id"].tolist(), frags["am_m2_kg"].tolist(), strict=True))
    ids, counts = np.unique(fid, return_counts=True)
    owner = np.full(fid.size, -1)
    rows: dict[str, list] = {}
    for j, f in enumerate(ids[counts >= MIN_DETECTIONS], start=1):
        mine = np.flatnonzero(fid == f)
        mine = mine[np.argsort(t[mine])]
        owner[mine] = j
        last = mine[-1]
        row = {"object_id": j, "status": "catalogued", "created_utc": det["time_utc"][mine[0]],
               "admitted_utc": det["time_utc"][mine[MIN_DETECTIONS - 1]], "last_observed_utc": det["time_utc"][last],
               "epoch_utc": det["time_utc"][last], **{c: truth[c][last] for c in STATE},
               "ballistic_coefficient_m2_kg": 2.2 * am[int(f)], "sigma_ln_ballistic_coefficient": 0.0,
               "sigma_pos_m": 0.0, "sigma_vel_mps": 0.0, "n_passes": 1, "n_detections": mine.size,
               "sensors": "+".join(sorted(set(det["sensor"][mine]))), "classification": "orbital",
               "truth_fragment_id": int(f), "truth_purity": 1.0}
        for k, v in row.items():
            rows.setdefault(k, []).append(v)
    write_csv(run / "objects.csv", {k: np.array(v) for k, v in rows.items()})
    write_csv(run / "associations.csv", {"detection_index": np.arange(fid.size), "object_id": owner,
                                         "pass_id": np.zeros(fid.size, dtype=np.int64)})
    return len(rows.get("object_id", []))


def main() -> None:
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="characterisation-"))
    run = work / "run"
    if not (run / "truth_states.csv").exists():
        work.mkdir(parents=True, exist_ok=True)
        source = work / "tle_breakup.toml"
        source.write_text(SCENARIO, encoding="utf-8")
        start = time.perf_counter()
        pipeline.run(source, run, stages=["scenario", "breakup", "propagation", "sensors"], force=run.exists())
        print(f"scenario to sensors: {time.perf_counter() - start:.1f} s")
    n = perfect_maintenance(run)
    start = time.perf_counter()
    summary = pipeline.rerun_stage(run, "catalog")
    print(f"catalog stage: {time.perf_counter() - start:.1f} s for {n} objects")
    con = sqlite3.connect(run / "catalog.sqlite")
    rows = con.execute("SELECT truth_fragment_id, size_m, sigma_ln_size FROM objects WHERE object_type = 'DEB'").fetchall()
    con.close()
    frags = read_csv(run / "fragments.csv")
    lc = dict(zip(frags["fragment_id"].tolist(), frags["lc_m"].tolist(), strict=True))
    ratio = np.array([s / lc[f] for f, s, _ in rows])
    z = np.array([np.log(s / lc[f]) / sig for f, s, sig in rows if sig])
    q = np.percentile(ratio, [50, 16, 84])
    print(f"estimated size / true Lc: median {q[0]:.3f}, 16-84 % {q[1]:.3f} to {q[2]:.3f} ({ratio.size} objects)")
    print(f"|ln(size/Lc)| within 1 stated sigma: {np.mean(np.abs(z) <= 1):.0%}, within 2: {np.mean(np.abs(z) <= 2):.0%}")
    print(f"predicted minus true decay: median {summary['decay_error_median_days'] * 1440:+.1f} min, "
          f"16-84 % {summary['decay_error_p16_days'] * 1440:+.1f} to {summary['decay_error_p84_days'] * 1440:+.1f} min "
          f"({summary['n_decay_scored']} objects)")


if __name__ == "__main__":
    main()
