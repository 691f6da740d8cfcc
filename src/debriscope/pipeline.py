"""The run pipeline: scenario -> breakup -> propagation -> sensors -> tracking -> catalog -> report.

Each stage is ``debriscope.<stage>.stage.run_stage(ctx) -> dict``. :func:`run` builds a fresh run
folder in a temporary sibling folder and moves it into place only when every stage succeeded, so a
failed run never leaves half-written outputs and never touches an earlier run in the same place.
:func:`rerun_stage` runs one stage again on an existing folder, reading what the earlier stages
wrote (its files are replaced atomically).

Randomness: ``SeedSequence(scenario.seed).spawn(len(STAGES))`` gives one generator per stage, by
the stage's fixed position, so a stage run alone draws the same numbers as in a full run.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from .compile_progress import compile_progress
from .errors import InvalidInputError, RunFolderError
from .runfolder import (
    LOG_FILE,
    SCENARIO_FILE,
    SUMMARY_FILE,
    ProgressFactory,
    RunContext,
    check_destination,
    files_below,
    free_sibling,
    no_progress,
    read_marker,
    remove_stale_staging,
    staging_prefix,
    write_json,
    write_marker,
)
from .scenario import Scenario, load, scenario_hash, to_toml
from .tables import atomic_write, umask_mode

log = logging.getLogger(__name__)

STAGES: tuple[str, ...] = ("scenario", "breakup", "propagation", "sensors", "tracking", "catalog", "report")
"""The stages, in the order data flows."""


def stage_function(name: str) -> Callable[[RunContext], dict[str, Any]]:
    """The ``run_stage`` function of a stage."""
    if name not in STAGES:
        raise ValueError(f"unknown stage {name!r}; stages: {', '.join(STAGES)}")
    return importlib.import_module(f"debriscope.{name}.stage").run_stage


def available_stages() -> tuple[str, ...]:
    """The stages whose module is installed, in order (a partial install runs what it has)."""
    return tuple(name for name in STAGES if importlib.util.find_spec(f"debriscope.{name}.stage") is not None)


def stage_generator(scenario: Scenario, name: str) -> np.random.Generator:
    """The generator of one stage, spawned from the scenario seed by the stage's position."""
    children = np.random.SeedSequence(scenario.seed).spawn(len(STAGES))
    return np.random.default_rng(children[STAGES.index(name)])


def rich_progress(enabled: bool) -> ProgressFactory:
    """A progress factory drawing rich bars on stderr when ``enabled`` and stderr is a terminal."""
    from rich.console import Console

    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        return no_progress
    shown: list[Any] = []  # the bar on screen; a bar opened inside another's block is a row of it

    @contextlib.contextmanager
    def factory(total: int, description: str) -> Iterator[Callable[[int], None]]:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        if shown:
            bar = shown[-1]
            task = bar.add_task(description, total=total)
            try:
                yield lambda k=1: bar.advance(task, k)
            finally:
                bar.remove_task(task)
            return
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=True,
        ) as bar:
            shown.append(bar)
            try:
                task = bar.add_task(description, total=total)
                yield lambda k=1: bar.advance(task, k)
            finally:
                shown.pop()

    return factory


