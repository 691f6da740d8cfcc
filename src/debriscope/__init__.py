"""debriscope: reconstruct and analyse on-orbit breakups end to end.

scenario -> breakup -> propagation -> sensors -> tracking -> catalog -> report.

The names below are the public API; each is imported on first use, so ``import debriscope`` stays
cheap (no Numba, matplotlib or NRLMSIS until a stage needs them)::

    >>> import debriscope
    >>> scenario = debriscope.load_scenario("sputnik22")
    >>> scenario.launch.time_utc
    '1962-10-24T17:55:04Z'
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_API: dict[str, str] = {
    # scenario and pipeline
    "load_scenario": "debriscope.scenario:load",
    "Scenario": "debriscope.scenario:Scenario",
    "event_geometry": "debriscope.scenario:event_geometry",
    "run": "debriscope.pipeline:run",
    "rerun_stage": "debriscope.pipeline:rerun_stage",
    # time, frames, elements
    "utc_to_tt_s": "debriscope.timescale:utc_to_tt_s",
    "tt_s_to_utc_iso": "debriscope.timescale:tt_s_to_utc_iso",
    "teme_to_itrf": "debriscope.frames:teme_to_itrf",
    "teme_to_gcrf": "debriscope.frames:teme_to_gcrf",
    "geodetic_to_ecef": "debriscope.frames:geodetic_to_ecef",
    "ecef_to_geodetic": "debriscope.frames:ecef_to_geodetic",
    "rv_to_elements": "debriscope.elements:rv_to_elements",
    "elements_to_rv": "debriscope.elements:elements_to_rv",
    # breakup
    "Parent": "debriscope.breakup:Parent",
    "explosion": "debriscope.breakup:explosion",
    "collision": "debriscope.breakup:collision",
    # propagation
    "ForceModel": "debriscope.propagation:ForceModel",
    "make_force_model": "debriscope.propagation:make_force_model",
    "propagate": "debriscope.propagation:propagate",
    "predict_decay": "debriscope.propagation:predict_decay",
    "Status": "debriscope.propagation:Status",
    # sensors
    "Radar": "debriscope.sensors:Radar",
    "shipped_sites": "debriscope.sensors:shipped_sites",
    "rcs_from_size_m2": "debriscope.sensors:rcs_from_size_m2",
    "simulate_detections": "debriscope.sensors:simulate_detections",
    # tracking
    "gibbs": "debriscope.tracking:gibbs",
    "herrick_gibbs": "debriscope.tracking:herrick_gibbs",
    "fit_orbit": "debriscope.tracking:fit_orbit",
    "classify": "debriscope.tracking:classify",
    "ballistic_trajectory": "debriscope.tracking:ballistic_trajectory",
    # catalog and report
    "fit_sgp4": "debriscope.catalog:fit_sgp4",
    "build_report": "debriscope.report:build_report",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    try:
        module, attr = _API[name].split(":")
    except KeyError:
        raise AttributeError(f"module 'debriscope' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
