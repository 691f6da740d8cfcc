"""Catalog maintenance over the whole observation window (SPADATS practice of 1962).

Parts (:mod:`.parts`, :mod:`.estimator`) are declared once and injected into the loop
(:func:`.loop.maintain`); observations of every sensor kind come from :mod:`.observations`.
"""

from .loop import MaintenanceParts, MaintenanceResult, ObjectStore, maintain
from .observations import Observations, Station, observations_from_table, stations_from_sensors

__all__ = [
    "MaintenanceParts",
    "MaintenanceResult",
    "ObjectStore",
    "Observations",
    "Station",
    "maintain",
    "observations_from_table",
    "stations_from_sensors",
]
