"""The sensors stage on a hand-made run folder (two-body stand-in for the propagator), and the CLI."""

from __future__ import annotations

import json
import types

import numpy as np
import pytest
from click.testing import CliRunner
from sensors_helpers import EVENT_UTC, cloud, kepler_states

import debriscope.sensors.stage as stage
from debriscope.runfolder import DETECTIONS_FILE, FRAGMENTS_FILE, MODELS_FILE, RunContext, write_json
from debriscope.scenario.fields import build
from debriscope.scenario.models import truth_parameters
from debriscope.scenario.options import PropagationOptions, SensorOptions
from debriscope.sensors.detect import DETECTION_COLUMNS
from debriscope.tables import read_csv, write_csv

N = 30
USER_RADAR = dict(
    name="south_fan", latitude_deg=-50.0, longitude_deg=150.0, peak_power_w=1e7, gain_dbi=45.0,
    frequency_hz=440e6, pulse_width_s=1e-3, noise_temperature_k=500.0, sigma_range_m=1e3,
    sigma_azimuth_deg=0.2, sigma_elevation_deg=0.2, scan_period_s=2.0, fan_elevations_deg=[5.0, 10.0],
)


def _two_body(state0, t0, times, am, model):
    return types.SimpleNamespace(states=kepler_states(state0, t0, times))


def _context(tmp_path, seed, tdm=False, raan_deg=200.0):
    state0 = cloud(N, raan_deg=raan_deg)
    table = {"fragment_id": np.arange(1, N + 1)}
    for k, name in enumerate(("x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")):
        table[name] = state0[k]
    table |= {"am_m2_kg": np.full(N, 0.01), "lc_m": np.geomspace(0.05, 2.0, N), "epoch_utc": np.full(N, EVENT_UTC)}
    write_csv(tmp_path / FRAGMENTS_FILE, table)
    sensors = build(SensorOptions, {"sites": ["bmews-1962"], "window_days": 0.25, "radars": [USER_RADAR], "tdm": tdm},
                    "sensors")
    scenario = types.SimpleNamespace(sensors=sensors, propagation=build(PropagationOptions, {"drag": False}, "propagation"))
    write_json(tmp_path / MODELS_FILE, {"truth": truth_parameters(scenario.propagation)})
    return RunContext(run_dir=tmp_path, scenario=scenario, rng=np.random.default_rng(seed))


def test_stage_writes_detections_and_summary(tmp_path, monkeypatch):
    monkeypatch.setattr(stage, "propagate", _two_body)
    summary = stage.run_stage(_context(tmp_path, 1, tdm=True))
    json.dumps(summary, allow_nan=False)
    table = read_csv(tmp_path / DETECTIONS_FILE)
    assert tuple(table) == DETECTION_COLUMNS
    assert summary["n_detections"] == table["time_utc"].size > 0
    assert set(summary["sites"]) == {"clear", "thule", "south_fan"}
    south = summary["sites"]["south_fan"]
    assert south["could_see_cloud"] and south["n_fragments_seen"] > 0
    low = south["fans"]["fan_low"]
    assert low["first_rising_crossing_utc"] is not None and low["first_rising_crossing_hours_after_event"] > 0
    assert -90 <= low["subsatellite_lat_deg"] <= -20  # the crossing happens in the southern sky of the site
    assert all(t.endswith("Z") for t in table["time_utc"])
    tdm = (tmp_path / "detections.tdm").read_text()
    assert tdm.startswith("CCSDS_TDM_VERS = 2.0") and tdm.count("RANGE = ") == table["time_utc"].size


def test_stage_is_deterministic(tmp_path, monkeypatch):
    monkeypatch.setattr(stage, "propagate", _two_body)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    stage.run_stage(_context(tmp_path / "a", 7))
    stage.run_stage(_context(tmp_path / "b", 7))
    assert (tmp_path / "a" / DETECTIONS_FILE).read_bytes() == (tmp_path / "b" / DETECTIONS_FILE).read_bytes()


