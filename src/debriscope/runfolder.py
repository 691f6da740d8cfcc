"""The run folder: file names, the context a stage runs in, and reading what earlier stages wrote.

Each stage is a function ``run_stage(ctx: RunContext) -> dict`` in ``debriscope.<stage>.stage``;
it reads the files of the stages before it from ``ctx.run_dir``, writes its own files atomically
(``debriscope.tables.atomic_write``/``write_csv``) and returns its section of ``summary.json``
(JSON-serialisable, units in the key names). The runner (``debriscope.pipeline``) builds the
context; stages never build their own random generators or read the scenario file themselves.

A run folder is recognised by its marker file (:data:`RUN_MARKER_FILE`), which lists every file
debriscope wrote into it. :func:`check_destination` decides, before any work, whether a run may be
written to a path: a new path, an empty folder, or (with ``force``) an earlier run folder that
holds nothing but what debriscope wrote; never a folder holding anything else.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import InvalidInputError, RunFolderError
from .tables import Table, atomic_write, read_csv

if TYPE_CHECKING:
    from .scenario.schema import Scenario

SCENARIO_FILE = "scenario.toml"
EVENT_FILE = "event.json"
MODELS_FILE = "models.json"
"""The force models resolved once from the scenario: the truth's and the orbit estimator's."""
GROUNDTRACK_FILE = "groundtrack.csv"
"""The parent's sub-satellite track on the parking orbit, insertion to past the event (for the report)."""
FRAGMENTS_FILE = "fragments.csv"
FRAGMENTS_PARQUET_FILE = "fragments.parquet"
"""The fragment table as Parquet (``[breakup] output_format = "parquet"``), instead of fragments.csv."""
DECAY_FILE = "decay.csv"
ELEMENTS_FILE = "elements.csv"
BURN_LIFETIMES_FILE = "lifetimes_burn_vs_parking.csv"
DETECTIONS_FILE = "detections.csv"
RADARS_FILE = "radars.json"
TDM_FILE = "detections.tdm"
"""The detections as a CCSDS TDM (KVN), with ``[sensors] tdm = true``."""
TRUTH_STATES_FILE = "truth_states.csv"
"""True TEME state of the fragment behind each row of detections.csv, same order (scoring only)."""
TRACKS_FILE = "tracks.csv"
ORBITS_FILE = "orbits.csv"
ALERTS_FILE = "alerts.csv"
OBJECTS_FILE = "objects.csv"
"""Every object the catalog-maintenance loop created: status, admission, last element set, B."""
ASSOCIATIONS_FILE = "associations.csv"
"""One row per row of detections.csv: the object it was associated to (-1: none) and its pass."""
CATALOG_FILE = "catalog.sqlite"
EXPORTS_DIR = "exports"
REPORT_DIR = "report"
SUMMARY_FILE = "summary.json"
LOG_FILE = "run.log"
RUN_MARKER_FILE = ".debriscope-run.json"
"""Marks a folder as a debriscope run and lists the files debriscope wrote into it."""
_MARKER_FORMAT = "debriscope run folder"
_OUR_TEMPORARY = re.compile(r"^\..+\.tmp$")
"""Leftovers of :func:`debriscope.tables.atomic_write` (ours, never a user's file)."""

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


# --- run-folder marker and destination checks ------------------------------------------------


def files_below(folder: Path) -> set[str]:
    """Relative POSIX paths of the files (and symbolic links) below ``folder``."""
    out = set()
    for root, dirs, files in os.walk(folder):
        rel = Path(root).relative_to(folder)
        out.update((rel / name).as_posix() for name in files)
        out.update((rel / name).as_posix() for name in dirs if (Path(root) / name).is_symlink())
    return out


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The run marker of ``folder``, or None if it is not a debriscope run folder."""
    path = Path(folder) / RUN_MARKER_FILE
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("format") != _MARKER_FORMAT:
        return None
    if not isinstance(marker.get("files"), list):
        return None
    return marker


def write_marker(folder: Path, *, scenario: str, seed: int, version: str, files: set[str] | None = None) -> None:
    """Mark ``folder`` as a run, recording ``files`` (default: every file now in it) as debriscope's."""
    files = sorted((files_below(folder) if files is None else set(files)) - {RUN_MARKER_FILE})
    marker = {"format": _MARKER_FORMAT, "debriscope_version": version, "scenario": scenario, "seed": seed,
              "files": files}
    write_json(Path(folder) / RUN_MARKER_FILE, marker)


