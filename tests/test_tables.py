"""Column tables: CSV round trips and atomic writes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.tables import atomic_write, read_csv, write_csv


@settings(deadline=None)  # the first write loads the writer's compiled loops
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=1, max_size=20))
def test_float_round_trip_exact(values):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        table = {"id": np.arange(len(values)), "x_m": np.array(values), "name": np.array(["a,b"] * len(values))}
        write_csv(path, table)
        back = read_csv(path)
    assert np.array_equal(back["x_m"], table["x_m"])
    assert back["id"].dtype == np.int64
    assert list(back["name"]) == ["a,b"] * len(values)


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    path = tmp_path / "out.csv"
    write_csv(path, {"a": np.array([1, 2])})
    before = path.read_bytes()
    with pytest.raises(RuntimeError), atomic_write(path) as handle:
        handle.write("partial")
        raise RuntimeError("killed")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_mismatched_columns(tmp_path):
    with pytest.raises(ValueError, match="differ in length"):
        write_csv(tmp_path / "x.csv", {"a": np.arange(2), "b": np.arange(3)})


# --- the vectorised writer against the per-cell csv.writer loop it replaced (issue 18) ---------------

def _reference_csv_text(table, formats=None):
    """The writer before issue 18, kept verbatim as the oracle: one csv.writer row per entry."""
    import csv
    import io

    def column(col, fmt):
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

    formats = formats or {}
    lengths = {len(np.atleast_1d(c)) for c in table.values()}
    n = next(iter(lengths), 0)
    cols = [column(np.atleast_1d(c), formats.get(k)) for k, c in table.items()]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(table))
    for i in range(n):
        writer.writerow([c[i] for c in cols])
    return buf.getvalue()


EDGE_FLOATS = np.array([0.0, -0.0, np.nan, np.inf, -np.inf, 1e-300, 5e-324, 1.7976931348623157e308, 1e16, 1e15,
                        123456789012345678.0, 0.011021757657711549, 0.0100001, 0.00100005, 1.00001e-5, -3.0000012e-5, 0.1, 1 / 3, -2.5e-5, 1e-4, 2.0**53 + 2])
EDGE_STRINGS = np.array(["", "plain", "a,b", 'say "hi"', "line\nbreak", "cr\rhere", " space ", "naïve", "'"])


@pytest.mark.parametrize("table", [
    {},
    {"a": np.array([])},
    {"x_m": np.array([]), "name": np.array([], dtype=str)},
    {"x_m": EDGE_FLOATS},
    {"only_nan": np.array([np.nan, 1.0, np.nan])},
    {"s": EDGE_STRINGS},
    {"": np.array([1, 2])},
    {"a,b": np.array([1]), 'q"': np.array([2])},
    {"x_m": EDGE_FLOATS, "i": np.arange(EDGE_FLOATS.size) * 10**17, "u": np.arange(EDGE_FLOATS.size, dtype=np.uint64),
     "b": np.arange(EDGE_FLOATS.size) % 3 == 0, "f32": np.clip(EDGE_FLOATS, -1e30, 1e30).astype(np.float32),
     "s": np.resize(EDGE_STRINGS, EDGE_FLOATS.size), "o": np.resize(np.array([None, 1.5, "x,y", "z"], dtype=object), EDGE_FLOATS.size),
     "big": np.resize(np.array([2**62, -(2**63)], dtype=np.int64), EDGE_FLOATS.size)},
    {"scalar": np.float64(2.5)},
])
def test_writer_bytes_equal_the_reference(table):
    from debriscope.tables import table_to_csv_text

    assert table_to_csv_text(table) == _reference_csv_text(table)


def test_writer_formats_equal_the_reference():
    from debriscope.tables import table_to_csv_text

    table = {"x": EDGE_FLOATS, "y": EDGE_FLOATS[::-1]}
    formats = {"x": "%.3f", "y": "%s,"}  # a format whose output needs quoting
    assert table_to_csv_text(table, formats) == _reference_csv_text(table, formats)


@settings(deadline=None)
@given(st.lists(st.tuples(st.floats(width=64), st.integers(-(2**63), 2**63 - 1), st.booleans(), st.text()),
                max_size=30),
       st.integers(1, 4))
def test_writer_bytes_equal_the_reference_random(rows, n_cols):
    from debriscope.tables import table_to_csv_text

    f, i, b, s = (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [], [])
    full = {"f_m": np.array(f, dtype=float), "i": np.array(i, dtype=np.int64), "b": np.array(b, dtype=bool),
            "s": np.array(s, dtype=str)}
    table = dict(list(full.items())[:n_cols])
    assert table_to_csv_text(table) == _reference_csv_text(table)
def test_written_files_follow_the_umask(tmp_path):
    import os
    import stat

    previous = os.umask(0o027)
    try:
        write_csv(tmp_path / "t.csv", {"a": np.arange(3)})
        with atomic_write(tmp_path / "u.txt") as handle:
            handle.write("x")
    finally:
        os.umask(previous)
    for name in ("t.csv", "u.txt"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o640


def test_text_is_utf8_with_an_optional_byte_order_mark(tmp_path):
    from debriscope.errors import InputFileError
    from debriscope.tables import read_text

    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbfa,b\n1,2\n")
    assert read_csv(tmp_path / "bom.csv") == {"a": np.array([1]), "b": np.array([2])}
    (tmp_path / "latin1.csv").write_bytes("a\nThul\xe9\n".encode("latin-1"))
    with pytest.raises(InputFileError, match=r"latin1.csv: not UTF-8 text \(byte 0xe9 at offset 6\)"):
        read_text(tmp_path / "latin1.csv")
