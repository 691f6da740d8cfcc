"""Column tables (``dict[str, numpy.ndarray]``) as CSV, and atomic file writes.

A table is an ordered mapping of column name -> 1-D array, all of one length. Column names carry
units (``mass_kg``, ``lifetime_days``). CSV output is deterministic: floats are written as ``repr``
writes them (the shortest digits that round-trip) unless a column format is given, so the same numbers
always give the same bytes, and a written table reads back to the same float64 values. The bytes are
those of :mod:`csv` writing one row at a time (``QUOTE_MINIMAL``, ``\n``), built a column at a time
(orjson for numbers, compiled loops to rewrite and interleave them) for speed.
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

import numba as nb
import numpy as np
import orjson
import pandas as pd
from numpy.typing import ArrayLike, NDArray

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


@nb.njit(cache=True)
def _four_zeros(src: NDArray, a: int) -> bool:  # pragma: no cover - compiled
    """Does ``src[a:]`` start with '0.0000'?"""
    return (src[a] == 48 and src[a + 1] == 46 and src[a + 2] == 48 and src[a + 3] == 48 and src[a + 4] == 48
            and src[a + 5] == 48)


@nb.njit(cache=True)
def _repr_cells(src: NDArray, special: NDArray) -> NDArray:  # pragma: no cover - compiled
    """orjson's comma-separated numbers (``src``, ASCII) rewritten as ``repr`` cells, each followed by ','.

    orjson writes the shortest round-trip digits (Ryu), the digits of ``repr``, in another exponent
    form: ``1e16`` (``1e+16`` from orjson 3.9 on) -> ``1e+16``, ``1e-7`` -> ``1e-07``, and between 1e-5 and 1e-4 it stays positional
    where ``repr`` does not: ``0.000015`` -> ``1.5e-05``. It writes ``null`` for the non-finite values,
    which ``special`` marks: 1 NaN (an empty cell), 2 ``inf``, 3 ``-inf``.
    """
    out = np.empty(src.size + src.size // 2 + 8, np.uint8)
    n, a, m, cell = 0, 0, src.size, 0
    while a < m:
        b = a
        e = -1
        while b < m and src[b] != 44:  # ','
            if src[b] == 101:  # 'e'
                e = b
            b += 1
        sign = 1 if src[a] == 45 else 0  # '-'
        if special[cell]:
            if special[cell] == 3:
                out[n] = 45
                n += 1
            if special[cell] > 1:
                out[n], out[n + 1], out[n + 2] = 105, 110, 102  # 'inf'
                n += 3
        elif e >= 0:
            for k in range(a, e + 1):
                out[n] = src[k]
                n += 1
            k = e + 1
            if src[k] == 45:
                out[n] = 45
                k += 1
            else:  # orjson < 3.9 writes 1e16, later versions 1e+16
                if src[k] == 43:
                    k += 1
                out[n] = 43  # '+'
            n += 1
            if b - k == 1:
                out[n] = 48  # '0'
                n += 1
            for j in range(k, b):
                out[n] = src[j]
                n += 1
        elif b - a - sign > 6 and _four_zeros(src, a + sign):  # '0.0000d...' -> 'd.ddde-05'
            if sign:
                out[n] = 45
                n += 1
            out[n] = src[a + sign + 6]
            n += 1
            if b - a - sign > 7:
                out[n] = 46  # '.'
                n += 1
                for j in range(a + sign + 7, b):
                    out[n] = src[j]
                    n += 1
            for c in (101, 45, 48, 53):  # 'e-05'
                out[n] = c
                n += 1
        else:
            for j in range(a, b):
                out[n] = src[j]
                n += 1
        out[n] = 44
        n += 1
        cell += 1
        a = b + 1
    return out[:n]


@nb.njit(cache=True)
def _interleave(data: NDArray, cursors: NDArray, n_rows: int) -> NDArray:  # pragma: no cover - compiled
    """CSV rows from column streams.

    ``data[cursors[j]:]`` holds column ``j``'s cells in row order, each followed by ','; a cell that
    starts with '"' is quoted as csv quotes ('""' inside). Row ``i`` is the ``i``-th cell of every
    column, joined by ',' and ended by a line feed; a row of one empty cell is written '""', as csv does.
    """
    n_cols = cursors.size
    lone = n_cols == 1
    out = np.empty(data.size + (2 * n_rows if lone else 0), np.uint8)
    cursor = cursors.copy()
    n = 0
    for _ in range(n_rows):
        for j in range(n_cols):
            p = cursor[j]
            if data[p] == 34:  # '"': copy through the closing quote
                out[n] = 34
                n += 1
                p += 1
                while True:
                    if data[p] == 34 and data[p + 1] != 34:
                        break
                    if data[p] == 34:
                        out[n] = 34
                        n += 1
                        p += 1
                    out[n] = data[p]
                    n += 1
                    p += 1
            elif lone and data[p] == 44:
                out[n], out[n + 1] = 34, 34
                n += 2
            while data[p] != 44:
                out[n] = data[p]
                n += 1
                p += 1
            out[n] = 44 if j < n_cols - 1 else 10
            n += 1
            cursor[j] = p + 1
    return out[:n]


def _csv_quoted(text: str) -> str:
    """``text`` as the csv module writes one field of a row (QUOTE_MINIMAL, the module's own rule)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([text, ""])  # two fields: never the lone-empty-field case
    return buf.getvalue()[:-2]


def _text_cells(cells: ArrayLike) -> NDArray:
    """Cells of text quoted as csv does, each followed by ','; each distinct value is quoted once."""
    codes, distinct = pd.factorize(np.asarray(cells, dtype=object), use_na_sentinel=False)
    encoded = np.array([_csv_quoted(str(v)).encode("utf-8") + b"," for v in distinct] or [b""], dtype=object)
    return np.frombuffer(b"".join(encoded[codes].tolist()), np.uint8)


def _float_cells(values: NDArray) -> NDArray:
    """``repr(float(x))`` of every value (NaN an empty cell), each followed by ','."""
    values = np.ascontiguousarray(values, dtype=np.float64)
    special = np.where(np.isnan(values), 1, np.where(values == np.inf, 2, np.where(values == -np.inf, 3, 0)))
    text = orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY)
    return _repr_cells(np.frombuffer(text, np.uint8)[1:-1], special.astype(np.int8))


