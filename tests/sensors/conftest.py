"""Fixtures of the sensor tests.

The suite runs with ``--import-mode=importlib``, so this folder is put on ``sys.path`` for the
test modules to import their shared helpers (``sensors_helpers``, a unique module name).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sensors_helpers import EVENT_UTC  # noqa: E402

from debriscope.timescale import utc_to_tt_s  # noqa: E402


@pytest.fixture
def t_event() -> float:
    return float(utc_to_tt_s(EVENT_UTC))
