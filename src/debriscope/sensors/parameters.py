"""``radars.json``: every sensor the sensors stage simulated, with the parameters later stages may use.

What the catalog centre of 1962 knew of its own sensors (site, transmitter power, gains, wavelength,
noise, losses; a fence's transmitters and receivers; a camera's albedo convention and limiting
magnitude), and nothing of the fragments. The document holds three lists, each a sensor's fields
as in the scenario (``[[sensors.radars]]``, ``[[sensors.fences]]``, ``[[sensors.cameras]]``), SI
with units in the names::

    {"radars": [...], "fences": [{..., "stations": [...]}], "cameras": [...]}

:func:`sensors_from_parameters` rebuilds the sensor objects (validated again), so a later stage
evaluates the same radar equations the simulation used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from .camera import Camera
from .fence import Fence, FenceStation
from .radar import Radar

Sensor = Radar | Fence | Camera


def sensor_parameters(sensors: Sequence[Sensor]) -> dict[str, list[dict[str, Any]]]:
    """The ``radars.json`` document of ``sensors`` (JSON-serialisable)."""
    return {
        "radars": [dataclasses.asdict(s) for s in sensors if isinstance(s, Radar)],
        "fences": [dataclasses.asdict(s) for s in sensors if isinstance(s, Fence)],
        "cameras": [dataclasses.asdict(s) for s in sensors if isinstance(s, Camera)],
    }


def sensors_from_parameters(document: Mapping[str, Any]) -> list[Sensor]:
    """The sensors of a ``radars.json`` document (a document with ``radars`` only gives radars)."""
    sensors: list[Sensor] = [Radar(**spec) for spec in document.get("radars", [])]
    for spec in document.get("fences", []):
        fields = dict(spec)
        fields["stations"] = tuple(FenceStation(**st) for st in spec["stations"])
        if fields.get("plane_pole_ecef") is not None:
            fields["plane_pole_ecef"] = tuple(fields["plane_pole_ecef"])
        sensors.append(Fence(**fields))
    sensors += [Camera(**spec) for spec in document.get("cameras", [])]
    return sensors
