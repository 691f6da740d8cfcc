"""Propagation to decay: EGM96 zonal gravity and drag in NRLMSIS, for whole fragment clouds.

Public API::

    model = make_force_model(t_start_tt_s, Nrlmsis("2.1", HistoricalIndices()), cd=2.2)
    eph = propagate(state0_teme, t0_tt_s, times_tt_s, am_m2_kg, model)   # Ephemeris
    res = predict_decay(state0_teme, t0_tt_s, am_m2_kg, model, max_days)  # DecayResult

Two modes share the physics: ``fast`` (Numba Runge-Kutta-Nystrom, NRLMSIS tabulated every 12 h) and ``reference``
(SciPy DOP853 at rtol 1e-10, NRLMSIS at every call). See ``docs/propagation.md``.
"""

from .atmosphere import (
    Atmosphere,
    ConstantIndices,
    DensityGrid,
    Exponential,
    HistoricalIndices,
    Nrlmsis,
)
from .batch import predict_decay, propagate
from .fast import limited_threads
from .forces import ForceModel, make_force_model
from .parameters import force_model_from_parameters
from .results import STATUS_TEXT, DecayResult, Ephemeris, Status

__all__ = [
    "Atmosphere",
    "ConstantIndices",
    "DecayResult",
    "DensityGrid",
    "Ephemeris",
    "Exponential",
    "ForceModel",
    "HistoricalIndices",
    "Nrlmsis",
    "STATUS_TEXT",
    "Status",
    "force_model_from_parameters",
    "limited_threads",
    "make_force_model",
    "predict_decay",
    "propagate",
]
