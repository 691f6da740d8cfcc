"""Click parameter types shared by the subcommands: numbers that must be finite."""

from __future__ import annotations

import math
from typing import Any

import click


class FiniteFloat(click.FloatRange):
    """A float option that refuses ``inf`` and ``nan`` (click's ``FloatRange`` accepts both), with
    optional bounds; the refusal names the option: ``Invalid value for '--cd': 'inf' is not a
    finite number.``"""

    name = "finite float"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        number = click.types.FloatParamType.convert(self, value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return super().convert(number, param, ctx)


FINITE = FiniteFloat()
"""Any finite number."""
POSITIVE = FiniteFloat(min=0.0, min_open=True)
"""A finite number > 0."""
NON_NEGATIVE = FiniteFloat(min=0.0)
"""A finite number >= 0."""
