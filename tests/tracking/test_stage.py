"""The tracking stage on a hand-made run folder (fake context; no fragments.csv, so no truth states)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.errors import RunFolderError
from debriscope.runfolder import RunContext
from debriscope.scenario.models import estimator_parameters
from debriscope.scenario.options import TrackingOptions
from debriscope.tables import read_csv, write_csv
from debriscope.tracking.stage import run_stage, sites_from_radars

TRACKS_COLUMNS = ["track_id", "site", "object_id", "n_detections", "first_utc", "last_utc", "truth_fragment_id",
                  "purity"]
ORBITS_COLUMNS = ["object_id", "track_id", "epoch_utc", "x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps",
                  "vy_teme_mps", "vz_teme_mps", "sigma_pos_m", "sigma_vel_mps", "classification", "p_ballistic",
                  "impact_lat_deg", "impact_lon_deg", "impact_utc", "n_passes", "n_detections",
                  "truth_fragment_id", "perigee_km", "apogee_km", "period_min", "inclination_deg"]
ALERTS_COLUMNS = ["site", "track_id", "first_detection_utc", "naive_alert_utc", "cleared_utc",
                  "classification_two_fan", "p_ballistic_two_fan"]


def _run(tmp_path, sim, write_radars, seed=5):
    rng = np.random.default_rng(11)
    a, e = apsides_to_a_e(180e3, 485e3)
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.349, 0.3, np.array([0.0, 0.04, 0.08]))
    table = sim.detection_table(sim.CLEAR, np.concatenate([r, v]), sim.T0 - 600.0, 3000.0, rng, tracker_s=120.0)
    write_csv(tmp_path / "detections.csv", table)
    write_radars(tmp_path)
    scenario = SimpleNamespace(tracking=TrackingOptions(p_ballistic_samples=500, study_samples=200),
                               sensors=SimpleNamespace(sites=("clear",), radars=()))
    (tmp_path / "models.json").write_text(json.dumps({"estimator": estimator_parameters(scenario.tracking)}))
    ctx = RunContext(tmp_path, scenario, np.random.default_rng(seed))
    return run_stage(ctx)


@pytest.fixture
def stage_run(tmp_path, sim, write_radars):
    return tmp_path, _run(tmp_path, sim, write_radars)


def test_writes_contract_files(stage_run):
    run_dir, summary = stage_run
    tracks, orbits, alerts = (read_csv(run_dir / f) for f in ("tracks.csv", "orbits.csv", "alerts.csv"))
    assert set(TRACKS_COLUMNS) <= set(tracks)
    assert set(ORBITS_COLUMNS) <= set(orbits)
    assert set(ALERTS_COLUMNS) <= set(alerts)
    assert len(tracks["track_id"]) == 3
    np.testing.assert_array_equal(tracks["purity"], 1.0)
    assert sorted(tracks["truth_fragment_id"]) == [1, 2, 3]
    assert set(orbits["classification"]) == {"orbital"}
    np.testing.assert_allclose(orbits["perigee_km"], 180.0, atol=30.0)
    np.testing.assert_allclose(orbits["inclination_deg"], 64.9, atol=0.5)
    json.dumps(summary, allow_nan=False)


def test_summary_per_site(stage_run):
    _, summary = stage_run
    clear = summary["sites"]["clear"]
    assert clear["n_tracks"] == 3
    assert clear["n_fragments_seen"] == 3
    assert clear["first_detection_utc"].startswith("1962-10-24T")
    assert clear["study"]["dwell_s"][0] == 0.0
    assert clear["study_reference"] == "fit"
    assert summary["track_quality"]["purity_mean"] == 1.0


def test_same_seed_same_bytes(tmp_path, sim, write_radars):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    _run(a, sim, write_radars)
    _run(b, sim, write_radars)
    for name in ("tracks.csv", "orbits.csv", "alerts.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_no_detections_writes_empty_tables(tmp_path, write_radars):
    (tmp_path / "detections.csv").write_text(
        "time_utc,site,beam,range_m,azimuth_deg,elevation_deg,range_rate_mps,snr_db,fragment_id\n"
    )
    write_radars(tmp_path)
    scenario = SimpleNamespace(tracking=TrackingOptions(), sensors=SimpleNamespace(sites=("clear",), radars=()))
    summary = run_stage(RunContext(tmp_path, scenario, np.random.default_rng(0)))
    assert summary["n_tracks"] == 0 and summary["sites"] == {}
    orbits = read_csv(tmp_path / "orbits.csv")
    assert set(ORBITS_COLUMNS) <= set(orbits) and len(orbits["object_id"]) == 0


def test_sites_come_from_the_sensors_file(tmp_path, write_radars):
    """Tracking takes the site positions from radars.json (written by the sensors stage), one per
    site (its first radar), and says which file is missing when it is."""
    write_radars(tmp_path, ("clear", "thule"))
    radars = json.loads((tmp_path / "radars.json").read_text())["radars"]
    sites = sites_from_radars(radars)
    assert sorted(sites) == ["clear", "thule"]
    first_clear = next(r for r in radars if r["site"] == "clear")
    assert (sites["clear"].lat_deg, sites["clear"].lon_deg) == (
        first_clear["latitude_deg"], first_clear["longitude_deg"])
    (tmp_path / "radars.json").unlink()
    (tmp_path / "detections.csv").write_text("time_utc,site,range_m,azimuth_deg,elevation_deg\n")
    scenario = SimpleNamespace(tracking=TrackingOptions(), sensors=SimpleNamespace(sites=("clear",), radars=()))
    with pytest.raises(RunFolderError, match="radars.json"):
        run_stage(RunContext(tmp_path, scenario, np.random.default_rng(0)))


def test_one_estimator_model_for_both_halves(tmp_path, sim, write_radars, monkeypatch):
    """The stage resolves the estimator's force model once from models.json and hands the same
    model to the maintenance loop and to the early-warning multi-pass builds and two-pass linking,
    not the multi-pass module's fixed default."""
    import debriscope.tracking.stage as stage
    import debriscope.tracking.warning as warning
    from debriscope.tracking.multipass import estimator_dynamics

    seen = {}

    def spy(name, fn):
        def wrapped(*args, **kwargs):
            seen.setdefault(name, []).append(kwargs.get("model", args[1] if name == "maintain" else None))
            return fn(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(stage, "maintain", spy("maintain", stage.maintain))
    monkeypatch.setattr(warning, "build_object", spy("build_object", warning.build_object))
    monkeypatch.setattr(warning, "link_pairs", spy("link_pairs", warning.link_pairs))
    models = {"estimator": {**estimator_parameters(TrackingOptions()), "cd": 1.7, "step_s": 25.0}}
    rng = np.random.default_rng(11)
    a, e = apsides_to_a_e(180e3, 485e3)
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.349, 0.3, np.array([0.0, 0.04]))
    write_csv(tmp_path / "detections.csv", sim.detection_table(sim.CLEAR, np.concatenate([r, v]), sim.T0 - 600.0,
                                                               3000.0, rng, tracker_s=120.0))
    write_radars(tmp_path)
    (tmp_path / "models.json").write_text(json.dumps(models))
    scenario = SimpleNamespace(tracking=TrackingOptions(p_ballistic_samples=0, study_samples=50),
                               sensors=SimpleNamespace(sites=("clear",), radars=()))
    run_stage(RunContext(tmp_path, scenario, np.random.default_rng(0)))
    used = [m for name in ("maintain", "build_object", "link_pairs") for m in seen[name]]
    assert len(seen) == 3 and all(m is used[0] for m in used)
    assert used[0].cd == 1.7 and used[0].step_s == 25.0 and used[0] != estimator_dynamics()
