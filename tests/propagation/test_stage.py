"""The propagation stage on a hand-made run folder, and the CLI commands."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
from click.testing import CliRunner

from debriscope.cli.propagation import lifetime
from debriscope.propagation.stage import run_stage
from debriscope.runfolder import RunContext
from debriscope.scenario.models import truth_parameters
from debriscope.scenario.options import PropagationOptions
from debriscope.tables import read_csv, write_csv

EPOCH = "1962-10-24T19:00:00Z"


def _run_folder(tmp_path, state0, am):
    n = state0.shape[1]
    cols = ("x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")
    table = {"fragment_id": np.arange(1, n + 1), "parent": np.full(n, "blok_l"), "am_m2_kg": np.asarray(am)}
    table.update({c: state0[k] for k, c in enumerate(cols)})
    table["epoch_utc"] = np.full(n, EPOCH)
    write_csv(tmp_path / "fragments.csv", table)
    (tmp_path / "event.json").write_text(json.dumps({"frame": "TEME", "event": {"time_utc": EPOCH}}))
    (tmp_path / "models.json").write_text(json.dumps({"truth": truth_parameters(PropagationOptions())}))


def test_stage_writes_decay_and_elements(tmp_path, state0):
    """Two fragments: A/m 0.5 decays within a day, 0.001 survives the 2-day span."""
    _run_folder(tmp_path, np.hstack([state0, state0]), [0.5, 0.001])
    options = PropagationOptions(max_days=2.0, snapshot_days=(0.1, 1.0))
    ctx = RunContext(tmp_path, SimpleNamespace(propagation=options), np.random.default_rng(0))
    summary = run_stage(ctx)
    decay = read_csv(tmp_path / "decay.csv")
    assert decay["status"].tolist() == ["decayed", "in_orbit"]
    assert 0.1 < decay["lifetime_days"][0] < 1.0 and np.isnan(decay["lifetime_days"][1])
    assert decay["decay_utc"][0].startswith("1962-10-2")
    el = read_csv(tmp_path / "elements.csv")
    assert set(el["kind"]) == {"osculating", "mean"}
    first = el["epoch_utc"] == el["epoch_utc"][0]
    assert set(el["fragment_id"][first]) == {1, 2}  # both alive at 0.1 day
    assert set(el["fragment_id"][~first]) == {2}  # fragment 1 decayed before day 1
    mean = el["kind"] == "mean"
    # perigee altitude ~180 km, apogee below 485 km after a few hours of drag; period ~ 91 min
    assert np.all(np.abs(el["perigee_km"][mean] - 180.0) < 15.0)
    assert np.all((el["period_min"][mean] > 88) & (el["period_min"][mean] < 92))
    assert summary["n_decayed"] == 1 and summary["n_in_orbit"] == 1
    assert summary["object_days"] == decay["lifetime_days"][0] + 2.0
    assert json.dumps(summary)


def test_lifetime_cli_prints_decay_and_lifetime():
    result = CliRunner().invoke(lifetime, [
        "--perigee-km", "180", "--apogee-km", "485", "--inclination-deg", "64.9", "--epoch", EPOCH,
        "--am-m2-kg", "0.1", "--f107", "85", "--ap", "15", "--msis-version", "00", "--max-days", "5"])
    assert result.exit_code == 0, result.output
    assert "decay: 1962-10-25T" in result.output
    days = float(result.output.split("lifetime:")[1].split()[0])
    assert abs(days - 1.08) < 0.03 * 1.08  # issue 4's cross-tool value, 3 %


def test_lifetime_cli_rejects_half_given_indices():
    result = CliRunner().invoke(lifetime, [
        "--perigee-km", "180", "--apogee-km", "485", "--inclination-deg", "64.9", "--epoch", EPOCH,
        "--am-m2-kg", "0.1", "--f107", "85"])
    assert result.exit_code == 2 and "--ap" in result.output


def test_stage_rejects_epoch_mismatch(tmp_path, state0):
    import pytest

    from debriscope.errors import RunFolderError
    from debriscope.timescale import utc_to_tt_s

    _run_folder(tmp_path, state0, [0.1])
    (tmp_path / "event.json").write_text(json.dumps({"event": {"t_tt_s": utc_to_tt_s(EPOCH) + 60.0}}))
    ctx = RunContext(tmp_path, SimpleNamespace(propagation=PropagationOptions()), np.random.default_rng(0))
    with pytest.raises(RunFolderError, match="differs"):
        run_stage(ctx)
