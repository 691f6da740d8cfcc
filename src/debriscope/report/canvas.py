"""Shared plumbing of the report's figures: a new matplotlib ``Figure`` (object API, Agg, never
pyplot), PNG bytes, and the exception a figure raises when its inputs are missing.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from numpy.typing import NDArray

CATALOGUED_COLOR = "tab:orange"
ALL_COLOR = "tab:blue"
RECORD_COLOR = "tab:green"
PARENT_COLOR = "black"
SITE_COLORS = ("tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:olive", "tab:cyan")


class MissingInput(Exception):
    """A figure cannot be drawn from this run folder; the message says why (shown in the report)."""


def new_figure(width_in: float, height_in: float) -> Figure:
    """A figure on an Agg canvas with constrained layout."""
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def date_axis(ax: Axes) -> None:
    """Calendar dates on the x axis, labelled concisely (no overlapping labels)."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def png_bytes(fig: Figure, dpi: int) -> bytes:
    """The figure as PNG bytes (no timestamp metadata, so the same figure gives the same bytes)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def require(table: Mapping[str, NDArray] | None, file_name: str, columns: Iterable[str]) -> Mapping[str, NDArray]:
    """The table if it exists and has the columns; otherwise :class:`MissingInput` saying what is missing."""
    if table is None:
        raise MissingInput(f"{file_name} is missing: the stage that writes it has not run")
    missing = [c for c in columns if c not in table]
    if missing:
        raise MissingInput(f"{file_name} lacks the column(s) {', '.join(missing)}")
    if len(next(iter(table.values()), [])) == 0:
        raise MissingInput(f"{file_name} has no rows")
    return table
