"""Column tables: CSV round trips and atomic writes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from debriscope.tables import atomic_write, read_csv, write_csv


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
