"""Column tables (``dict[str, numpy.ndarray]``) as CSV, and atomic file writes.

A table is an ordered mapping of column name -> 1-D array, all of one length. Column names carry
units (``mass_kg``, ``lifetime_days``). CSV output is deterministic: floats are written with
``repr``-exact 17 significant digits unless a column format is given, so the same numbers always
give the same bytes, and a written table reads back to the same float64 values.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

import numpy as np
from numpy.typing import NDArray

from .errors import InputFileError

Table = dict[str, NDArray]


def umask_mode(directory: bool = False) -> int:
    """The permission bits a new file (``0o666``) or folder (``0o777``) gets under the process umask.

    ``tempfile.mkstemp``/``mkdtemp`` create private ``0o600``/``0o700`` entries; a file or folder
    they stage for the user is given these bits, as ``open``/``mkdir`` would.
    """
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", **kwargs) -> Iterator[IO]:
    """Write ``path`` through a temporary file in the same folder, replaced only on success.

    A failure inside the ``with`` block leaves any previous file untouched. The file gets the
    permissions the user's umask gives a new file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, umask_mode())
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def check_table(table: Mapping[str, NDArray]) -> int:
    """Return the common length of a table's columns; raise if they differ."""
    lengths = {name: len(np.atleast_1d(col)) for name, col in table.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"table columns differ in length: {lengths}")
    return next(iter(lengths.values()), 0)


def _format_column(col: NDArray, fmt: str | None) -> list[str]:
    col = np.asarray(col)
    if col.dtype.kind == "f":
        if fmt is not None:
            return [("" if np.isnan(x) else fmt % x) for x in col]
        return ["" if np.isnan(x) else repr(float(x)) for x in col]
    if col.dtype.kind in "iu":
        return [str(int(x)) for x in col]
    if col.dtype.kind == "b":
        return ["true" if x else "false" for x in col]
    return [str(x) for x in col]


def table_to_csv_text(table: Mapping[str, NDArray], formats: Mapping[str, str] | None = None) -> str:
    """Render a table as CSV text (header line, then one row per entry)."""
    formats = formats or {}
    n = check_table(table)
    cols = [_format_column(np.atleast_1d(c), formats.get(k)) for k, c in table.items()]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(table))
    for i in range(n):
        writer.writerow([c[i] for c in cols])
    return buf.getvalue()


def write_csv(
    path: str | os.PathLike, table: Mapping[str, NDArray], formats: Mapping[str, str] | None = None
) -> Path:
    """Write a table to CSV atomically; returns the path."""
    text = table_to_csv_text(table, formats)
    with atomic_write(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return Path(path)


def _parse_column(values: list[str]) -> NDArray:
    if values and all(v in ("true", "false") for v in values):
        return np.array([v == "true" for v in values])
    try:
        return np.array([int(v) for v in values], dtype=np.int64)
    except ValueError:
        pass
    try:
        return np.array([float(v) if v != "" else np.nan for v in values], dtype=float)
    except ValueError:
        return np.array(values, dtype=object).astype(str)


def read_text(path: str | os.PathLike) -> str:
    """A UTF-8 text file's contents (a leading byte-order mark is dropped); anything else (Latin-1,
    binary) is an :class:`~debriscope.errors.InputFileError` saying it is not UTF-8 text."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None


def read_csv(path: str | os.PathLike) -> Table:
    """Read a CSV written by :func:`write_csv` (or any CSV with a header) into a table.

    Columns of integers become int64, of numbers float64 (empty cells NaN), of ``true``/``false``
    bool, anything else str.
    """
    rows = list(csv.reader(io.StringIO(read_text(path), newline="")))
    if not rows:
        raise InputFileError(path, "empty CSV, expected a header line")
    header, body = rows[0], rows[1:]
    for k, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise InputFileError(path, f"line {k} has {len(row)} fields, the header has {len(header)}")
    return {name: _parse_column([row[j] for row in body]) for j, name in enumerate(header)}


def select(table: Mapping[str, NDArray], mask_or_index: NDArray) -> Table:
    """Rows of a table by boolean mask or integer index."""
    return {k: np.asarray(v)[mask_or_index] for k, v in table.items()}
