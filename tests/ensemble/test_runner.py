"""Ensembles end to end on a small scenario: every backend gives the same bytes; resume; faults;
bad options refused before any work."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from debriscope.cli import main
from debriscope.ensemble import ensemble, resolve_stages
from debriscope.errors import InvalidInputError

from .conftest import small_scenario_text

N = 4
RESULT_FILES = ("realisations.parquet", "ensemble.json", "report.html")


def _outputs(folder: Path) -> dict[str, bytes]:
    files = {name: (folder / name).read_bytes() for name in RESULT_FILES}
    files.update({f"realisations/{p.name}": p.read_bytes() for p in sorted((folder / "realisations").iterdir())})
    return files


@pytest.fixture(scope="module")
def serial_run(tmp_path_factory, small_scenario):
    return ensemble(small_scenario, N, tmp_path_factory.mktemp("ens") / "serial", backend="serial")


def test_serial_ensemble_outputs(serial_run):
    stats = json.loads((serial_run / "ensemble.json").read_text())
    assert stats["n_realisations"] == N and stats["stages"] == ["scenario", "breakup", "propagation"]
    assert set(stats["inputs"]) == {"propagation.cd", 'objects["Blok L"].mass_kg', "breakup.scaling_factor_rocket_body"}
    assert stats["figures"]["n_fragments"]["n"] == N
    assert "decay_by_size" in stats and "sensitivity" in stats
    html = (serial_run / "report.html").read_text()
    assert html.count("<img") >= 3 and "https://" not in html
    assert len(list((serial_run / "realisations").glob("r*.json"))) == N
    assert not (serial_run / ".work").exists()


def test_process_pool_and_dask_give_the_same_bytes(serial_run, tmp_path, small_scenario):
    expected = _outputs(serial_run)
    pool = ensemble(small_scenario, N, tmp_path / "pool", backend="processes", workers=2)
    assert _outputs(pool) == expected
    pytest.importorskip("distributed")
    dask = ensemble(small_scenario, N, tmp_path / "dask", backend="dask", workers=2)
    assert _outputs(dask) == expected


def test_resume_gives_the_same_result_as_an_uninterrupted_run(serial_run, tmp_path, small_scenario):
    partial = ensemble(small_scenario, 2, tmp_path / "e", backend="serial")  # "interrupted" after 2
    (partial / "realisations" / "r00001.json").unlink()  # r00001 was being written when it stopped
    with pytest.raises(InvalidInputError, match="--resume"):
        ensemble(small_scenario, N, partial, backend="serial")
    done = ensemble(small_scenario, N, partial, backend="serial", resume=True)
    assert _outputs(done) == _outputs(serial_run)


def _children(pid: int) -> list[int]:
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text:
            out.append(int(status.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc").exists(), reason="finds worker processes through /proc")
def test_a_lost_worker_has_its_realisations_run_again(serial_run, tmp_path, small_scenario):
    killed = []

    def kill_first_worker():
        deadline = time.time() + 60
        while time.time() < deadline and not killed:
            for child in _children(os.getpid()):
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
                if b"multiprocessing" in cmdline and b"spawn" in cmdline:
                    os.kill(child, signal.SIGKILL)
                    killed.append(child)
                    return
            time.sleep(0.05)

    thread = threading.Thread(target=kill_first_worker)
    thread.start()
    out = ensemble(small_scenario, N, tmp_path / "faulty", backend="processes", workers=2)
    thread.join()
    assert killed, "no worker process was found to kill"
    assert _outputs(out) == _outputs(serial_run)


def test_bad_options_are_refused_before_any_work(tmp_path, small_scenario, capsys):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("x")
    with pytest.raises(InvalidInputError, match="not a debriscope ensemble"):
        ensemble(small_scenario, 2, tmp_path / "mine", resume=True)
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["thesis.tex"]
    with pytest.raises(InvalidInputError, match="prefix"):
        resolve_stages(["propagation"])
    assert resolve_stages(["breakup", "propagation"]) == ("scenario", "breakup", "propagation")
    with pytest.raises(InvalidInputError, match="--scheduler"):
        ensemble(small_scenario, 2, tmp_path / "x", backend="serial", scheduler="tcp://127.0.0.1:1")
    scenario_file = tmp_path / "s.toml"
    scenario_file.write_text(small_scenario_text())
    assert main(["ensemble", str(scenario_file), "-n", "2", "-o", str(tmp_path / "y"), "--stages", "sensors"]) == 2
    assert main(["ensemble", str(scenario_file), "-n", "0", "-o", str(tmp_path / "y")]) == 2
    bad = small_scenario_text('\n[[uncertainty]]\nkey = "propagation.cd"\ndistribution = "uniform"\nlow = 3.0\nhigh = 1.0\n')
    scenario_file.write_text(bad)
    assert main(["ensemble", str(scenario_file), "-n", "2", "-o", str(tmp_path / "y")]) == 2
    assert "uncertainty[0].high" in capsys.readouterr().err
    assert not (tmp_path / "y").exists() and not (tmp_path / "x").exists()


def test_cli_runs_an_ensemble(tmp_path, capsys):
    scenario_file = tmp_path / "s.toml"
    scenario_file.write_text(small_scenario_text())
    assert main(["ensemble", str(scenario_file), "-n", "2", "-o", str(tmp_path / "e"), "--backend", "serial"]) == 0
    out = capsys.readouterr().out
    assert "2 realisations" in out and "n_fragments" in out


def test_catalog_ensemble_is_set_beside_the_record(tmp_path, small_scenario):
    out = ensemble(small_scenario, 1, tmp_path / "cat", backend="serial",
                   stages=["breakup", "propagation", "sensors", "tracking", "catalog"])
    stats = json.loads((out / "ensemble.json").read_text())
    assert stats["figures"]["n_catalogued"]["n"] == 1
    assert "catalogued_first_decay_days" in stats["figures"]
    html = (out / "report.html").read_text()
    assert "Beside the record" in html and "1962-057" in html
