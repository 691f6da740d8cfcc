"""The truth behind the detections, for scoring only: ``truth_states.csv`` as the sensors stage wrote it.

One row per row of ``detections.csv``, same order: ``fragment_id`` and the fragment's true TEME
state at that row's time (``x_teme_m`` .. ``vz_teme_mps``), taken from the ephemeris the sensors
simulated the measurement from. Nothing here is evaluated at other times: an estimate is scored at
its detection epochs, where the truth is known exactly, never by interpolating between rows.
Nothing the tracker or the catalog decides may read it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..errors import RunFolderError
from ..tables import Table

STATE_COLUMNS = ("x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")


def check_truth_rows(truth: Table, n_detections: int, name: str = "truth_states.csv") -> None:
    """Raise if ``truth`` (the file ``name``) does not hold one row per detection row (a run mixed
    from two sensor runs)."""
    missing = [c for c in ("fragment_id", *STATE_COLUMNS) if c not in truth]
    if missing:
        raise RunFolderError(f"{name}: columns {missing} missing; re-run the sensors stage")
    n = len(truth["fragment_id"])
    if n != n_detections:
        raise RunFolderError(f"{name} has {n} rows, detections.csv {n_detections}: "
                             "they come from different sensor runs; re-run the sensors stage")


def truth_at_rows(truth: Table, rows: NDArray) -> tuple[NDArray, NDArray]:
    """Fragment ids (k,) and true TEME states (6, k) at detection ``rows`` (0-based rows of detections.csv)."""
    rows = np.asarray(rows, dtype=np.int64)
    ids = np.asarray(truth["fragment_id"], dtype=np.int64)[rows]
    return ids, np.stack([np.asarray(truth[c], dtype=float)[rows] for c in STATE_COLUMNS])


def state_errors(truth: Table, rows: NDArray, estimated_teme: NDArray) -> tuple[NDArray, NDArray]:
    """Position (m) and velocity (m/s) error norms of estimated states (6, k) at detection ``rows``."""
    _, true = truth_at_rows(truth, rows)
    diff = np.asarray(estimated_teme, dtype=float) - true
    return np.linalg.norm(diff[:3], axis=0), np.linalg.norm(diff[3:], axis=0)
