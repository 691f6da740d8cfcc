"""models.json: the run's force models resolved once from the scenario and rebuilt by every stage."""

from __future__ import annotations

import json

import numpy as np
import pytest

from debriscope.frames import gmst82_rad
from debriscope.propagation import (
    ConstantIndices,
    Exponential,
    ForceModel,
    HistoricalIndices,
    Nrlmsis,
    force_model_from_parameters,
)
from debriscope.scenario.fields import build
from debriscope.scenario.models import estimator_parameters, models_record, truth_parameters
from debriscope.scenario.options import PropagationOptions, TrackingOptions
from debriscope.timescale import utc_to_tt_s

T0 = float(utc_to_tt_s("1962-10-24T18:56:11Z"))


def _rebuilt(record: dict) -> ForceModel:
    """Through JSON, as a later stage reads it."""
    return force_model_from_parameters(json.loads(json.dumps(record)), T0)


@pytest.mark.parametrize(("table", "atmosphere"), [
    ({}, Nrlmsis("2.1", HistoricalIndices())),
    ({"msis_version": "00", "ap_mode": "storm_time"}, Nrlmsis("00", HistoricalIndices(), storm_time=True)),
    ({"f107_sfu": 150.0, "ap": 12.0}, Nrlmsis("2.1", ConstantIndices(150.0, 12.0))),
    ({"atmosphere": "exponential"}, Exponential()),
    ({"drag": False}, None),
])
def test_truth_atmosphere_as_the_options_name_it(table, atmosphere):
    model = _rebuilt(truth_parameters(build(PropagationOptions, table, "propagation")))
    assert model.atmosphere == atmosphere


def test_truth_model_carries_every_option():
    options = build(PropagationOptions, {"zonal_degree": 2, "cd": 2.5, "mode": "reference", "step_s": 20.0,
                                         "decay_step_s": 45.0, "averaged": False, "decay_altitude_km": 90.0},
                    "propagation")
    model = _rebuilt(truth_parameters(options))
    assert (model.zonal_degree, model.cd, model.mode, model.step_s, model.decay_step_s, model.averaged) == (
        2, 2.5, "reference", 20.0, 45.0, False)
    assert model.decay_altitude_m == 90e3 and model.drag
    # the Earth rotation is anchored at the start given, by GMST82 (the stage's epoch)
    assert model.t_ref_tt_s == T0 and model.gmst_ref_rad == float(np.ravel(gmst82_rad(T0))[0])


def test_estimator_has_its_own_atmosphere_drag_coefficient_and_step():
    """The estimator's model is not the truth's: exponential by default, NRLMSIS 2.1 at the
    estimator's constant indices on request; its Cd and step from [tracking]."""
    default = _rebuilt(estimator_parameters(TrackingOptions()))
    assert default.atmosphere == Exponential() and default.zonal_degree == 4 and default.drag
    mean = build(TrackingOptions, {"estimator_atmosphere": "nrlmsis-mean", "estimator_f107_sfu": 120.0,
                                   "estimator_ap": 9.0, "estimator_cd": 2.0, "estimator_step_s": 20.0}, "tracking")
    model = _rebuilt(estimator_parameters(mean))
    assert model.atmosphere == Nrlmsis("2.1", ConstantIndices(120.0, 9.0))
    assert (model.cd, model.step_s) == (2.0, 20.0)


def test_flagship_record():
    from debriscope.scenario.load import load

    record = models_record(load("sputnik22"))
    assert record["truth"]["atmosphere"] == {"model": "nrlmsis", "version": "2.1", "indices": "historical",
                                             "f107_sfu": None, "ap": None, "storm_time": False}
    assert record["estimator"]["atmosphere"] == {"model": "exponential"}


def test_unknown_atmosphere_is_refused():
    with pytest.raises(ValueError, match="allowed 'nrlmsis', 'exponential'"):
        force_model_from_parameters({"atmosphere": {"model": "jacchia"}}, T0)