@contextlib.contextmanager
def _log_to(path: Path) -> Iterator[None]:
    handler = logging.FileHandler(path, mode="a", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("debriscope")
    previous = root.level
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
        handler.close()


def _read_summary(run_dir: Path) -> dict[str, Any]:
    path = run_dir / SUMMARY_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _run_stages(
    run_dir: Path, scenario: Scenario, names: Sequence[str], progress: ProgressFactory
) -> dict[str, Any]:
    summary = _read_summary(run_dir)
    summary.setdefault("debriscope_version", __version__)
    summary.setdefault("scenario_sha256", scenario_hash(scenario))
    for name in names:
        func = stage_function(name)
        ctx = RunContext(run_dir, scenario, stage_generator(scenario, name), dict(summary), progress)
        log.info("stage %s: start", name)
        start = time.perf_counter()
        with compile_progress(progress):
            summary[name] = func(ctx)
        log.info("stage %s: done in %.2f s", name, time.perf_counter() - start)
        write_json(run_dir / SUMMARY_FILE, summary)
    return summary


def default_run_dir(scenario: Scenario) -> Path:
    """``runs/<name>-seed<seed>`` (the scenario name is an identifier, so this stays inside ``runs/``)."""
    return Path("runs") / f"{scenario.name}-seed{scenario.seed}"


def run(
    scenario_source: str | Path | Scenario = "sputnik22",
    out_dir: str | Path | None = None,
    *,
    seed: int | None = None,
    stages: Sequence[str] | None = None,
    progress: ProgressFactory = no_progress,
    force: bool = False,
) -> Path:
    """Run the stages on a scenario into ``out_dir`` (default ``runs/<name>-seed<seed>``).

    Before any work the scenario is validated and the destination checked
    (:func:`debriscope.runfolder.check_destination`): a new path or an empty folder, or with
    ``force`` an earlier run folder holding nothing but what debriscope wrote; anything else is
    refused with :class:`~debriscope.errors.InvalidInputError`. The folder is assembled in a
    hidden sibling and moved into place when every stage has succeeded; on failure nothing at
    ``out_dir`` changes, the failed run's log is kept beside it (``NAME.failed.log``) and the
    error propagates. Staging folders left by killed runs are removed at the next run.
    """
    scenario = scenario_source if isinstance(scenario_source, Scenario) else load(scenario_source, seed=seed)
    target = Path(out_dir) if out_dir is not None else default_run_dir(scenario)
    check_destination(target, force=force)
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in remove_stale_staging(target):
        log.info("removed %s, left by a run that was killed", stale)
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(target), suffix=".partial", dir=target.parent))
    staging.chmod(umask_mode(directory=True))  # the run folder follows the umask, as mkdir would
    try:
        write_marker(staging, scenario=scenario.name, seed=scenario.seed, version=__version__)
        with atomic_write(staging / SCENARIO_FILE, "w", encoding="utf-8") as handle:
            handle.write(to_toml(scenario))
        with _log_to(staging / LOG_FILE):
            log.info("debriscope %s: scenario %s, seed %d, into %s", __version__, scenario.name, scenario.seed, target)
            _run_stages(staging, scenario, list(stages or available_stages()), progress)
        write_marker(staging, scenario=scenario.name, seed=scenario.seed, version=__version__)
    except Exception:
        _keep_failed_log(staging, target)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return _move_into_place(staging, target, force=force)


def _keep_failed_log(staging: Path, target: Path) -> None:
    """Copy a failed run's log beside its destination (``NAME.failed.log``) and say where."""
    source = staging / LOG_FILE
    if not source.exists():
        return
    kept = free_sibling(target, ".failed.log")
    with contextlib.suppress(OSError):
        shutil.copyfile(source, kept)
        log.error("the log of the failed run is kept in %s", kept)


def _move_into_place(staging: Path, target: Path, *, force: bool) -> Path:
    """Rename the finished ``staging`` folder to ``target``, replacing an empty folder or (checked
    again, since the run took a while) an earlier run. If ``target`` changed meanwhile into
    something a run must not replace, the finished run goes to a free sibling name instead."""
    try:
        check_destination(target, force=force)
    except InvalidInputError as exc:
        elsewhere = free_sibling(target, "")
        staging.rename(elsewhere)
        log.warning("%s; the finished run is in %s instead", exc, elsewhere)
        return elsewhere
    if target.is_dir() and not any(target.iterdir()):
        target.rmdir()
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=staging_prefix(target), suffix=".old", dir=target.parent))
        old.rmdir()
        target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(target)
    return target


def load_run_scenario(run_dir: str | Path) -> Scenario:
    """The resolved scenario a run folder was made with."""
    path = Path(run_dir) / SCENARIO_FILE
    if not path.exists():
        raise RunFolderError(f"{path} is missing: {run_dir} is not a debriscope run folder")
    return load(path)


def rerun_stage(
    run_dir: str | Path, stage: str, *, progress: ProgressFactory = no_progress
) -> dict[str, Any]:
    """Run one stage again on an existing run folder; returns its summary section."""
    run_dir = Path(run_dir)
    scenario = load_run_scenario(run_dir)
    marker = read_marker(run_dir)
    before = files_below(run_dir)
    with _log_to(run_dir / LOG_FILE):
        section = _run_stages(run_dir, scenario, [stage], progress)[stage]
    if marker is not None:  # the files this stage added are debriscope's too
        ours = set(marker["files"]) | (files_below(run_dir) - before)
        write_marker(run_dir, scenario=scenario.name, seed=scenario.seed, version=__version__, files=ours)
    return section
