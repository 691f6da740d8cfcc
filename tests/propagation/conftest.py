"""Shared set-up: the issue's common case (180 x 485 km, 64.9 deg, perigee on the equator)."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.timescale import utc_to_tt_s

T0_TT_S = float(utc_to_tt_s("1962-10-24T19:00:00Z"))


def common_case_state(perigee_km: float = 180.0, apogee_km: float = 485.0, n: int = 1) -> np.ndarray:
    """(6, n) TEME state at perigee over the ascending node, 64.9 deg inclination."""
    a, e = apsides_to_a_e(perigee_km * 1e3, apogee_km * 1e3)
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.0, 0.0, 0.0)
    return np.repeat(np.vstack([r, v]), n, axis=1)


@pytest.fixture
def t0_tt_s() -> float:
    return T0_TT_S


@pytest.fixture
def state0() -> np.ndarray:
    return common_case_state()