def _column_cells(col: NDArray, fmt: str | None) -> NDArray:
    """One column's CSV cells, each followed by ',': floats ``repr`` (shortest round-trip) or
    ``fmt % x``, NaN empty; integers in decimal; booleans ``true``/``false``; anything else ``str``,
    quoted where csv quotes.

    Numbers and booleans go through orjson a whole column at a time (its integers and ``true``/``false``
    are those of ``str``), text through one quoting per distinct value.
    """
    kind = col.dtype.kind
    if kind == "f" and fmt is None:
        return _float_cells(col)
    if kind == "f":
        return _text_cells(["" if np.isnan(x) else fmt % x for x in col])
    if kind in "iub":
        native = np.ascontiguousarray(col, dtype=col.dtype.newbyteorder("="))
        text = orjson.dumps(native, option=orjson.OPT_SERIALIZE_NUMPY)
        return np.frombuffer(text[1:-1] + b"," if col.size else b"", np.uint8)
    return _text_cells(col if kind == "U" else [str(x) for x in col])


def _csv_header_and_rows(table: Mapping[str, NDArray], formats: Mapping[str, str] | None) -> tuple[bytes, NDArray]:
    """The header line and the rows (``uint8`` array) of :func:`table_to_csv_bytes`."""
    formats = formats or {}
    n = check_table(table)
    names = [_csv_quoted(str(k)) for k in table]
    header = (",".join(['""'] if names == [""] else names) + "\n").encode("utf-8")
    if not n:
        return header, np.zeros(0, np.uint8)
    columns = [_column_cells(np.atleast_1d(c), formats.get(k)) for k, c in table.items()]
    cursors = np.cumsum([0] + [c.size for c in columns[:-1]])
    return header, _interleave(np.concatenate(columns), cursors, n)


def table_to_csv_bytes(table: Mapping[str, NDArray], formats: Mapping[str, str] | None = None) -> bytes:
    """A table as UTF-8 CSV: a header line, then one row per entry, byte for byte as :mod:`csv`
    (``QUOTE_MINIMAL``, ``\n`` line ends) writes the cells of :func:`_column_cells`.

    Cells are made a column at a time and interleaved into rows by a compiled loop.
    """
    header, rows = _csv_header_and_rows(table, formats)
    return header + rows.tobytes()


def table_to_csv_text(table: Mapping[str, NDArray], formats: Mapping[str, str] | None = None) -> str:
    """A table as CSV text (:func:`table_to_csv_bytes`, decoded)."""
    return table_to_csv_bytes(table, formats).decode("utf-8")


def write_csv(
    path: str | os.PathLike, table: Mapping[str, NDArray], formats: Mapping[str, str] | None = None
) -> Path:
    """Write a table to CSV atomically; returns the path."""
    header, rows = _csv_header_and_rows(table, formats)
    with atomic_write(path, "wb") as handle:
        handle.write(header)
        handle.write(memoryview(rows))
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
