"""Hand-made run inputs for the catalog tests: event, fragments, decays and tracking's orbits.

The ephemeris comes from SGP4 itself (``sgp4_ephemeris``), an independent propagator, so the
catalog can be built without ``debriscope.propagation``; the TLE-fit accuracy test uses its own
numerical J2 integration instead.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec

from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.scenario.options import CatalogOptions
from debriscope.tables import write_csv
from debriscope.timescale import tt_s_to_mjd_utc, utc_to_tt_s

FLAGSHIP_CATALOG = CatalogOptions(first_catalog_number=443, international_designator="1962-057",
                                  name_prefix="SPUTNIK 22", owner="CIS", launch_site="TYMSC")
"""The flagship's own [catalog] names and numbers (sputnik22.toml): the hand-made inputs mimic it."""

LAUNCH_UTC = "1962-10-24T17:55:04Z"
EVENT_UTC = "1962-10-24T18:56:00Z"
T_EVENT = float(utc_to_tt_s(EVENT_UTC))
N_FRAGMENTS = 8


def sgp4_ephemeris(state0, t0, times, am):
    """Test ephemeris: an SGP4 element set per object seeded from its osculating state (WGS-72)."""
    from debriscope.elements import rv_to_elements

    el = rv_to_elements(state0[:3] / 1000.0, state0[3:] / 1000.0, mu=398600.8)
    out = np.full((times.size, 6, state0.shape[1]), np.nan)
    for j in range(state0.shape[1]):
        sat = Satrec()
        n = np.sqrt(398600.8 / el.a_m[j] ** 3) * 60.0
        sat.sgp4init(
            WGS72,
            "i",
            1,
            float(tt_s_to_mjd_utc(t0)) - 33281.0,
            0.5 * 0.157 * 2.2 * am[j],
            0.0,
            0.0,
            el.e[j],
            el.argp_rad[j],
            el.i_rad[j],
            el.mean_anomaly_rad[j],
            n,
            el.raan_rad[j],
        )
        dt = (times - t0) / 86400.0
        err, r, v = sat.sgp4_array(np.full(times.size, sat.jdsatepoch), sat.jdsatepochF + dt)
        ok = err == 0
        out[ok, :3, j] = r[ok] * 1000.0
        out[ok, 3:, j] = v[ok] * 1000.0
    return out


def make_inputs(n: int = N_FRAGMENTS) -> dict:
    """Event, fragments, decay and orbits tables of a small made-up cloud."""
    rng = np.random.default_rng(7)
    perigee = 180e3 + rng.uniform(0, 60e3, n)
    apogee = 485e3 + rng.uniform(-80e3, 80e3, n)
    a, e = apsides_to_a_e(perigee, apogee)
    r, v = elements_to_rv(
        a, e, np.radians(64.9 + rng.normal(0, 0.1, n)), 1.0, 0.4, 0.9 + rng.normal(0, 0.01, n)
    )
    am = rng.uniform(0.005, 0.05, n)
    fragments = {
        "fragment_id": np.arange(1, n + 1),
        "parent": np.array(["Blok L"] * (n - 2) + ["2MV-4 No.1"] * 2),
        "object_class": np.array(["rocket_body"] * n),
        "lc_m": rng.uniform(0.1, 1.0, n),
        "am_m2_kg": am,
        "x_teme_m": r[0], "y_teme_m": r[1], "z_teme_m": r[2],
        "vx_teme_mps": v[0], "vy_teme_mps": v[1], "vz_teme_mps": v[2],
        "epoch_utc": np.array([EVENT_UTC] * n),
    }  # fmt: skip
    decay = {
        "fragment_id": np.arange(1, n + 1),
        "decay_utc": np.array(
            ["1962-10-29T03:00:00.000Z", "", "1962-11-15T10:00:00.000Z"]
            + ["1962-12-01T00:00:00.000Z"] * (n - 3)
        ),
        "lifetime_days": np.linspace(4, 40, n),
        "status": np.array(["decayed", "in_orbit"] + ["decayed"] * (n - 2)),
    }
    # tracking: objects 1..n+2; 4 and 6 too few detections, 5 ballistic, n+1 a false track, n+2 a duplicate of fragment 2
    m = n + 2
    detections = np.full(m, 9)
    detections[[3, 5]] = 2
    cls = np.array(["orbital"] * m)
    cls[4] = "ballistic"
    truth = np.concatenate([np.arange(1, n + 1), [-1, 2]])
    epochs = T_EVENT + 1800.0 + 60.0 * np.arange(m)[::-1]  # later objects seen first
    from debriscope.timescale import tt_s_to_utc_iso

    orbits = {
        "object_id": np.arange(1, m + 1),
        "epoch_utc": tt_s_to_utc_iso(epochs),
        "classification": cls,
        "n_passes": np.full(m, 3),
        "n_detections": detections,
        "truth_fragment_id": truth,
    }
    parents = []
    for name, cls_name in (("Blok L", "rocket_body"), ("2MV-4 No.1", "spacecraft")):
        parents.append(
            {
                "name": name,
                "object_class": cls_name,
                "mass_kg": 1000.0,
                "area_m2": None,
                "r_teme_m": list(r[:, 0]),
                "v_teme_mps": list(v[:, 0]),
            }
        )
    event = {
        "frame": "TEME",
        "launch": {"time_utc": LAUNCH_UTC, "t_tt_s": float(utc_to_tt_s(LAUNCH_UTC))},
        "event": {"time_utc": EVENT_UTC, "t_tt_s": T_EVENT, "kind": "explosion"},
        "parents": parents,
        "impactor": None,
    }
    return {"event": event, "fragments": fragments, "decay": decay, "orbits": orbits}


def write_run(run_dir: Path, data: dict) -> None:
    import json

    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "event.json").write_text(json.dumps(data["event"]), encoding="utf-8")
    write_csv(run_dir / "fragments.csv", data["fragments"])
    write_csv(run_dir / "decay.csv", data["decay"])
    write_csv(run_dir / "orbits.csv", data["orbits"])
    (run_dir / "scenario.toml").write_text('name = "test"\nseed = 1\n', encoding="utf-8")


def fake_context(run_dir: Path, options: CatalogOptions | None = None):
    from debriscope.runfolder import RunContext

    scenario = SimpleNamespace(name="test", seed=1, catalog=options or FLAGSHIP_CATALOG, propagation=None)
    return RunContext(run_dir, scenario, np.random.default_rng(0), {"scenario_sha256": "ab" * 32})


@pytest.fixture
def catalog_inputs() -> dict:
    """The hand-made inputs (a fresh copy per test)."""
    return make_inputs()


@pytest.fixture
def sgp4_ephem():
    return sgp4_ephemeris


@pytest.fixture
def catalog_run(tmp_path):
    """A run folder holding the hand-made inputs, and a factory of fake stage contexts for it."""
    run_dir = tmp_path / "run"
    write_run(run_dir, make_inputs())
    return run_dir, lambda options=None: fake_context(run_dir, options)


@pytest.fixture
def stage_patched(monkeypatch):
    """Run the stage with the SGP4 test ephemeris and a stand-in RCS (disc area), not the real propagation."""
    from debriscope.catalog import stage

    monkeypatch.setattr(stage, "propagation_ephemeris", lambda ctx, t_end: sgp4_ephemeris)
    return stage
