"""truth_states.csv reader: the truth at detection rows, and the checks that it matches detections.csv."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.errors import RunFolderError
from debriscope.tracking.truth import STATE_COLUMNS, check_truth_rows, state_errors, truth_at_rows


def _truth(n: int = 5) -> dict:
    rng = np.random.default_rng(1)
    table = {"fragment_id": np.arange(10, 10 + n)}
    table |= {c: rng.normal(7e6 if c.endswith("_m") else 7e3, 1e3, n) for c in STATE_COLUMNS}
    return table


def test_truth_at_rows_and_errors():
    truth = _truth()
    ids, states = truth_at_rows(truth, np.array([3, 1]))
    assert ids.tolist() == [13, 11]
    assert states[:, 0].tolist() == [truth[c][3] for c in STATE_COLUMNS]
    estimate = states + np.array([3.0, 4.0, 0.0, 0.0, 0.0, 2.0])[:, None]
    pos, vel = state_errors(truth, np.array([3, 1]), estimate)
    assert np.allclose(pos, 5.0) and np.allclose(vel, 2.0)


def test_truth_rows_must_match_detections():
    truth = _truth(4)
    check_truth_rows(truth, 4)
    with pytest.raises(RunFolderError, match="truth_states.csv has 4 rows, detections.csv 5"):
        check_truth_rows(truth, 5)
    del truth["vz_teme_mps"]
    with pytest.raises(RunFolderError, match="vz_teme_mps"):
        check_truth_rows(truth, 4)
