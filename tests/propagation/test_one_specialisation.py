"""Each kernel compiles for one signature whatever shapes the public entry points are given (issue 17:
a second specialisation is a second compile on a first run; a read-only broadcast view of one
column compiled ``fixed_step_states`` four times in a first flagship run)."""

from __future__ import annotations

import numpy as np
from numba.core.dispatcher import Dispatcher

from debriscope.propagation import Exponential, ForceModel, kernels, predict_decay, propagate
from debriscope.propagation.estimator_dynamics import (
    PASS_MODEL,
    acceleration,
    propagate_states,
    propagate_to_height,
)

from .conftest import common_case_state


def test_every_kernel_has_one_signature_after_calls_of_every_shape(t0_tt_s):
    state = common_case_state(n=3)
    am = np.array([0.01, 0.02, 0.05])
    model = ForceModel(atmosphere=Exponential(), t_ref_tt_s=t0_tt_s)
    propagate(state, t0_tt_s, t0_tt_s + np.arange(0.0, 1200.0, 600.0), am, model)
    propagate(state, t0_tt_s, [t0_tt_s + 60.0], am, PASS_MODEL)  # drag-free: the empty grid
    predict_decay(state, t0_tt_s, am, model, 0.5)
    predict_decay(state[:, :1], t0_tt_s, 0.01, model, 0.5)  # one object, a scalar A/m
    propagate(state[:, :1], t0_tt_s, [t0_tt_s + 600.0], 0.01, model)
    propagate_states(state, t0_tt_s, [t0_tt_s + 600.0, t0_tt_s - 600.0], am, model)
    propagate_states(state[:, 0], t0_tt_s, [t0_tt_s + 600.0], 0.01, model)  # one column, scalars
    propagate_states(state, t0_tt_s + np.array([0.0, 10.0, 20.0]), [t0_tt_s + 600.0], 0.0, PASS_MODEL)
    propagate_to_height(state[:, 0], t0_tt_s, 150e3, 60.0, PASS_MODEL)
    propagate_to_height(state, t0_tt_s, 150e3, 60.0, model, am_m2_kg=am)
    acceleration(state[:3, 0], t0_tt_s, PASS_MODEL)
    acceleration(state, t0_tt_s, model, am)
    several = {name: [str(s) for s in d.signatures] for name, d in vars(kernels).items()
               if isinstance(d, Dispatcher) and len(d.signatures) > 1}
    assert several == {}
