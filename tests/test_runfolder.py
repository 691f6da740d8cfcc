"""Run folders are written safely (issue 20, defects 1, 3 and 4): a run replaces only an earlier
run (with --force), never a folder holding anything else; everything checkable is checked before
the first stage; a failed run keeps its log; killed runs leave nothing that lives on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from debriscope import pipeline
from debriscope.cli import main
from debriscope.errors import InvalidInputError, ScenarioError
from debriscope.runfolder import (
    LOG_FILE,
    RUN_MARKER_FILE,
    check_destination,
    foreign_files,
    read_marker,
    remove_stale_staging,
)
from debriscope.scenario import load, to_toml

ONLY_SCENARIO = ["scenario"]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_run_never_replaces_a_folder_that_is_not_a_run(in_tmp, capsys):
    # the reproduction of issue 20, defect 1: `run p/event.toml -o p` removed p/thesis/ and event.toml
    (in_tmp / "p" / "thesis").mkdir(parents=True)
    (in_tmp / "p" / "thesis" / "ch1.tex").write_text("x")
    (in_tmp / "p" / "event.toml").write_text(to_toml(load("sputnik22")))
    before = _tree(in_tmp / "p")
    assert main(["run", "p/event.toml", "-o", "p"]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "not a debriscope run" in err and "Error" not in err.split(":", 1)[1][:20]
    assert _tree(in_tmp / "p") == before
    assert sorted(p.name for p in in_tmp.iterdir()) == ["p"]  # no staging folder, nothing else
    with pytest.raises(InvalidInputError):
        pipeline.run("sputnik22", in_tmp / "p", stages=ONLY_SCENARIO, force=True)  # --force does not help
    assert _tree(in_tmp / "p") == before


def test_earlier_run_is_replaced_only_with_force(in_tmp):
    out = pipeline.run("sputnik22", in_tmp / "r", stages=ONLY_SCENARIO)
    marker = read_marker(out)
    assert marker is not None and LOG_FILE in marker["files"] and foreign_files(out) == []
    with pytest.raises(InvalidInputError, match="--force"):
        pipeline.run("sputnik22", out, stages=ONLY_SCENARIO, seed=3)
    assert pipeline.load_run_scenario(out).seed == 1962
    pipeline.run("sputnik22", out, stages=ONLY_SCENARIO, seed=3, force=True)
    assert pipeline.load_run_scenario(out).seed == 3
    assert sorted(p.name for p in in_tmp.iterdir()) == ["r"]


def test_earlier_run_holding_a_users_file_is_never_replaced(in_tmp):
    out = pipeline.run("sputnik22", in_tmp / "r", stages=ONLY_SCENARIO)
    (out / "notes.md").write_text("mine")
    (out / "sub").mkdir()
    (out / "sub" / "data.txt").write_text("mine too")
    assert foreign_files(out) == ["notes.md", "sub/data.txt"]
    with pytest.raises(InvalidInputError, match="did not write"):
        pipeline.run("sputnik22", out, stages=ONLY_SCENARIO, force=True)
    assert (out / "notes.md").read_text() == "mine" and (out / "sub" / "data.txt").exists()


def test_rerun_stage_keeps_the_marker_and_the_users_files_foreign(in_tmp):
    out = pipeline.run("sputnik22", in_tmp / "r", stages=ONLY_SCENARIO)
    (out / "notes.md").write_text("mine")
    pipeline.rerun_stage(out, "scenario")
    assert foreign_files(out) == ["notes.md"]  # the re-run did not adopt the user's file
    (out / "notes.md").unlink()
    pipeline.run("sputnik22", out, stages=ONLY_SCENARIO, force=True)  # still recognised as a run


def test_empty_folder_and_new_path_are_accepted(in_tmp):
    (in_tmp / "empty").mkdir()
    assert pipeline.run("sputnik22", in_tmp / "empty", stages=ONLY_SCENARIO).is_dir()
    assert (in_tmp / "empty" / RUN_MARKER_FILE).exists()
    assert pipeline.run("sputnik22", in_tmp / "a" / "b" / "c", stages=ONLY_SCENARIO).is_dir()


@pytest.mark.parametrize("out", [".", "..", "file.txt", "file.txt/below", "link"])
def test_bad_destinations_are_refused_before_any_work(in_tmp, out, capsys):
    (in_tmp / "file.txt").write_text("x")
    (in_tmp / "target").mkdir()
    (in_tmp / "link").symlink_to(in_tmp / "target")
    before = _tree(in_tmp)
    assert main(["run", "-o", out]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "Traceback" not in err
    assert _tree(in_tmp) == before
    assert not [p for p in in_tmp.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("name", ["../../x", "/tmp/abs", "a/b", "..", ".hidden", ""])
def test_scenario_name_cannot_leave_runs(in_tmp, name, capsys):
    text = to_toml(load("sputnik22")).replace('name = "sputnik22"', f"name = {json.dumps(name)}")
    (in_tmp / "ev.toml").write_text(text)
    assert main(["run", "ev.toml"]) == 2
    assert "name" in capsys.readouterr().err
    assert sorted(p.name for p in in_tmp.iterdir()) == ["ev.toml"]


def test_seed_range_is_checked_up_front(in_tmp, capsys):
    assert main(["run", "--seed", str(2**63), "-o", "r"]) == 2
    text = to_toml(load("sputnik22")).replace("seed = 1962", f"seed = {2**63}")
    (in_tmp / "ev.toml").write_text(text)
    assert main(["run", "ev.toml", "-o", "r"]) == 2
    assert "seed" in capsys.readouterr().err
    with pytest.raises(ScenarioError, match="seed"):
        load("sputnik22", seed=2**63)
    assert load("sputnik22", seed=2**63 - 1).seed == 2**63 - 1
    assert not (in_tmp / "r").exists()


def test_failed_run_keeps_its_log_beside_the_destination(in_tmp, monkeypatch):
    def boom(ctx):
        raise RuntimeError("stage failed")

    real = pipeline.stage_function
    monkeypatch.setattr(pipeline, "stage_function", lambda name: boom if name == "breakup" else real(name))
    for _ in range(2):
        with pytest.raises(RuntimeError, match="stage failed"):
            pipeline.run("sputnik22", in_tmp / "r", stages=["scenario", "breakup"])
    names = sorted(p.name for p in in_tmp.iterdir())
    assert names == ["r-2.failed.log", "r.failed.log"]  # the first is not overwritten
    log = (in_tmp / "r.failed.log").read_text()
    assert "stage scenario: done" in log and "stage breakup: start" in log


def _staging(parent: Path, name: str, pid: int, marked: bool) -> Path:
    folder = parent / f".{name}.{pid}.{'m' if marked else 'u'}123.partial"
    folder.mkdir()
    (folder / "scenario.toml").write_text("x")
    if marked:
        (folder / RUN_MARKER_FILE).write_text(json.dumps({"format": "debriscope run folder", "files": []}))
    return folder


def test_stale_staging_folders_of_dead_processes_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    dead_pid = int(dead.stdout)
    stale = _staging(tmp_path, "r", dead_pid, marked=True)
    alive = _staging(tmp_path, "r", os.getpid(), marked=True)
    unmarked = _staging(tmp_path, "r", dead_pid, marked=False)
    other = _staging(tmp_path, "s", dead_pid, marked=True)
    assert remove_stale_staging(tmp_path / "r") == [stale]
    assert not stale.exists() and alive.exists() and unmarked.exists() and other.exists()


def test_check_destination_allows_what_a_run_may_write(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    check_destination(tmp_path / "new" / "deeper", force=False)
    (tmp_path / "empty").mkdir()
    check_destination(tmp_path / "empty", force=False)
    with pytest.raises(InvalidInputError, match="current folder"):
        check_destination(Path("."), force=True)


_WORKERS_SCRIPT = """
import time
from debriscope.propagation import atmosphere
pool = atmosphere._pool()
assert pool is not None
list(pool.map(time.sleep, [0.2, 0.2]))  # both workers started
print(" ".join(str(pid) for pid in pool._processes), flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        return "\nState:\tZ" not in status.read_text()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="no worker pool on one core")
def test_nrlmsis_workers_die_with_a_killed_parent():
    proc = subprocess.Popen([sys.executable, "-c", _WORKERS_SCRIPT], stdout=subprocess.PIPE, text=True)
    workers = [int(p) for p in proc.stdout.readline().split()]
    assert len(workers) == 2 and all(_alive(p) for p in workers)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.time() + 10.0
    while time.time() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers)
