"""Hand-made run inputs for the catalog tests: event, fragments, decays, and what catalog maintenance
wrote (``objects.csv``, ``associations.csv``) with the detections and sensor parameters behind them.

The ephemeris comes from SGP4 itself (``sgp4_ephemeris``), an independent propagator, so the
catalog can be built without ``debriscope.propagation``; the TLE-fit accuracy test uses its own
numerical J2 integration instead. The decay model is a stand-in (``stand_in_decay``).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec

from debriscope.catalog.build import STATE_COLUMNS
from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.scenario.models import estimator_parameters
from debriscope.scenario.options import CatalogOptions, TrackingOptions
from debriscope.tables import write_csv
from debriscope.timescale import tt_s_to_mjd_utc, utc_to_tt_s

FLAGSHIP_CATALOG = CatalogOptions(first_catalog_number=443, international_designator="1962-057",
                                  name_prefix="SPUTNIK 22", owner="CIS", launch_site="TYMSC")
"""The flagship's own [catalog] names and numbers (sputnik22.toml): the hand-made inputs mimic it."""

LAUNCH_UTC = "1962-10-24T17:55:04Z"
EVENT_UTC = "1962-10-24T18:56:00Z"
T_EVENT = float(utc_to_tt_s(EVENT_UTC))
N_FRAGMENTS = 8


def sgp4_ephemeris(state0, t0, times, b):
    """Test ephemeris: an SGP4 element set per object seeded from its osculating state (WGS-72),
    B* = rho0 B / 2 (rho0 = 0.157 kg/m^2/ER, Vallado 2013 eq. 9-40), either side of ``t0``."""
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
            0.5 * 0.157 * b[j],
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


def stand_in_decay(state0, t0, am):
    """Test decay model: 0.5 / (Cd A/m) days after the epoch (Cd 2.2); none below A/m 0.007 m^2/kg."""
    days = 0.5 / (2.2 * np.asarray(am))
    return np.where(np.asarray(am) < 0.007, np.nan, np.asarray(t0) + 86400.0 * days)


RADAR = dict(name="uhf", site="clear", latitude_deg=64.29, longitude_deg=-149.19, max_range_m=5e6, peak_power_w=5e6,
             gain_dbi=38.0, frequency_hz=425e6, pulse_width_s=2e-3, noise_temperature_k=500.0, losses_db=4.0,
             sigma_range_m=100.0, sigma_azimuth_deg=0.1, sigma_elevation_deg=0.1, scan_period_s=5.0)
"""The one sensor of the hand-made detections (radars.json)."""
DETECTIONS_PER_OBJECT = 3
STATUS = ("catalogued", "catalogued", "catalogued", "tentative", "lost", "decayed", "catalogued", "lost",
          "catalogued", "catalogued", "tentative")
"""objects 1..8 follow fragments 1..8; 9 is a false object (no fragment), 10 a duplicate of fragment 2,
11 tentative; 4, 5 and 11 were never admitted, 8 was lost after its admission."""
ADMIT_HOURS = (5.0, 3.0, 4.0, None, None, 6.0, 2.0, 1.0, 7.0, 0.5, None)
"""Admission, hours after the event (None: never); object 10 is admitted first."""


def make_inputs(n: int = N_FRAGMENTS) -> dict:
    """Event, fragments, decay, objects, detections, associations and sensors of a small made-up cloud."""
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
    # catalog maintenance: objects 1..n+3 (see STATUS); each estimate is its fragment's state at its
    # last epoch (SGP4 stand-in), B = Cd A/m with Cd 2.2
    from debriscope.sensors.geometry import site_teme
    from debriscope.sensors.parameters import sensor_parameters
    from debriscope.sensors.radar import Radar
    from debriscope.sensors.sem import rcs_from_size_m2
    from debriscope.timescale import tt_s_to_utc_iso

    truth = np.concatenate([np.arange(1, n + 1), [-1, 2, 3]])
    m = truth.size
    epochs = T_EVENT + 3600.0 * (8.0 + np.arange(m))
    source = np.where(truth > 0, truth, 1) - 1  # the false object flies fragment 1's orbit, shifted
    states = np.stack([sgp4_ephemeris(np.stack([fragments[c] for c in STATE_COLUMNS])[:, [k]], T_EVENT,
                                      np.array([t]), 2.2 * am[[k]])[0, :, 0] for k, t in zip(source, epochs, strict=True)], 1)
    states[:3, 8] *= 1.01
    admitted = np.array([tt_s_to_utc_iso(T_EVENT + 3600.0 * h, decimals=3) if h is not None else "" for h in ADMIT_HOURS])
    objects = {
        "object_id": np.arange(1, m + 1),
        "status": np.array(STATUS),
        "created_utc": tt_s_to_utc_iso(T_EVENT + 1800.0 + np.zeros(m)),
        "admitted_utc": admitted,
        "last_observed_utc": tt_s_to_utc_iso(epochs),
        "epoch_utc": tt_s_to_utc_iso(epochs),
        **{c: states[k] for k, c in enumerate(STATE_COLUMNS)},
        "ballistic_coefficient_m2_kg": 2.2 * am[source],
        "sigma_ln_ballistic_coefficient": np.full(m, 0.2),
        "sigma_pos_m": np.full(m, 100.0), "sigma_vel_mps": np.full(m, 0.1),
        "n_passes": np.full(m, 3), "n_detections": np.full(m, DETECTIONS_PER_OBJECT),
        "sensors": np.full(m, "uhf"), "classification": np.full(m, "orbital"),
        "truth_fragment_id": truth, "truth_purity": np.ones(m),
    }  # fmt: skip
    # detections: each object seen by the radar at its epoch and 5 and 10 minutes before, with the
    # steady SNR of its fragment's SEM RCS at the estimated range; one unassociated row at the end
    radar = Radar(**RADAR)
    times, owner, snr = [], [], []
    for j in range(m):
        t = epochs[j] - np.array([600.0, 300.0, 0.0])
        r = sgp4_ephemeris(states[:, [j]], epochs[j], t, 2.2 * am[[source[j]]])[:, :3, 0].T
        rng_m = np.linalg.norm(r - site_teme(radar.latitude_deg, radar.longitude_deg, 0.0, t).r_teme_m, axis=0)
        times.append(t)
        owner.append(np.full(3, j + 1))
        snr.append(radar.snr(rng_m, rcs_from_size_m2(fragments["lc_m"][source[j]], radar.wavelength_m)))
    t_all = np.concatenate(times + [[epochs[0]]])
    k = t_all.size
    detections = {
        "time_utc": tt_s_to_utc_iso(t_all, decimals=6), "site": np.full(k, "clear"), "sensor": np.full(k, "uhf"),
        "sensor_kind": np.full(k, "radar_fan"), "beam": np.full(k, "fan_low"),
        "snr_db": 10.0 * np.log10(np.concatenate(snr + [[30.0]])), "magnitude": np.full(k, np.nan),
        "fragment_id": np.concatenate([truth[np.concatenate(owner) - 1], [5]]),
    }  # fmt: skip
    associations = {"detection_index": np.arange(k), "object_id": np.concatenate(owner + [[-1]]),
                    "pass_id": np.arange(k) // 3}
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
    return {"event": event, "fragments": fragments, "decay": decay, "objects": objects, "detections": detections,
            "associations": associations, "radars": sensor_parameters([radar])}


def catalog_inputs_of(data: dict, scenario_name: str = "test", event: dict | None = None):
    """The :class:`CatalogInputs` of hand-made data (what the stage reads from the run folder)."""
    from debriscope.catalog.build import CatalogInputs
    from debriscope.sensors.parameters import sensors_from_parameters

    return CatalogInputs(
        event=event or data["event"], objects=data["objects"], decay=data["decay"], scenario_name=scenario_name,
        seed=1, scenario_sha256="ab" * 32, package_version="0.1.0", cd=2.2, detections=data["detections"],
        associations=data["associations"], sensors={s.name: s for s in sensors_from_parameters(data["radars"])},
        truth_lc_m=dict(zip(data["fragments"]["fragment_id"].tolist(), data["fragments"]["lc_m"].tolist(), strict=True)),
    )


def write_run(run_dir: Path, data: dict) -> None:
    import json

    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "event.json").write_text(json.dumps(data["event"]), encoding="utf-8")
    write_csv(run_dir / "fragments.csv", data["fragments"])
    write_csv(run_dir / "decay.csv", data["decay"])
    write_csv(run_dir / "objects.csv", data["objects"])
    write_csv(run_dir / "detections.csv", data["detections"])
    write_csv(run_dir / "associations.csv", data["associations"])
    (run_dir / "radars.json").write_text(json.dumps(data["radars"]), encoding="utf-8")
    (run_dir / "scenario.toml").write_text('name = "test"\nseed = 1\n', encoding="utf-8")
    (run_dir / "models.json").write_text(json.dumps({"estimator": estimator_parameters(TrackingOptions())}),
                                         encoding="utf-8")


def fake_context(run_dir: Path, options: CatalogOptions | None = None):
    from debriscope.runfolder import RunContext

    scenario = SimpleNamespace(name="test", seed=1, catalog=options or FLAGSHIP_CATALOG,
                               propagation=SimpleNamespace(max_days=400.0))
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
    """Run the stage with the SGP4 test ephemeris and the stand-in decay model, not the real propagation."""
    from debriscope.catalog import stage

    monkeypatch.setattr(stage, "estimator_ephemeris", lambda estimator: sgp4_ephemeris)
    monkeypatch.setattr(stage, "estimator_decay", lambda estimator, max_days: stand_in_decay)
    return stage
