"""``debriscope classify`` refuses impossible measurements and lone site options, and copes with
duplicated rows (issue 20: a CSV with duplicated rows crashed with a singular matrix)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debriscope.cli import cli
from debriscope.tables import read_csv, write_csv
from debriscope.timescale import tt_s_to_utc_iso
from debriscope.tracking.ballistic import ballistic_trajectory

HEADER = "time_utc,range_m,azimuth_deg,elevation_deg"
ROW = "1962-10-25T00:37:12Z,3029846.0,80.59,3.81"


def _missile_csv(path, sim, rng, n=60):
    bt = ballistic_trajectory(45.920, 63.342, 38.8977, -77.0365, sim.T0)
    times, clean = sim.visible_times(sim.THULE, bt.state0_teme, sim.T0, bt.impact_tt_s - sim.T0, 2.0, 1.0)
    z = clean[:, :n] + sim.to_si(sim.TRACKER_SIGMA_DEG)[:, None] * rng.standard_normal((4, n))
    write_csv(path, {"time_utc": np.asarray(tt_s_to_utc_iso(times[:n], 3)), "range_m": z[0],
                     "azimuth_deg": np.degrees(z[1]), "elevation_deg": np.degrees(z[2]), "range_rate_mps": z[3]})


def test_duplicated_rows_are_dropped_with_a_note(tmp_path, rng, sim):
    _missile_csv(tmp_path / "obs.csv", sim, rng)
    lines = (tmp_path / "obs.csv").read_text().splitlines()
    (tmp_path / "dup.csv").write_text("\n".join([lines[0], *lines[1:], *lines[1:]]) + "\n")
    once = CliRunner().invoke(cli, ["classify", str(tmp_path / "obs.csv"), "--site", "thule"])
    twice = CliRunner().invoke(cli, ["classify", str(tmp_path / "dup.csv"), "--site", "thule"])
    assert once.exit_code == 0 and twice.exit_code == 0, twice.output
    assert "60 duplicated row(s) ignored" in twice.stderr
    assert twice.stdout == once.stdout  # the same tracks and classes as the file without duplicates


@pytest.mark.parametrize("column, value, words", [
    ("elevation_deg", "95.0", "elevation_deg = 95.0: expected an elevation in [-90, 90] deg"),
    ("range_m", "-3029846.0", "range_m = -3029846.0: expected a slant range > 0 m"),
    ("range_m", "0", "range_m = 0.0: expected a slant range > 0 m"),
    ("azimuth_deg", "inf", "azimuth_deg = inf: expected an azimuth"),
    ("elevation_deg", "", "elevation_deg = empty"),
    ("range_m", "far", "range_m = 'far'"),
])
def test_impossible_measurements_are_refused_naming_line_and_column(tmp_path, column, value, words):
    cells = dict(zip(HEADER.split(","), ROW.split(","), strict=True))
    path = tmp_path / "obs.csv"
    path.write_text(f"{HEADER}\n{ROW}\n" + ",".join(value if k == column else v for k, v in cells.items()) + "\n")
    result = CliRunner().invoke(cli, ["classify", str(path), "--site", "thule"])
    assert result.exit_code == 2
    assert f"{path} line 3: " in result.output and words in result.output


def test_negative_sigma_is_refused(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(f"{HEADER},sigma_range_m\n{ROW},-50\n")
    result = CliRunner().invoke(cli, ["classify", str(path), "--site", "thule"])
    assert result.exit_code == 2 and "sigma_range_m = -50" in result.output


@pytest.mark.parametrize("given_option, missing", [("--site-lat-deg", "--site-lon-deg"),
                                                   ("--site-lon-deg", "--site-lat-deg")])
def test_a_site_coordinate_needs_its_partner(tmp_path, given_option, missing):
    path = tmp_path / "obs.csv"
    path.write_text(f"{HEADER}\n{ROW}\n")
    result = CliRunner().invoke(cli, ["classify", str(path), given_option, "52.4"])
    assert result.exit_code == 2 and f"{given_option} needs {missing}" in result.output


def test_latin1_and_binary_files_are_not_utf8_text(tmp_path):
    for name, data in (("latin1.csv", f"{HEADER},site\n{ROW},Thul\xe9\n".encode("latin-1")),
                       ("binary.csv", bytes(range(256)))):
        (tmp_path / name).write_bytes(data)
        result = CliRunner().invoke(cli, ["classify", str(tmp_path / name), "--site", "thule"])
        assert result.exit_code == 2
        assert f"{tmp_path / name}: not UTF-8 text" in result.output


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(f"\ufeff{HEADER}\n{ROW}\n".encode())
    result = CliRunner().invoke(cli, ["classify", str(path), "--site", "thule"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 measurements")


CELL = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet="0123456789.-+eE,\"x ", max_size=10),
    st.sampled_from(["", "1e400", "nan", "-0", "90", "90.0000001", "-90", "1e-300"]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["1962-10-25T00:37:12Z", "1962-10-25T00:37:22Z", "1962-13-45T00:00:00Z",
                                           "yesterday", ""]), CELL, CELL, CELL, CELL),
                min_size=0, max_size=6))
def test_any_observation_csv_is_classified_or_refused_with_exit_2(tmp_path, rows):
    """Whatever the cells, classify either succeeds or refuses with exit 2 and an 'Error:' line
    naming the file; it never fails (exit 1) and never shows a class name."""
    path = tmp_path / "obs.csv"
    write_csv(path, {"time_utc": np.array([r[0] for r in rows], dtype=str),
                     **{name: np.array([r[k + 1] for r in rows], dtype=str)
                        for k, name in enumerate(["range_m", "azimuth_deg", "elevation_deg", "range_rate_mps"])}})
    result = CliRunner().invoke(cli, ["classify", str(path), "--site", "thule"])
    assert result.exit_code in (0, 2), result.output
    assert "Error" not in result.output.replace("Error:", "")
    if result.exit_code == 2:
        assert "Error:" in result.output
        return
    table = read_csv(path)
    n = len(table["time_utc"]) if "time_utc" in table else 0
    for k in range(n):
        r, el = float(table["range_m"][k]), float(table["elevation_deg"][k])
        assert math.isfinite(r) and r > 0 and -90.0 <= el <= 90.0


def test_detections_sharing_a_time_are_left_out_of_the_fit(tmp_path):
    """Two different measurements at one instant in one track made the IOD singular (LinAlgError)."""
    rows = ["time_utc,site,range_m,azimuth_deg,elevation_deg",
            "1962-10-25T00:37:12Z,thule,3029846.0,80.59,3.81",
            "1962-10-25T00:37:22Z,thule,3086432.0,79.71,3.71",
            "1962-10-25T00:37:12Z,thule,3029846.0,80.60,3.81",
            "1962-10-25T00:37:22Z,thule,3086432.0,79.72,3.71"]
    path = tmp_path / "same_time.csv"
    path.write_text("\n".join(rows) + "\n")
    result = CliRunner().invoke(cli, ["classify", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 left out (same time as another, different values)" in result.stdout
    assert "ballistic" in result.stdout
