"""The drivers on several threads (``fast.on_threads``): each object is advanced by one thread, so the
results are the same bytes whatever the number of threads."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from debriscope.propagation import Exponential, ForceModel, Status, limited_threads, predict_decay, propagate

from .conftest import common_case_state

pytestmark = pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs two Numba threads")


def _cloud(n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """``n`` fragments of the 180 x 485 km orbit: 30 m/s velocity spread, A/m 0.003-0.3 m^2/kg."""
    rng = np.random.default_rng(3)
    state = common_case_state(n=n)
    state[3:] += rng.normal(0.0, 30.0, (3, n))
    return state, 10 ** rng.uniform(-2.5, -0.5, n)


def _outputs(t0_tt_s: float) -> bytes:
    state, am = _cloud()
    parts = []
    for averaged in (True, False):
        model = ForceModel(atmosphere=Exponential(), t_ref_tt_s=t0_tt_s, averaged=averaged)
        result = predict_decay(state, t0_tt_s, am, model, 10.0)
        parts += [result.decay_tt_s.tobytes(), np.asarray(result.status).tobytes()]
    model = ForceModel(atmosphere=Exponential(), t_ref_tt_s=t0_tt_s)
    # dense output over several density spans (one compiled call per span on one thread), through decays
    dense = propagate(state, t0_tt_s, t0_tt_s + np.arange(0.0, 2.5 * 86400.0, 600.0), am, model)
    parts += [dense.states.tobytes(), np.asarray(dense.status).tobytes()]
    return b"".join(parts)


def test_one_thread_and_several_give_the_same_bytes(t0_tt_s):
    several = _outputs(t0_tt_s)
    with limited_threads(1):
        one = _outputs(t0_tt_s)
    assert several == one
    state, am = _cloud()
    model = ForceModel(atmosphere=Exponential(), t_ref_tt_s=t0_tt_s)
    assert np.sum(predict_decay(state, t0_tt_s, am, model, 10.0).status == Status.DECAYED) > 10  # decays in it
    assert np.sum(propagate(state, t0_tt_s, t0_tt_s + np.array([0.0, 2.5 * 86400.0]), am, model).status
                  == Status.DECAYED) > 3  # and in the dense output
