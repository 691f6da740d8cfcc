"""``debriscope report`` refuses a catalog that is not one (naming it) and gives the same bytes when
re-run on an intact run folder (issue 20)."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from debriscope import __version__
from debriscope.cli import cli
from debriscope.scenario.load import load, scenario_hash


@pytest.mark.parametrize("content, words", [
    (b"", "an empty file, not a debriscope catalog"),
    (b"this is not a database at all" * 40, "not a readable SQLite catalog"),
])
def test_a_corrupt_catalog_is_refused_naming_the_file(synthetic_run, tmp_path, content, words):
    run_dir = tmp_path / "run"
    shutil.copytree(synthetic_run, run_dir)
    catalog = run_dir / "catalog.sqlite"
    catalog.write_bytes(content)
    result = CliRunner().invoke(cli, ["report", str(run_dir)])
    assert result.exit_code == 2
    assert f"Error: {catalog}: {words}" in result.output
    assert f"debriscope catalog build {run_dir}" in result.output
    assert catalog.read_bytes() == content  # never touched
    assert not (run_dir / "report" / "report.html").exists()


def test_a_second_report_on_an_intact_folder_gives_the_same_bytes(synthetic_run, tmp_path):
    """A finished run's summary.json has the run-level keys; the report section of the first
    report must not leak into the second."""
    run_dir = tmp_path / "run"
    shutil.copytree(synthetic_run, run_dir)
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    summary.update(debriscope_version=__version__, scenario_sha256=scenario_hash(load(run_dir / "scenario.toml")))
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    assert CliRunner().invoke(cli, ["report", str(run_dir)]).exit_code == 0
    first = {p.relative_to(run_dir): p.read_bytes() for p in sorted(run_dir.rglob("*")) if p.is_file()}
    result = CliRunner().invoke(cli, ["report", str(run_dir)])
    assert result.exit_code == 0, result.output
    second = {p.relative_to(run_dir): p.read_bytes() for p in sorted(run_dir.rglob("*")) if p.is_file()}
    assert set(second) == set(first)
    changed = [str(name) for name in first if first[name] != second[name] and name.name != "run.log"]
    assert changed == []
