"""Scenario files are UTF-8 text: a byte-order mark is accepted, anything else is refused as
"not UTF-8 text" with exit 2 (issue 20)."""

from __future__ import annotations

from click.testing import CliRunner

from debriscope.cli import cli
from debriscope.scenario import load, to_toml


def test_a_byte_order_mark_is_accepted(tmp_path):
    text = to_toml(load("sputnik22"))
    (tmp_path / "bom.toml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load(tmp_path / "bom.toml") == load("sputnik22")
    assert CliRunner().invoke(cli, ["scenario", "check", str(tmp_path / "bom.toml")]).exit_code == 0


def test_latin1_and_binary_are_not_utf8_text(tmp_path):
    text = to_toml(load("sputnik22")).replace('site_name = "', 'site_name = "Ba\u00efkonour ')
    cases = {"latin1.toml": text.encode("latin-1", errors="replace"), "binary.toml": bytes(range(256)) * 4}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        result = CliRunner().invoke(cli, ["scenario", "check", str(tmp_path / name)])
        assert result.exit_code == 2
        assert result.output.startswith(f"Error: {tmp_path / name}: not UTF-8 text (byte 0x")
