"""The run pipeline: run folder, atomicity, re-running one stage, determinism, CLI exit codes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from debriscope import pipeline
from debriscope.cli import cli, main
from debriscope.runfolder import EVENT_FILE, LOG_FILE, SCENARIO_FILE, SUMMARY_FILE


def test_scenario_stage_run_folder(tmp_path):
    out = pipeline.run("sputnik22", tmp_path / "run", stages=["scenario"])
    names = {p.name for p in out.iterdir()}
    assert {SCENARIO_FILE, EVENT_FILE, SUMMARY_FILE, LOG_FILE} <= names
    summary = json.loads((out / SUMMARY_FILE).read_text())
    assert summary["scenario"]["event_utc"] == "1962-10-24T18:56:11.000Z"
    assert len(summary["scenario_sha256"]) == 64
    # the resolved scenario in the folder reproduces the run
    assert pipeline.load_run_scenario(out).seed == 1962
    assert "stage scenario: done" in (out / LOG_FILE).read_text()


def test_failed_run_leaves_previous_run_intact(tmp_path, monkeypatch):
    target = tmp_path / "run"
    pipeline.run("sputnik22", target, stages=["scenario"])
    before = {p.name: p.read_bytes() for p in target.iterdir()}

    def boom(ctx):
        (ctx.run_dir / "fragments.csv").write_text("half")
        raise RuntimeError("stage failed")

    real = pipeline.stage_function
    monkeypatch.setattr(pipeline, "stage_function", lambda name: boom if name == "breakup" else real(name))
    with pytest.raises(RuntimeError, match="stage failed"):
        pipeline.run("sputnik22", target, stages=["scenario", "breakup"], seed=5, force=True)
    after = {p.name: p.read_bytes() for p in target.iterdir()}
    assert after == before
    # no staging folder left behind; the failed run's log is kept beside the run
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run", "run.failed.log"]


def test_rerun_stage_uses_the_run_folder(tmp_path):
    out = pipeline.run("sputnik22", tmp_path / "run", stages=["scenario"])
    first = (out / EVENT_FILE).read_bytes()
    section = pipeline.rerun_stage(out, "scenario")
    assert section["event_kind"] == "explosion"
    assert (out / EVENT_FILE).read_bytes() == first


def test_stage_generators_are_seeded_per_stage():
    sc = pipeline.load("sputnik22")
    a = pipeline.stage_generator(sc, "breakup").random(3)
    b = pipeline.stage_generator(sc, "breakup").random(3)
    c = pipeline.stage_generator(sc, "sensors").random(3)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_cli_version_and_help():
    runner = CliRunner()
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and "debriscope" in result.output
    result = runner.invoke(cli, ["--help"])
    assert "run" in result.output


def test_cli_exit_codes(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nseed = 1\n')
    assert main(["run", str(bad), "-o", str(tmp_path / "out")]) == 2
    assert "objects" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    assert main(["run", "--seed", "-3"]) == 2
    assert main(["no-such-command"]) == 2


def test_cli_scenario_check():
    result = CliRunner().invoke(cli, ["scenario", "check", "sputnik22"])
    assert result.exit_code == 0, result.output
    assert "sub-satellite point" in result.output


def test_sigterm_leaves_no_partial_folder(tmp_path):
    # a run killed from outside (SIGTERM) unwinds and removes its staging folder
    import signal
    import subprocess
    import sys
    import time

    code = (
        "import time, debriscope.pipeline as p\n"
        "real = p.stage_function\n"
        "def slow(name):\n"
        "    if name == 'breakup':\n"
        "        return lambda ctx: time.sleep(60)\n"
        "    return real(name)\n"
        "p.stage_function = slow\n"
        "from debriscope.cli import main\n"
        f"main(['run', '-o', {str(tmp_path / 'out')!r}])\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.time() + 60
    while time.time() < deadline and not any(p.name.endswith(".partial") for p in tmp_path.iterdir()):
        time.sleep(0.2)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []
