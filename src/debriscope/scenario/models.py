"""The run's force models resolved once from the scenario, as plain data (``models.json``).

Two models are chosen by the configuration: the *truth* (``[propagation]``: gravity, drag, the
atmosphere and where its space-weather indices come from), which moves the fragments in the
propagation and sensors stages, and the *orbit estimator's* own (``[tracking] estimator_*``), with
which tracking and the catalog fit and predict. :func:`models_record` resolves both here, once; the
scenario stage writes the result to ``models.json`` and every later stage rebuilds its model from
that file (:func:`debriscope.propagation.parameters.force_model_from_parameters`), so no stage
reads these options again. The space-weather coverage of the whole propagated span is checked once,
when the scenario is loaded (:func:`debriscope.scenario.load.propagation_span_days`).

Record of a force model (SI; the names of :class:`debriscope.propagation.ForceModel`)::

    {"atmosphere": {"model": "nrlmsis", "version": "2.1", "indices": "historical",
                    "f107_sfu": null, "ap": null, "storm_time": false}
                   or {"model": "exponential"} or null (no drag),
     "zonal_degree": 4, "drag": true, "cd": 2.2, "mode": "fast", "step_s": 30.0, ...}
"""

from __future__ import annotations

from typing import Any

from .options import PropagationOptions, TrackingOptions
from .schema import Scenario


def truth_parameters(options: PropagationOptions) -> dict[str, Any]:
    """The force model a ``[propagation]`` section describes, as a record."""
    if not options.drag:
        atmosphere = None
    elif options.atmosphere == "exponential":
        atmosphere = {"model": "exponential"}
    else:
        constant = options.f107_sfu is not None and options.ap is not None
        atmosphere = {"model": "nrlmsis", "version": options.msis_version,
                      "indices": "constant" if constant else "historical",
                      "f107_sfu": options.f107_sfu if constant else None, "ap": options.ap if constant else None,
                      "storm_time": options.ap_mode == "storm_time"}
    return {"atmosphere": atmosphere, "zonal_degree": options.zonal_degree, "drag": options.drag,
            "cd": options.cd, "mode": options.mode, "step_s": options.step_s,
            "decay_step_s": options.decay_step_s, "averaged": options.averaged,
            "decay_altitude_m": options.decay_altitude_km * 1e3}


def estimator_parameters(options: TrackingOptions) -> dict[str, Any]:
    """The orbit estimator's own force model (``[tracking] estimator_*``), as a record: J2-J4 and
    drag with its own drag coefficient, step and atmosphere (the static exponential model, or
    NRLMSIS 2.1 at constant indices), not the truth's historical NRLMSIS."""
    if options.estimator_atmosphere == "exponential":
        atmosphere: dict[str, Any] = {"model": "exponential"}
    else:
        atmosphere = {"model": "nrlmsis", "version": "2.1", "indices": "constant",
                      "f107_sfu": options.estimator_f107_sfu, "ap": options.estimator_ap, "storm_time": False}
    return {"atmosphere": atmosphere, "zonal_degree": 4, "drag": True, "cd": options.estimator_cd,
            "step_s": options.estimator_step_s}


def models_record(scenario: Scenario) -> dict[str, Any]:
    """The content of ``models.json``: ``truth`` and ``estimator`` force models."""
    return {"truth": truth_parameters(scenario.propagation), "estimator": estimator_parameters(scenario.tracking)}
