"""``debriscope classify`` on a hand-made CSV of radar measurements it did not produce."""

from __future__ import annotations

import numpy as np
from click.testing import CliRunner

from debriscope.cli.tracking import classify
from debriscope.tables import write_csv
from debriscope.timescale import tt_s_to_utc_iso
from debriscope.tracking.ballistic import ballistic_trajectory


def _missile_csv(path, sim, rng, with_sigmas=True):
    bt = ballistic_trajectory(45.920, 63.342, 38.8977, -77.0365, sim.T0)
    times, clean = sim.visible_times(sim.THULE, bt.state0_teme, sim.T0, bt.impact_tt_s - sim.T0, 2.0, 1.0)
    z = clean[:, :60] + sim.to_si(sim.TRACKER_SIGMA_DEG)[:, None] * rng.standard_normal((4, 60))
    table = {
        "time_utc": np.asarray(tt_s_to_utc_iso(times[:60], 3)),
        "range_m": z[0], "azimuth_deg": np.degrees(z[1]), "elevation_deg": np.degrees(z[2]),
        "range_rate_mps": z[3],
    }
    if with_sigmas:
        table.update(sigma_range_m=np.full(60, 50.0), sigma_azimuth_deg=np.full(60, 0.05),
                     sigma_elevation_deg=np.full(60, 0.05), sigma_range_rate_mps=np.full(60, 10.0))
    write_csv(path, table)
    return bt


def test_classify_missile_from_thule(tmp_path, rng, sim):
    bt = _missile_csv(tmp_path / "obs.csv", sim, rng)
    result = CliRunner().invoke(classify, [str(tmp_path / "obs.csv"), "--site", "thule"])
    assert result.exit_code == 0, result.output
    assert "1 tracks" in result.output
    assert "ballistic" in result.output and "impact" in result.output
    lat = float(result.output.split("impact ")[1].split()[0])
    assert abs(lat - bt.impact_lat_deg) < 1.0


def test_classify_user_radar_by_coordinates_and_default_sigmas(tmp_path, rng, sim):
    _missile_csv(tmp_path / "obs.csv", sim, rng, with_sigmas=False)
    result = CliRunner().invoke(classify, [str(tmp_path / "obs.csv"), "--site-lat-deg", "76.570",
                                           "--site-lon-deg", "-68.299", "--site-alt-m", "250"])
    assert result.exit_code == 0, result.output
    assert "ballistic" in result.output


def test_bad_input_is_a_usage_error(tmp_path):
    (tmp_path / "bad.csv").write_text("time_utc,range_m\n1962-10-24T19:00:00Z,1000\n")
    result = CliRunner().invoke(classify, [str(tmp_path / "bad.csv"), "--site", "clear"])
    assert result.exit_code == 2
    assert "azimuth_deg" in result.output
    result = CliRunner().invoke(classify, [str(tmp_path / "bad.csv"), "--site", "nowhere"])
    assert result.exit_code == 2


def test_track_reruns_the_stage_on_a_run_folder(tmp_path, rng, sim, write_radars):
    import json

    from debriscope.cli.tracking import track
    from debriscope.elements import apsides_to_a_e, elements_to_rv
    from debriscope.scenario import load, to_toml
    from debriscope.scenario.models import estimator_parameters

    scenario = load("sputnik22")
    (tmp_path / "scenario.toml").write_text(to_toml(scenario))
    (tmp_path / "models.json").write_text(json.dumps({"estimator": estimator_parameters(scenario.tracking)}))
    a, e = apsides_to_a_e(180e3, 485e3)
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.349, 0.3, np.array([0.0, 0.05]))
    write_csv(tmp_path / "detections.csv",
              sim.detection_table(sim.CLEAR, np.concatenate([r, v]), sim.T0 - 600.0, 3000.0, rng))
    write_radars(tmp_path, ("clear", "thule"))
    result = CliRunner().invoke(track, [str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "2 tracks" in result.output
    assert (tmp_path / "alerts.csv").exists()


def test_classify_keeps_only_the_chosen_site(tmp_path):
    from click.testing import CliRunner

    from debriscope.cli.tracking import classify

    rows = [
        "time_utc,site,range_m,azimuth_deg,elevation_deg",
        "1962-10-25T00:37:12Z,thule,3029846.0,80.59,3.81",
        "1962-10-25T00:37:22Z,thule,3086432.0,79.71,3.71",
        "1962-10-25T13:45:21Z,clear,3113436.0,290.0,3.5",
    ]
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(rows) + "\n")
    runner = CliRunner()
    result = runner.invoke(classify, [str(path)])
    assert result.exit_code == 2 and "several sites" in result.output
    result = runner.invoke(classify, [str(path), "--site", "thule"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 measurements")
    result = runner.invoke(classify, [str(path), "--site", "nowhere"])
    assert result.exit_code == 2
