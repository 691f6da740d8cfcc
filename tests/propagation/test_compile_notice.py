"""The log line announcing that the kernels are being compiled (cold Numba cache), once per process."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from debriscope.propagation import fast, kernels
from debriscope.tables import write_csv


def test_notice_once_for_a_kernel_compile_and_never_for_other_modules(caplog, monkeypatch):
    monkeypatch.setattr(fast._CompileNotice, "announced", False)
    notice = fast._CompileNotice()
    with caplog.at_level(logging.INFO, logger="debriscope.propagation.fast"):
        notice.on_start(SimpleNamespace(data={"dispatcher": SimpleNamespace(py_func=write_csv)}))
        assert caplog.messages == []
        for _ in range(2):
            notice.on_start(SimpleNamespace(data={"dispatcher": kernels.averaged_advance}))
    assert caplog.messages == ["compiling propagation kernels (first run only)..."]