def test_observe_command_reruns_the_stage(tmp_path, monkeypatch):
    import debriscope.pipeline as pipeline
    from debriscope.cli.sensors import observe

    calls = []

    def fake_rerun(run_dir, name, progress):
        calls.append((str(run_dir), name))
        return {"n_detections": 3, "n_fragments_seen": 2, "window_days": 2.0, "n_radars": 1, "sites": {
            "clear": {"could_see_cloud": True, "first_detection_utc": "1962-10-25T03:26:00.4Z", "n_fragments_seen": 2,
                      "n_detections": 3, "fans": {"fan_low": {
                          "first_rising_crossing_utc": "1962-10-25T03:25:58.0Z", "fragment_id": 5,
                          "subsatellite_lat_deg": 64.9, "subsatellite_lon_deg": -170.0, "range_km": 1800.0,
                          "azimuth_deg": 300.0, "n_fragments_in_coverage": 4}}}}}

    monkeypatch.setattr(pipeline, "rerun_stage", fake_rerun)
    result = CliRunner().invoke(observe, [str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert calls == [(str(tmp_path), "sensors")]
    assert "clear: could see the cloud: yes; first detection 1962-10-25T03:26:00.4Z" in result.output
    assert "fan_low: first rising crossing 1962-10-25T03:25:58.0Z by fragment 5" in result.output


def test_shipped_network_matches_the_scenario_choices():
    from debriscope.scenario.options import SHIPPED_SITES
    from debriscope.sensors.network import shipped_network

    assert tuple(shipped_network()) == SHIPPED_SITES


def test_whole_network_detections_by_kind(tmp_path, monkeypatch):
    monkeypatch.setattr(stage, "propagate", _two_body)
    ctx = _context(tmp_path, 3, raan_deg=300.0)
    # the shipped network, plus a clear-sky camera under the cloud's twilight passes (Organ Pass's place)
    camera = {"name": "clear_cam", "latitude_deg": 32.42, "longitude_deg": -106.56, "clear_sky_probability": 1.0}
    ctx.scenario.sensors = build(SensorOptions, {"window_days": 2.0, "cameras": [camera], "tdm": True}, "sensors")
    summary = stage.run_stage(ctx)
    table = read_csv(tmp_path / DETECTIONS_FILE)
    kinds = set(table["sensor_kind"])
    assert {"radar_fan", "fence", "camera"} <= kinds
    fence = table["sensor_kind"] == "fence"
    assert np.all(np.isfinite(table["dcos_east"][fence])) and np.all(np.isnan(table["range_m"][fence]))
    cam = table["sensor_kind"] == "camera"
    assert np.all(table["needs_prediction"][cam]) and np.all(np.isfinite(table["ra_deg"][cam]))
    per = summary["sensors"]
    assert per["navspasur"]["kind"] == "fence" and per["navspasur"]["n_objects_seen"] > 0
    assert per["navspasur"]["size_threshold_500km_m"] > per["clear_fps50_1"]["size_threshold_500km_m"]
    assert summary["n_sites_with_detections"] >= 3
    tdm = (tmp_path / "detections.tdm").read_text()
    assert "ANGLE_TYPE = XEYN" in tdm and "ANGLE_TYPE = RADEC" in tdm and "ANGLE_TYPE = AZEL" in tdm
    n_angle_rows = tdm.count("ANGLE_1 = ")
    assert n_angle_rows == table["time_utc"].size  # one angle pair per row of every kind


def test_life_window_ends_at_the_last_seeable_decay():
    from debriscope.sensors.stage import window_end_tt_s

    opts = build(SensorOptions, {"max_window_days": 50.0}, "sensors")
    decay = np.array([86400.0 * 3, 86400.0 * 10, np.nan])
    seeable = np.array([True, True, False])
    assert window_end_tt_s(opts, 0.0, decay, seeable, 400.0) == 86400.0 * 10
    everyone = np.array([True, True, True])  # one never decays within the prediction: its horizon, or the cap
    assert window_end_tt_s(opts, 0.0, decay, everyone, 400.0) == 86400.0 * 50
    assert window_end_tt_s(opts, 0.0, decay, everyone, 20.0) == 86400.0 * 20
    assert window_end_tt_s(opts, 0.0, None, seeable, 20.0) == 86400.0 * 20  # no decay.csv
    fixed = build(SensorOptions, {"window_days": 2.0}, "sensors")
    assert window_end_tt_s(fixed, 0.0, decay, seeable, 400.0) == 86400.0 * 2


def test_early_warning_rows_keep_fan_and_cued_rows_of_the_window():
    from debriscope.sensors.detect import early_warning_rows, event_epoch_tt_s

    table = {"time_utc": np.array(["1962-10-24T20:00:00Z", "1962-10-25T20:00:00Z", "1962-10-28T20:00:00Z",
                                   "1962-10-24T21:00:00Z"]),
             "sensor_kind": np.array(["radar_fan", "radar_cued", "radar_fan", "fence"])}
    frags = {"epoch_utc": np.array([EVENT_UTC])}
    out = early_warning_rows(table, 2.0, event_epoch_tt_s(frags))
    assert list(out["sensor_kind"]) == ["radar_fan", "radar_cued"]
    assert list(early_warning_rows(table, 0.1)["sensor_kind"]) == ["radar_fan"]  # from the first detection


@pytest.mark.parametrize(("section", "key"), [
    ({"window_days": "forever"}, "sensors.window_days"),
    ({"window_days": -1.0}, "sensors.window_days"),
    ({"sites": ["atlantis"]}, "sensors.sites"),
    ({"cameras": [{"name": "c", "latitude_deg": 10.0, "longitude_deg": 0.0, "clear_sky_probability": 2.0}]},
     "sensors.cameras[0].clear_sky_probability"),
    ({"fences": [{"name": "f", "frequency_hz": 1e8, "beam_thickness_deg": 1.0, "bandwidth_hz": 10.0,
                  "noise_temperature_k": 500.0, "sigma_direction_cosine": 0.0,
                  "stations": [{"name": "a", "latitude_deg": 30.0, "longitude_deg": -100.0, "gain_dbi": 20.0},
                               {"name": "b", "latitude_deg": 30.0, "longitude_deg": -90.0, "gain_dbi": 20.0}]}]},
     "sensors.fences[0].stations"),
    ({"fences": [{"name": "f", "frequency_hz": 1e8, "beam_thickness_deg": 1.0, "bandwidth_hz": 10.0,
                  "noise_temperature_k": 500.0, "sigma_direction_cosine": 0.0,
                  "stations": [{"name": "a", "latitude_deg": 30.0, "longitude_deg": -100.0, "gain_dbi": 20.0,
                                "power_w": -5.0}]}]},
     "sensors.fences[0].stations[0].power_w"),
])
def test_bad_sensor_tables_name_the_key(section, key):
    from debriscope.errors import ScenarioError

    with pytest.raises(ScenarioError) as err:
        build(SensorOptions, section, "sensors")
    assert err.value.key == key


def test_one_numba_thread_gives_the_same_states(t_event):
    """The stage propagates on one Numba thread; the fragments are integrated independently, so the
    states are the same bytes as with every thread (and the thread count is restored)."""
    import numba

    from debriscope.propagation import force_model_from_parameters, propagate
    from debriscope.scenario.models import truth_parameters

    model = force_model_from_parameters(truth_parameters(build(PropagationOptions, {"drag": False}, "propagation")), t_event)
    state0, times = cloud(12), t_event + np.arange(60.0, 7201.0, 60.0)
    before = numba.get_num_threads()
    everyone = propagate(state0, t_event, times, np.full(12, 0.01), model).states
    from debriscope.propagation import limited_threads

    with limited_threads(1):
        assert numba.get_num_threads() == 1
        alone = propagate(state0, t_event, times, np.full(12, 0.01), model).states
    assert numba.get_num_threads() == before
    assert np.isfinite(alone).all() and np.array_equal(alone, everyone)


def test_life_window_spans_no_more_than_the_prediction():
    """The default cap (1000 days) leaves 'life' whole; the data a run needs still end at the
    prediction's horizon (propagation.max_days), not at the cap."""
    import dataclasses

    from debriscope.scenario import load
    from debriscope.scenario.load import propagation_span_days

    flagship = load("sputnik22")
    assert flagship.sensors.window_days == "life" and flagship.sensors.max_window_days == 1000.0
    assert propagation_span_days(flagship) == flagship.propagation.max_days == 400.0
    fixed = dataclasses.replace(flagship, sensors=dataclasses.replace(flagship.sensors, window_days=600.0))
    assert propagation_span_days(fixed) == 600.0


def test_truth_states_row_for_row_and_sensor_parameters(tmp_path, monkeypatch):
    """truth_states.csv holds, for every detection row, the fragment's true state at the row's time
    (checked against an independent Kepler propagation), and radars.json rebuilds every sensor."""
    from debriscope.runfolder import RADARS_FILE, TRUTH_STATES_FILE
    from debriscope.sensors.detect import TRUTH_COLUMNS
    from debriscope.sensors.parameters import sensors_from_parameters
    from debriscope.timescale import utc_to_tt_s

    monkeypatch.setattr(stage, "propagate", _two_body)
    ctx = _context(tmp_path, 3, raan_deg=300.0)
    camera = {"name": "clear_cam", "latitude_deg": 32.42, "longitude_deg": -106.56, "clear_sky_probability": 1.0}
    ctx.scenario.sensors = build(SensorOptions, {"window_days": 1.0, "cameras": [camera]}, "sensors")
    summary = stage.run_stage(ctx)
    assert TRUTH_STATES_FILE in summary["files"]
    det = read_csv(tmp_path / DETECTIONS_FILE)
    truth = read_csv(tmp_path / TRUTH_STATES_FILE)
    assert tuple(truth) == TRUTH_COLUMNS
    assert np.array_equal(truth["fragment_id"], det["fragment_id"])
    assert {"radar_fan", "fence", "camera"} <= set(det["sensor_kind"])
    frags = read_csv(tmp_path / FRAGMENTS_FILE)
    state0 = np.stack([frags[k] for k in TRUTH_COLUMNS[1:]])
    t0 = float(utc_to_tt_s(EVENT_UTC))
    times = np.atleast_1d(utc_to_tt_s(det["time_utc"]))
    got = np.stack([truth[k] for k in TRUTH_COLUMNS[1:]])
    for k in range(0, times.size, max(1, times.size // 40)):
        row = int(np.flatnonzero(frags["fragment_id"] == det["fragment_id"][k])[0])
        want = kepler_states(state0[:, row:row + 1], t0, times[k:k + 1])[0, :, 0]
        assert np.linalg.norm(got[:3, k] - want[:3]) < 20.0  # m: Hermite interpolation of the 60 s grid
        assert np.linalg.norm(got[3:, k] - want[3:]) < 0.1  # m/s
    document = json.loads((tmp_path / RADARS_FILE).read_text())
    rebuilt = sensors_from_parameters(document)
    assert {s.name for s in rebuilt} == set(summary["sensors"])
    assert sorted(rebuilt, key=lambda s: s.name) == sorted(stage.sensors_from_options(ctx.scenario.sensors),
                                                           key=lambda s: s.name)
    assert document["fences"][0]["stations"] and document["cameras"][0]["albedo"] > 0


def test_truth_states_are_reproducible(tmp_path, monkeypatch):
    from debriscope.runfolder import TRUTH_STATES_FILE

    monkeypatch.setattr(stage, "propagate", _two_body)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    stage.run_stage(_context(tmp_path / "a", 7))
    stage.run_stage(_context(tmp_path / "b", 7))
    assert (tmp_path / "a" / TRUTH_STATES_FILE).read_bytes() == (tmp_path / "b" / TRUTH_STATES_FILE).read_bytes()
