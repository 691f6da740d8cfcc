"""The breakup stage on a hand-made event.json, and the standalone command."""

import json
from types import SimpleNamespace

import numpy as np
import pytest
from click.testing import CliRunner

from debriscope.breakup.stage import impactor_velocity_teme_mps, run_stage
from debriscope.cli.breakup import breakup
from debriscope.errors import ScenarioError
from debriscope.runfolder import RunContext
from debriscope.scenario.fields import build
from debriscope.scenario.options import BreakupOptions
from debriscope.tables import read_csv

R = [6_600_000.0, 100_000.0, 2_000_000.0]
V = [-1_000.0, 7_000.0, 3_000.0]


def write_event(tmp_path, kind="explosion", impactor=None, parents=None):
    parents = parents or [
        {"name": "Blok L", "object_class": "rocket_body", "mass_kg": 900.0, "area_m2": 5.8, "r_teme_m": R, "v_teme_mps": V},
        {"name": "2MV-4 No.1", "object_class": "spacecraft", "mass_kg": 893.5, "area_m2": None, "r_teme_m": R, "v_teme_mps": V},
    ]
    event = {
        "frame": "TEME",
        "event": {"time_utc": "1962-10-24T18:56:11Z", "t_tt_s": -1178000000.0, "kind": kind},
        "parents": parents,
        "impactor": impactor,
    }
    (tmp_path / "event.json").write_text(json.dumps(event), encoding="utf-8")


def context(tmp_path, seed=1962, **options):
    scenario = SimpleNamespace(breakup=build(BreakupOptions, options, "breakup"))
    return RunContext(run_dir=tmp_path, scenario=scenario, rng=np.random.default_rng(seed))


def test_stage_writes_the_contract_table(tmp_path):
    write_event(tmp_path)
    summary = run_stage(context(tmp_path))
    table = read_csv(tmp_path / "fragments.csv")
    for column in ("fragment_id", "parent", "object_class", "lc_m", "am_m2_kg", "area_m2", "mass_kg",
                   "dv_x_mps", "dv_y_mps", "dv_z_mps", "x_teme_m", "y_teme_m", "z_teme_m",
                   "vx_teme_mps", "vy_teme_mps", "vz_teme_mps", "epoch_utc", "is_remnant"):
        assert column in table
    assert summary["n_fragments"] == table["lc_m"].size
    assert set(summary["n_by_parent"]) == {"Blok L", "2MV-4 No.1"}
    assert summary["mass_accounted_kg"] <= summary["mass_total_kg"] == 1793.5
    json.dumps(summary)  # serialisable


def test_stage_is_deterministic(tmp_path):
    write_event(tmp_path)
    run_stage(context(tmp_path))
    first = (tmp_path / "fragments.csv").read_bytes()
    run_stage(context(tmp_path))
    assert (tmp_path / "fragments.csv").read_bytes() == first


def test_per_parent_scaling_factor(tmp_path):
    write_event(tmp_path)
    base = run_stage(context(tmp_path))
    options = {"scaling_factor_by_parent": [{"parent": "Blok L", "scaling_factor": 2.0}]}
    scaled = run_stage(context(tmp_path, **options))
    assert scaled["expected_count_by_parent"]["Blok L"] == pytest.approx(2 * base["expected_count_by_parent"]["Blok L"])
    assert scaled["expected_count_by_parent"]["2MV-4 No.1"] == base["expected_count_by_parent"]["2MV-4 No.1"]
    assert scaled["scaling_factor_by_parent"] == {"Blok L": 2.0, "2MV-4 No.1": 1.0}


def test_parquet_output(tmp_path):
    write_event(tmp_path)
    summary = run_stage(context(tmp_path, output_format="parquet"))
    assert summary["file"] == "fragments.parquet" and (tmp_path / "fragments.parquet").exists()


