"""The flagship's mission plan, computed once for the mission tests."""

from __future__ import annotations

import pytest

from debriscope.mission import mission_plan
from debriscope.scenario import load


@pytest.fixture(scope="session")
def flagship_plan():
    return mission_plan(load("sputnik22"))
