"""The run folder: file names, the context a stage runs in, and reading what earlier stages wrote.

Each stage is a function ``run_stage(ctx: RunContext) -> dict`` in ``debriscope.<stage>.stage``;
it reads the files of the stages before it from ``ctx.run_dir``, writes its own files atomically
(``debriscope.tables.atomic_write``/``write_csv``) and returns its section of ``summary.json``
(JSON-serialisable, units in the key names). The runner (``debriscope.pipeline``) builds the
context; stages never build their own random generators or read the scenario file themselves.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import RunFolderError
from .tables import Table, atomic_write, read_csv

if TYPE_CHECKING:
    from .scenario.schema import Scenario

SCENARIO_FILE = "scenario.toml"
EVENT_FILE = "event.json"
FRAGMENTS_FILE = "fragments.csv"
DECAY_FILE = "decay.csv"
ELEMENTS_FILE = "elements.csv"
DETECTIONS_FILE = "detections.csv"
RADARS_FILE = "radars.json"
TRACKS_FILE = "tracks.csv"
ORBITS_FILE = "orbits.csv"
ALERTS_FILE = "alerts.csv"
CATALOG_FILE = "catalog.sqlite"
EXPORTS_DIR = "exports"
REPORT_DIR = "report"
SUMMARY_FILE = "summary.json"
LOG_FILE = "run.log"

ProgressFactory = Callable[[int, str], contextlib.AbstractContextManager[Callable[[int], None]]]


@contextlib.contextmanager
def no_progress(total: int, description: str) -> Iterator[Callable[[int], None]]:
    """A progress factory that shows nothing: ``with ctx.progress(n, "decay") as advance: advance(k)``."""
    yield lambda k=1: None


@dataclass
class RunContext:
    """What a stage receives from the runner.

    Attributes
    ----------
    run_dir : Path
        The run folder.
    scenario : Scenario
        The resolved, validated scenario.
    rng : numpy.random.Generator
        This stage's generator, spawned from the scenario seed.
    summary : dict
        ``summary.json`` as written by the stages before this one (read only).
    progress : ProgressFactory
        ``with ctx.progress(total, "label") as advance: ... advance(k)``; a rich bar on a
        terminal, nothing otherwise.
    """

    run_dir: Path
    scenario: Scenario
    rng: np.random.Generator
    summary: dict[str, Any] = field(default_factory=dict)
    progress: ProgressFactory = no_progress

    def path(self, name: str) -> Path:
        return self.run_dir / name

    def read_table(self, name: str) -> Table:
        """Read a CSV table an earlier stage wrote; a clear error if that stage has not run."""
        return read_table(self.run_dir, name)

    def read_json(self, name: str) -> Any:
        return read_json(self.run_dir, name)


def read_table(run_dir: Path, name: str) -> Table:
    path = Path(run_dir) / name
    if not path.exists():
        raise RunFolderError(f"{path} is missing: run the stage that writes {name} first")
    return read_csv(path)


def read_json(run_dir: Path, name: str) -> Any:
    path = Path(run_dir) / name
    if not path.exists():
        raise RunFolderError(f"{path} is missing: run the stage that writes {name} first")
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically, keys in insertion order, 2-space indent."""
    with atomic_write(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, allow_nan=False)
        handle.write("\n")