def test_collision_event(tmp_path):
    target = [{"name": "sat", "object_class": "spacecraft", "mass_kg": 1000.0, "area_m2": None, "r_teme_m": R, "v_teme_mps": V}]
    impactor = {"name": "deb", "object_class": "spacecraft", "mass_kg": 10.0, "relative_speed_mps": 10_000.0, "direction": "cross"}
    write_event(tmp_path, "collision", impactor, target)
    summary = run_stage(context(tmp_path))
    assert summary["catastrophic"] and set(summary["n_by_parent"]) == {"sat", "deb"}
    table = read_csv(tmp_path / "fragments.csv")
    deb = table["parent"] == "deb"
    v_imp = impactor_velocity_teme_mps(np.array(R), np.array(V), 10_000.0, "cross")
    np.testing.assert_allclose(table["vx_teme_mps"][deb] - table["dv_x_mps"][deb], v_imp[0], atol=1e-6)
    assert abs(np.dot(v_imp - np.array(V), V)) < 1e-6 * 10_000.0 * np.linalg.norm(V)  # cross-track: normal to v


def test_collision_without_impactor_is_refused(tmp_path):
    write_event(tmp_path, "collision", None)
    with pytest.raises(ScenarioError, match="event.impactor"):
        run_stage(context(tmp_path))


def test_unknown_kind_and_class_are_refused(tmp_path):
    write_event(tmp_path, "implosion")
    with pytest.raises(ScenarioError, match="event.kind"):
        run_stage(context(tmp_path))
    bad = [{"name": "x", "object_class": "debris", "mass_kg": 1.0, "r_teme_m": R, "v_teme_mps": V}]
    write_event(tmp_path, parents=bad)
    with pytest.raises(ScenarioError, match="object_class"):
        run_stage(context(tmp_path))


def test_cli_explosion_is_deterministic(tmp_path):
    runner = CliRunner()
    args = ["--kind", "explosion", "--object-class", "rocket_body", "--mass-kg", "900", "--lc-min-m", "0.05", "--seed", "7"]
    out = []
    for k in range(2):
        result = runner.invoke(breakup, [*args, "-o", str(tmp_path / f"f{k}.csv")])
        assert result.exit_code == 0, result.output
        out.append((tmp_path / f"f{k}.csv").read_bytes())
    assert out[0] == out[1]
    table = read_csv(tmp_path / "f0.csv")
    assert "x_teme_m" not in table and table["mass_kg"].sum() <= 900.0


def test_cli_collision_and_options(tmp_path):
    result = CliRunner().invoke(breakup, [
        "--kind", "collision", "--target-class", "spacecraft", "--mass-kg", "1000", "--impactor-mass-kg", "10",
        "--relative-speed-mps", "10000", "--no-mass-budget", "-o", str(tmp_path / "c.parquet"),
    ])
    assert result.exit_code == 0, result.output
    assert "catastrophic=True" in result.output and (tmp_path / "c.parquet").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--kind", "collision", "--object-class", "spacecraft", "--mass-kg", "100"], "--impactor-mass-kg"),
        (["--object-class", "spacecraft", "--mass-kg", "100", "--lc-min-m", "0"], "--lc-min-m"),
        (["--object-class", "spacecraft", "--mass-kg", "-1"], "--mass-kg"),
        (["--object-class", "debris", "--mass-kg", "1"], "--object-class"),
        (["--kind", "implosion", "--object-class", "spacecraft", "--mass-kg", "1"], "--kind"),
        (["--object-class", "spacecraft", "--mass-kg", "0.01", "--lc-min-m", "1"], "lc_min_m"),
    ],
)
def test_cli_bad_input_is_a_usage_error(tmp_path, args, message):
    result = CliRunner().invoke(breakup, [*args, "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert message in result.output


def test_mass_budget_policy_option(tmp_path):
    write_event(tmp_path)
    run_stage(context(tmp_path, mass_budget_policy="truncate"))
    assert (tmp_path / "fragments.csv").exists()
    with pytest.raises(ScenarioError, match="mass_budget_policy"):
        context(tmp_path, mass_budget_policy="trim")
    result = CliRunner().invoke(breakup, ["--object-class", "spacecraft", "--mass-kg", "100", "--mass-budget-policy",
                                          "trim", "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "--mass-budget-policy" in result.output
