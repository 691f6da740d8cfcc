"""Writing and reading the fragment table: CSV (default) or Parquet (large clouds).

CSV goes through :func:`debriscope.tables.write_csv` (deterministic bytes); Parquet through
``pyarrow``, imported only when used (it is slow to import). :func:`read_fragments` reads either.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..tables import Table, atomic_write, read_csv, write_csv

FORMATS = ("csv", "parquet")


def write_fragments(path: str | os.PathLike, table: Table, output_format: str = "csv") -> Path:
    """Write a fragment table atomically as CSV or Parquet; returns the path."""
    if output_format == "csv":
        return write_csv(path, table)
    if output_format != "parquet":
        raise ValueError(f"output_format = {output_format!r}: allowed: 'csv', 'parquet'")
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.table({k: np.asarray(v) for k, v in table.items()})
    with atomic_write(path, "wb") as handle:
        pq.write_table(arrow, handle)
    return Path(path)


def read_fragments(path: str | os.PathLike) -> Table:
    """Read a fragment table from a ``.csv`` or ``.parquet`` file."""
    path = Path(path)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        arrow = pq.read_table(path)
        return {name: _column(arrow.column(name).to_numpy()) for name in arrow.column_names}
    return read_csv(path)


def _column(values: np.ndarray) -> np.ndarray:
    return values.astype(str) if values.dtype == object else values
