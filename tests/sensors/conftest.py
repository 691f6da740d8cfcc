"""Fixtures of the sensor tests."""

from __future__ import annotations

import pytest
from sensors_helpers import EVENT_UTC

from debriscope.timescale import utc_to_tt_s


@pytest.fixture
def t_event() -> float:
    return float(utc_to_tt_s(EVENT_UTC))
