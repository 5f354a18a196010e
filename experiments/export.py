"""Every table of a results folder as CSV, for R, spreadsheets and other tools.

A run folder (``samen run``) holds one Parquet file per table; a sweep folder (``samen
sweep``) holds ``runs.parquet``, ``design.parquet`` and, with ``keep_series``, one folder
per table with a Parquet file per run. :func:`export_folder` writes one CSV per table:
``series.csv``, ``regions.csv``, ... for a run; ``runs.csv``, ``design.csv`` and
``series.csv``, ``regions.csv``, ... (every run's rows, with ``run_id``) for a sweep; and
any other Parquet file it finds (analysis tables) under its own name. The folder's
``manifest.json`` is copied beside them.

The CSVs are UTF-8 with a header row, numbers written so that they read back exactly,
missing values as empty fields, and text in double quotes. Seeds are 63-bit integers: R
reads integers beyond 2**53 as doubles (or integer64) and spreadsheets round them, so seed
columns (``seed`` or ``*_seed``) are written as quoted text. Read them back as text
(pandas ``dtype={"seed": str}``; R ``colClasses = c(seed = "character")``), see README.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd

from .errors import SamenError
from .output import atomic_dir

#: Name of the default output folder, inside the folder exported.
DEFAULT_SUBFOLDER = "csv"


def is_seed_column(name: str) -> bool:
    """Columns that hold seeds (written as text)."""
    return name == "seed" or name.endswith("_seed")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """``frame`` as UTF-8 CSV: seeds and other text quoted, numbers exact, NaN empty."""
    frame = frame.copy()
    for column in frame.columns:
        if is_seed_column(str(column)):
            frame[column] = frame[column].map(lambda v: "" if pd.isna(v) else str(int(v)))
    frame.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")


def folder_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Every table of a run or sweep folder by CSV name (without ``.csv``)."""
    from .sweep import store

    manifest = _manifest(folder)
    tables: dict[str, pd.DataFrame] = {}
    if manifest.get("kind") == "sweep":
        tables["runs"] = store.load_runs(folder)  # also the runs of an unfinished sweep
        for name in store.table_names(folder):
            tables[name] = store.load_table(folder, name)
    for path in sorted(folder.glob("*.parquet")):
        if path.stem not in tables:
            tables[path.stem] = pd.read_parquet(path)
    if not tables:
        inner = folder / "sweep"
        brief = (inner / "manifest.json").is_file()
        hint = f"; a brief keeps its runs in {inner}: samen export {inner}" if brief else ""
        raise SamenError(f"{folder} holds no tables (.parquet files) to export{hint}")
    return tables


def _manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SamenError(f"{path} cannot be read: {exc}") from None
    return data if isinstance(data, dict) else {}


def export_folder(folder: str | Path, out: str | Path | None = None) -> tuple[Path, list[str]]:
    """Write every table of ``folder`` as CSV into the new folder ``out`` (default
    ``folder/csv``); return ``out`` and the files written. Nothing is overwritten: ``out``
    must be new or empty, and appears whole or not at all."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SamenError(f"{folder}: no such folder")
    out = Path(out) if out is not None else folder / DEFAULT_SUBFOLDER
    tables = folder_tables(folder)
    written = []
    with atomic_dir(out) as tmp:
        for name, frame in tables.items():
            write_csv(frame, tmp / f"{name}.csv")
            written.append(f"{name}.csv")
        if (folder / "manifest.json").is_file():
            shutil.copyfile(folder / "manifest.json", tmp / "manifest.json")
            written.append("manifest.json")
    return out, written
