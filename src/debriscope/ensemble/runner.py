"""``debriscope ensemble``: N realisations of a scenario on a chosen backend, then their statistics.

The ensemble folder holds ``.debriscope-ensemble.json`` (what the ensemble is: scenario hash,
seed, stages, whether realisations run in memory; it is how ``--resume`` recognises its own
folder), ``scenario.toml`` (with its ``[[uncertainty]]`` tables), ``realisations/`` (three files
per realisation, see :mod:`~debriscope.ensemble.realisation`), and once all are done
``realisations.parquet`` (one row per realisation: its seed, drawn inputs and figures),
``ensemble.json`` (the statistics) and ``report.html``. The folder is built in place, one atomic
file at a time, so an interrupted ensemble is resumed with ``--resume`` (done realisations are
skipped; the result is the same as an uninterrupted run).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InvalidInputError
from ..pipeline import STAGES
from ..runfolder import ProgressFactory, no_progress, write_json
from ..scenario import Scenario, load, scenario_hash, to_toml
from . import backends
from .aggregate import aggregate
from .realisation import EnsembleSpec, done_path, runs_in_memory

log = logging.getLogger(__name__)

ENSEMBLE_MARKER_FILE = ".debriscope-ensemble.json"
BACKENDS = ("serial", "processes", "dask")
_MARKER_FORMAT = "debriscope ensemble folder"


def resolve_stages(stages: Sequence[str] | None) -> tuple[str, ...]:
    """The pipeline prefix an ensemble runs: ``scenario`` up to the last stage named (default
    through propagation). The names must form a prefix of the pipeline through ``breakup`` at
    least (``scenario`` may be left out)."""
    if not stages:
        return STAGES[: STAGES.index("propagation") + 1]
    names = [s for s in stages if s != "scenario"]
    unknown = [s for s in names if s not in STAGES]
    if unknown:
        raise InvalidInputError("--stages", ",".join(stages), "stage names among " + ", ".join(STAGES))
    wanted = ("scenario", *names)
    if tuple(wanted) != STAGES[: len(wanted)] or "breakup" not in wanted:
        raise InvalidInputError("--stages", ",".join(stages), "a prefix of the pipeline through breakup at least, "
                                "in order: "
                                + ", ".join(STAGES) + " (e.g. breakup,propagation)")
    return tuple(wanted)


def _check_folder(out: Path, fingerprint: dict[str, Any], resume: bool) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise InvalidInputError("--out", str(out), "is a file; an ensemble writes a folder")
    if not any(out.iterdir()):
        return
    try:
        marker = json.loads((out / ENSEMBLE_MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        marker = None
    if not isinstance(marker, dict) or marker.get("format") != _MARKER_FORMAT:
        raise InvalidInputError("--out", str(out), "is a folder that is not a debriscope ensemble; "
                                "debriscope never writes into it: name a new or empty folder")
    if not resume:
        raise InvalidInputError("--out", str(out), "holds an earlier ensemble: pass --resume to continue it, "
                                "or name another folder")
    differ = [k for k, v in fingerprint.items() if marker.get(k) != v]
    if differ:
        raise InvalidInputError("--resume", str(out), "the folder's ensemble differs in " + ", ".join(differ)
                                + "; resume it with the same scenario, seed and stages (and a debriscope "
                                "that runs its realisations the same way)")


def ensemble(
    scenario_source: str | Path | Scenario,
    n: int,
    out_dir: str | Path,
    *,
    backend: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    stages: Sequence[str] | None = None,
    seed: int | None = None,
    resume: bool = False,
    keep_runs: bool = False,
    progress: ProgressFactory = no_progress,
) -> Path:
    """Run ``n`` realisations of a scenario into ``out_dir`` and write their statistics.

    Parameters
    ----------
    backend : str
        'serial', 'processes' (a local process pool; the default) or 'dask'
        (``dask.distributed``: a LocalCluster of ``workers`` processes, or the cluster at
        ``scheduler``). Every backend gives byte-identical realisation files.
    workers : int, optional
        Worker processes (default: the CPU count, at most ``n``).
    stages : sequence of str, optional
        The pipeline prefix each realisation runs (default scenario, breakup, propagation: in
        memory; with later stages each realisation is a pipeline run, see
        :mod:`~debriscope.ensemble.realisation`).
    resume : bool
        Continue the ensemble already in ``out_dir`` (realisations done are skipped).
    keep_runs : bool
        Keep each realisation's run folder under ``runs/`` (only with stages after propagation).

    Raises
    ------
    InvalidInputError
        Bad options or destination, before any work.
    """
    scenario = scenario_source if isinstance(scenario_source, Scenario) else load(scenario_source, seed=seed)
    if n < 1:
        raise InvalidInputError("-n", n, "at least 1 realisation")
    if backend not in BACKENDS:
        raise InvalidInputError("--backend", backend, "one of " + ", ".join(BACKENDS))
    if workers is not None and workers < 1:
        raise InvalidInputError("--workers", workers, "at least 1")
    if scheduler is not None and backend != "dask":
        raise InvalidInputError("--scheduler", scheduler, "goes with the dask backend")
    run_stages = resolve_stages(stages)
    if keep_runs and runs_in_memory(run_stages):
        raise InvalidInputError("--keep-runs", True, "goes with --stages through sensors or later (realisations "
                                "of breakup and propagation run in memory, without a run folder; run one alone "
                                "with: debriscope run <ensemble>/realisations/rNNNNN.toml)")
    out = Path(out_dir)
    fingerprint = {"scenario_sha256": scenario_hash(scenario), "seed": scenario.seed, "stages": list(run_stages),
                   "realisations_run": "in memory" if runs_in_memory(run_stages) else "through the pipeline"}
    _check_folder(out, fingerprint, resume)

    out.mkdir(parents=True, exist_ok=True)
    write_json(out / ENSEMBLE_MARKER_FILE, {"format": _MARKER_FORMAT, "debriscope_version": __version__,
                                            **fingerprint, "n_realisations": n})
    (out / "scenario.toml").write_text(to_toml(scenario), encoding="utf-8")
    shutil.rmtree(out / ".work", ignore_errors=True)  # temporary run folders of an interrupted ensemble
    (out / ".work").mkdir()
    todo = [i for i in range(n) if not done_path(out, i).exists()]
    n_workers = max(1, min(workers or os.cpu_count() or 1, max(len(todo), 1)))
    threads = max(1, (os.cpu_count() or 1) // n_workers) if backend != "serial" else 0
    spec = EnsembleSpec(scenario_toml=to_toml(scenario), stages=run_stages, out_dir=str(out.resolve()),
                        keep_runs=keep_runs, numba_threads=threads)
    log.info("ensemble %s: %d realisations (%d to run) on %s, %d worker(s)", scenario.name, n, len(todo),
             backend, n_workers)
    try:
        with progress(n, "ensemble") as advance:
            advance(n - len(todo))
            on_done = lambda record: advance(1)  # noqa: E731
            if backend == "serial" or not todo:
                backends.run_serial(spec, todo, on_done)
            elif backend == "processes":
                backends.run_processes(spec, todo, on_done, n_workers)
            else:
                backends.run_dask(spec, todo, on_done, workers=n_workers, scheduler=scheduler)
    finally:
        shutil.rmtree(out / ".work", ignore_errors=True)
    aggregate(out, scenario, n, run_stages)
    return out
