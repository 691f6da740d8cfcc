"""Per-stage options of a scenario: the ``[breakup]``, ``[propagation]``, ``[sensors]``,
``[tracking]``, ``[catalog]`` and ``[report]`` tables. Each is a frozen dataclass built by
:func:`debriscope.scenario.fields.build`; every field states its unit and meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import param


@dataclass(frozen=True)
class BreakupOptions:
    """``[breakup]``: NASA Standard Breakup Model options."""

    lc_min_m: float = param(0.05, doc="smallest characteristic length sampled, m", min=0.001)


@dataclass(frozen=True)
class PropagationOptions:
    """``[propagation]``: force model, atmosphere and outputs."""

    mode: str = param("fast", doc="'fast' (default) or 'reference' integration", choices=("fast", "reference"))


@dataclass(frozen=True)
class SensorOptions:
    """``[sensors]``: which radars observe the cloud, and for how long."""

    sites: tuple[str, ...] = param(("clear", "thule"), doc="shipped radar sites to simulate")


@dataclass(frozen=True)
class TrackingOptions:
    """``[tracking]``: association, orbit determination and discrimination."""


@dataclass(frozen=True)
class CatalogOptions:
    """``[catalog]``: what enters the catalog and what is exported."""


@dataclass(frozen=True)
class ReportOptions:
    """``[report]``: the HTML report."""
