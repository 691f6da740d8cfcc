"""Force models rebuilt from their plain-data records (``models.json``, :mod:`debriscope.scenario.models`).

A record holds the :class:`ForceModel` fields by name (SI) and its atmosphere as
``{"model": "exponential"}`` (Vallado 2013 table 8-4), ``{"model": "nrlmsis", "version": ...,
"indices": "historical" | "constant", "f107_sfu": ..., "ap": ..., "storm_time": ...}`` or None
(no drag). Fields a record leaves out take :func:`make_force_model`'s defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .atmosphere import Atmosphere, ConstantIndices, Exponential, HistoricalIndices, Nrlmsis
from .forces import ForceModel, make_force_model

_FIELDS = ("zonal_degree", "drag", "cd", "mode", "step_s", "decay_step_s", "averaged", "decay_altitude_m")


def atmosphere_from_parameters(params: Mapping[str, Any] | None) -> Atmosphere | None:
    """The atmosphere a record names (None: none)."""
    if params is None:
        return None
    model = params.get("model")
    if model == "exponential":
        return Exponential()
    if model != "nrlmsis":
        raise ValueError(f"atmosphere model {model!r}: allowed 'nrlmsis', 'exponential'")
    indices = params.get("indices", "historical")
    if indices == "constant":
        source: Any = ConstantIndices(float(params["f107_sfu"]), float(params["ap"]))
    elif indices == "historical":
        source = HistoricalIndices()
    else:
        raise ValueError(f"atmosphere indices {indices!r}: allowed 'historical', 'constant'")
    return Nrlmsis(str(params.get("version", "2.1")), source, storm_time=bool(params.get("storm_time", False)))


def atmosphere_label(params: Mapping[str, Any] | None) -> str:
    """A short name of a recorded atmosphere: 'NRLMSIS 2.1', 'exponential' or 'none'."""
    if params is None:
        return "none"
    return f"NRLMSIS {params['version']}" if params["model"] == "nrlmsis" else str(params["model"])


def force_model_from_parameters(params: Mapping[str, Any], t_start_tt_s: float) -> ForceModel:
    """The force model a record describes, with the Earth rotation anchored at ``t_start_tt_s``."""
    return make_force_model(t_start_tt_s, atmosphere_from_parameters(params.get("atmosphere")),
                            **{k: params[k] for k in _FIELDS if k in params})
