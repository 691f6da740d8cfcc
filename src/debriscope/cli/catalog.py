"""``debriscope catalog``: build, list, show and export a run's catalog."""

from __future__ import annotations

from pathlib import Path

import click

from ..runfolder import CATALOG_FILE


def _open(run_dir: str):
    from ..catalog.db import open_catalog

    return open_catalog(Path(run_dir) / CATALOG_FILE)


@click.group()
def catalog() -> None:
    """The catalog of a run: SQLite database and exports (TLE, OMM, OEM, SATCAT, Situation Summary)."""


@catalog.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False))
def build(run_dir: str) -> None:
    """Build the catalog of RUN_DIR again from its tracking results."""
    from ..pipeline import rerun_stage

    section = rerun_stage(run_dir, "catalog")
    click.echo(
        f"catalogued {section['n_catalogued']} debris objects, numbers "
        f"{section['first_catalog_number']}-{section['last_catalog_number']}; "
        f"TLE fit RMS median {section['tle_fit_rms_median_m'] or float('nan'):.0f} m"
    )


@catalog.command("list")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False))
def list_(run_dir: str) -> None:
    """One line per catalogued object."""
    from ..catalog.db import read_rows

    con = _open(run_dir)
    try:
        click.echo(f"{'CAT NO':>6}  {'COSPAR':<11} {'TYPE':<4} {'NAME':<28} {'DECAY':<10} SETS")
        counts = dict(con.execute("SELECT catalog_number, count(*) FROM element_sets GROUP BY 1").fetchall())
        for obj in read_rows(con, "objects"):
            click.echo(
                f"{obj['catalog_number']:>6}  {obj['cospar_id'] or '':<11} {obj['object_type']:<4} "
                f"{obj['object_name']:<28} {obj['decay_date'] or '-':<10} {counts.get(obj['catalog_number'], 0)}"
            )
    finally:
        con.close()


@catalog.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False))
@click.argument("object_key")
def show(run_dir: str, object_key: str) -> None:
    """Everything about one object, by catalog number (443), COSPAR (1962-057A) or Greek designation."""
    from ..catalog.db import find_object, read_rows

    con = _open(run_dir)
    try:
        obj = find_object(con, object_key)
        if obj is None:
            raise click.UsageError(
                f"no object {object_key!r} in the catalog (try `debriscope catalog list {run_dir}`)"
            )
        for key, value in obj.items():
            click.echo(f"{key:>22}: {'' if value is None else value}")
        for row in read_rows(con, "element_sets", "catalog_number = ?", (obj["catalog_number"],)):
            fit = f"  fit RMS {row['fit_rms_m']:.0f} m" if row["fit_rms_m"] is not None else ""
            click.echo(
                f"\n{row['epoch_utc']} {row['source']} ({row['kind']}): period {row['period_min']:.2f} min, "
                f"{row['apogee_km']:.0f} x {row['perigee_km']:.0f} km, i {row['inclination_deg']:.2f} deg{fit}"
            )
            if row["tle_line1"]:
                click.echo(row["tle_line1"])
                click.echo(row["tle_line2"])
    finally:
        con.close()


@catalog.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--format", "fmt", required=True,
    type=click.Choice(["tle", "3le", "omm-kvn", "omm-xml", "oem", "satcat", "sss"]),
    help="export format",
)  # fmt: skip
@click.option(
    "--frame", type=click.Choice(["TEME", "GCRF"]), default="TEME", show_default=True, help="OEM frame"
)
@click.option("--object", "oem_object", type=int, help="catalog number of the object (OEM only)")
@click.option("-o", "--out", type=click.Path(dir_okay=False), help="output file (default: standard output)")
def export(run_dir: str, fmt: str, frame: str, oem_object: int | None, out: str | None) -> None:
    """Write the catalog of RUN_DIR in one export format (an OEM: one object, --object)."""
    from ..catalog.exports import export_text, oem_objects
    from ..tables import atomic_write

    con = _open(run_dir)
    try:
        if fmt == "oem" and oem_object not in oem_objects(con):
            raise click.UsageError(f"--object: an OEM describes one object; choose one of {oem_objects(con)}")
        text = export_text(con, fmt, oem_frame=frame, oem_object=oem_object)
    finally:
        con.close()
    if out is None:
        click.echo(text, nl=False)
    else:
        with atomic_write(out, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