def foreign_files(folder: Path) -> list[str] | None:
    """Files below a run folder that debriscope did not write (None if ``folder`` is not a run)."""
    marker = read_marker(folder)
    if marker is None:
        return None
    ours = set(marker["files"]) | {RUN_MARKER_FILE}
    return sorted(f for f in files_below(folder) - ours if not _OUR_TEMPORARY.match(Path(f).name))


def check_destination(target: Path, *, force: bool, option: str = "--out") -> None:
    """Refuse, before any work, a destination a run must not write to.

    Allowed: a path that does not exist (its parent is created), an empty folder, and with
    ``force`` an earlier debriscope run folder holding only files debriscope wrote. Refused:
    a file, a symbolic link, the current folder or one of its parents, any other non-empty folder.

    Raises
    ------
    InvalidInputError
        Naming ``option``, the path and what is allowed.
    """
    target = Path(target)
    resolved = target.resolve()
    cwd = Path.cwd().resolve()
    if resolved == cwd or resolved in cwd.parents:
        raise InvalidInputError(option, str(target), "the current folder or one of its parents cannot be a run "
                                "folder; name a new or empty folder")
    if target.is_symlink():
        raise InvalidInputError(option, str(target), "is a symbolic link; name a new or empty folder")
    for parent in resolved.parents:
        if parent.exists() and not parent.is_dir():
            raise InvalidInputError(option, str(target), f"{parent} is a file, not a folder")
    if not target.exists():
        return
    if not target.is_dir():
        raise InvalidInputError(option, str(target), "is a file; a run writes a folder: name a new or empty folder")
    if not any(target.iterdir()):
        return
    foreign = foreign_files(target)
    if foreign is None:
        first = sorted(p.name for p in target.iterdir())[:3]
        raise InvalidInputError(option, str(target), f"is a folder that is not a debriscope run (it holds "
                                f"{', '.join(first)}...); debriscope never replaces it: name a new or empty folder")
    if foreign:
        shown = ", ".join(foreign[:3]) + ("..." if len(foreign) > 3 else "")
        raise InvalidInputError(option, str(target), f"is an earlier debriscope run that also holds files "
                                f"debriscope did not write ({shown}); move them out or name another folder")
    if not force:
        raise InvalidInputError(option, str(target), "is an earlier debriscope run: pass --force to replace it, "
                                "or name another folder")


_STAGING = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.(partial|old)$")


def staging_prefix(target: Path) -> str:
    """Prefix of the hidden sibling folders a run into ``target`` assembles in (``.NAME.PID.``)."""
    return f".{Path(target).name}.{os.getpid()}."


def _process_alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    if status.exists():  # Linux: a zombie is dead
        with contextlib.suppress(OSError):
            return "\nState:\tZ" not in status.read_text()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(target: Path) -> list[Path]:
    """Remove the hidden staging folders of earlier runs into ``target`` whose process has died.

    Only folders named as :func:`staging_prefix` names them *and* carrying the run marker are
    touched (ours beyond doubt); a live process's folder is left alone. Returns what was removed.
    """
    target = Path(target)
    parent = target.parent if str(target.parent) else Path(".")
    removed = []
    if not parent.is_dir():
        return removed
    for path in parent.iterdir():
        match = _STAGING.match(path.name)
        if not match or match["name"] != target.name or not path.is_dir() or path.is_symlink():
            continue
        if _process_alive(int(match["pid"])) or read_marker(path) is None:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def free_sibling(path: Path, suffix: str) -> Path:
    """``NAME<suffix>`` beside ``path``, or ``NAME-2<suffix>``, ``NAME-3<suffix>``... whichever does not exist."""
    path = Path(path)
    candidate = path.with_name(f"{path.name}{suffix}")
    k = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = path.with_name(f"{path.name}-{k}{suffix}")
        k += 1
    return candidate
