"""One self-contained HTML file: inline CSS, figures as base64 PNG ``data:`` URIs, no script, no
external reference of any kind, so it opens offline and can be mailed as one file.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

CSS = """
body { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif;
       margin: 0 auto; max-width: 1120px; padding: 1.2em 1.6em 3em; color: #1b1f23; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.1em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2em; margin-top: 1.8em; }
p.sub { color: #57606a; margin-top: 0; }
nav { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 0.5em 1em; }
nav a { margin-right: 1.1em; color: #0969da; text-decoration: none; white-space: nowrap; }
figure { margin: 0.8em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #d0d7de; border-radius: 4px; }
figcaption { color: #57606a; font-size: 0.9em; margin-top: 0.3em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { border: 1px solid #d0d7de; padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.missing { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 0.6em 1em; }
footer { margin-top: 3em; color: #57606a; font-size: 0.85em; }
"""


@dataclass(frozen=True)
class Table:
    """A table of text cells (already formatted)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    """One section of the report: a title, text, at most one figure, tables, or a note saying why
    it is empty (``missing``)."""

    anchor: str
    title: str
    text: str = ""
    png: bytes | None = None
    alt: str = ""
    caption: str = ""
    tables: tuple[Table, ...] = field(default_factory=tuple)
    missing: str | None = None


def data_uri(png: bytes) -> str:
    """A PNG as a ``data:image/png;base64,...`` URI."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _table_html(table: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _section_html(s: Section) -> str:
    parts = [f'<section id="{escape(s.anchor)}"><h2>{escape(s.title)}</h2>']
    if s.text:
        parts.append(f"<p>{escape(s.text)}</p>")
    if s.missing:
        parts.append(f'<p class="missing">Not available for this run: {escape(s.missing)}.</p>')
    if s.png is not None:
        cap = f"<figcaption>{escape(s.caption)}</figcaption>" if s.caption else ""
        parts.append(f'<figure><img src="{data_uri(s.png)}" alt="{escape(s.alt or s.title)}">{cap}</figure>')
    parts.extend(_table_html(t) for t in s.tables)
    parts.append("</section>")
    return "\n".join(parts)


def render_html(title: str, subtitle: str, sections: Sequence[Section], footer: str) -> str:
    """The whole report as one HTML document (UTF-8, no external reference)."""
    nav = "\n".join(f'<a href="#{escape(s.anchor)}">{escape(s.title)}</a>' for s in sections)
    body = "\n".join(_section_html(s) for s in sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(title)}</h1><p class=\"sub\">{escape(subtitle)}</p></header>\n"
        f"<nav>{nav}</nav>\n{body}\n<footer>{escape(footer)}</footer>\n</body>\n</html>\n"
    )
