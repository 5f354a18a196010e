"""The folder of a sweep, written so that a kill at any moment loses only runs in flight.

::

    DIR/manifest.json     resolved spec, versions, git commit, start/end time, counts
    DIR/design.parquet    the raw sample matrix (see experiments.sweep.design)
    DIR/parts/            one small parquet file per finished run, run-<run_id>.parquet
    DIR/series/           with keep_series = true, every run's tables over time, one folder
    DIR/regions/          per table (national series, provinces, groups, and whatever else
    DIR/groups/           the run function returns), run-<run_id>.parquet in each
    DIR/runs.parquet      every finished run, one row each, ordered by run_id

Every file is written to a temporary name in the same folder and renamed into place
(``os.replace`` is atomic on POSIX and Windows), so a reader sees a file whole or not at
all. A part is written after the run's tables, so a part on disk means the run is
complete. ``runs.parquet`` is rebuilt from the parts at the end of a sweep and when it is
resumed; a run is identified by its ``run_id`` and a rerun replaces its part, so no run
ever has two rows.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import SamenError

RUNS = "runs.parquet"
MANIFEST = "manifest.json"
DESIGN = "design.parquet"
PARTS = "parts"
SERIES = "series"
#: Folder names a run's tables may take (the run result's table names; ``series`` first).
TABLE_NAME = re.compile(r"[a-z][a-z0-9_]*")
#: Columns every runs table starts with.
ID_COLUMNS = ("run_id", "sample_id", "replication", "seed", "scenario")
#: Columns every runs table ends with.
STATUS_COLUMNS = ("status", "error", "duration_s")


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def write_parquet_atomic(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` via a temporary file and an atomic rename."""
    tmp = _tmp(path)
    try:
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json_atomic(data: dict[str, Any], path: Path) -> None:
    """Write ``data`` as indented JSON via a temporary file and an atomic rename."""
    tmp = _tmp(path)
    try:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def part_path(out: Path, run_id: int) -> Path:
    """Where run ``run_id``'s one-row record is stored."""
    return table_path(out, PARTS, run_id)


def table_path(out: Path, table: str, run_id: int) -> Path:
    """Where run ``run_id``'s table ``table`` (series, regions, groups, ...) is stored."""
    return out / table / f"run-{run_id:07d}.parquet"


def write_record(out: Path, record: dict[str, Any], tables: dict[str, pd.DataFrame] | None = None) -> None:
    """Store one finished run: its tables (if given) first, then its one-row part."""
    for name, frame in (tables or {}).items():
        if not TABLE_NAME.fullmatch(name) or name == PARTS:
            raise ValueError(f"a run's table cannot be called {name!r}")
        (out / name).mkdir(exist_ok=True)
        write_parquet_atomic(frame, table_path(out, name, record["run_id"]))
    write_parquet_atomic(pd.DataFrame([record]), part_path(out, record["run_id"]))


def table_names(out: str | Path) -> list[str]:
    """The per-run tables a sweep folder holds: ``series`` first, then by name."""
    out = Path(out)
    found = [p.name for p in out.iterdir() if p.is_dir() and p.name != PARTS
             and TABLE_NAME.fullmatch(p.name) and any(p.glob("run-*.parquet"))] if out.is_dir() else []
    return sorted(found, key=lambda n: (n != SERIES, n))


def load_table(out: str | Path, table: str, run_ids: set[int] | None = None) -> pd.DataFrame | None:
    """Table ``table`` of every stored run (or of ``run_ids``), long, with a ``run_id`` column;
    None when the sweep stored no such table."""
    files = sorted((Path(out) / table).glob("run-*.parquet"))
    if run_ids is not None:
        files = [f for f in files if int(f.stem[4:]) in run_ids]
    frames = []
    for f in files:
        frame = pq.read_table(f).to_pandas()
        if "run_id" not in frame.columns:
            frame.insert(0, "run_id", int(f.stem[4:]))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else None


def remove_stale_temporaries(out: Path) -> int:
    """Delete temporary files that a killed sweep left half-written; return how many.

    ``write_*_atomic`` writes ``.<name>.tmp-<pid>`` and renames it; a SIGKILL between the two
    leaves the temporary behind. Only call this when no other process writes to ``out``.
    """
    stale = [f for f in out.glob("**/.*.tmp-*") if f.is_file()]
    for f in stale:
        f.unlink(missing_ok=True)
    return len(stale)


def finished_runs(out: Path) -> dict[int, str]:
    """``run_id -> status`` of every run stored in ``out`` (parts and runs.parquet)."""
    done: dict[int, str] = {}
    runs = out / RUNS
    if runs.exists():
        table = pq.read_table(runs, columns=["run_id", "status"]).to_pandas()
        done.update(zip(table["run_id"].astype(int), table["status"], strict=True))
    for part in sorted((out / PARTS).glob("run-*.parquet")):
        table = pq.read_table(part, columns=["run_id", "status"]).to_pandas()
        done.update(zip(table["run_id"].astype(int), table["status"], strict=True))
    return done


def consolidate(out: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Merge runs.parquet and every part into one table, write it atomically, return it.

    A part wins over an older row of the same run (a retried failure); rows are sorted by
    ``run_id``. Parts stay on disk: they are the record that resume trusts.
    """
    frames = []
    runs = out / RUNS
    if runs.exists():
        frames.append(pq.read_table(runs).to_pandas())
    parts = sorted((out / PARTS).glob("run-*.parquet"))
    if parts:
        frames.append(pa.concat_tables([pq.read_table(p) for p in parts], promote_options="permissive").to_pandas())
    frames = [f for f in frames if len(f)]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns or list(ID_COLUMNS))
    table = table.drop_duplicates("run_id", keep="last").sort_values("run_id").reset_index(drop=True)
    if columns:
        table = table.reindex(columns=[c for c in columns if c in table.columns]
                              + [c for c in table.columns if c not in columns])
    write_parquet_atomic(table, runs)
    return table


def read_manifest(out: Path) -> dict[str, Any]:
    """The manifest of the sweep folder ``out``; SamenError for any other folder, naming
    what it is (a run's folder, a brief, a validation) and what reads it."""
    out = Path(out)
    if not out.is_dir():
        raise SamenError(f"{out}: no such folder")
    path = out / MANIFEST
    if not path.is_file():
        inner = out / "sweep"
        hint = f" (a brief keeps its sweep in {inner})" if (inner / MANIFEST).is_file() else ""
        raise SamenError(f"{out} is not a sweep folder: it has no {MANIFEST}{hint}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SamenError(f"{path} cannot be read: {exc}") from None
    kind = manifest.get("kind") if isinstance(manifest, dict) else None
    if kind == "sweep" and isinstance(manifest.get("spec"), dict):
        return manifest
    what = {"run": "a run folder (written by `samen run`)",
            "validation": "a validation folder (written by `samen validate`)"}.get(kind, "not a sweep folder")
    raise SamenError(f"{out} is {what}, not a sweep folder written by `samen sweep`; "
                     f"`samen export {out}` turns any results folder into CSV")


def load_runs(out: str | Path) -> pd.DataFrame:
    """The runs table of a sweep folder (including runs of an unfinished sweep)."""
    out = Path(out)
    read_manifest(out)
    parts = list((out / PARTS).glob("run-*.parquet"))
    runs = out / RUNS
    if runs.exists() and (not parts or runs.stat().st_mtime >= max(p.stat().st_mtime for p in parts)):
        return pq.read_table(runs).to_pandas()
    frames = [pq.read_table(runs).to_pandas()] if runs.exists() else []
    if parts:
        frames.append(pa.concat_tables([pq.read_table(p) for p in sorted(parts)],
                                       promote_options="permissive").to_pandas())
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=list(ID_COLUMNS))
    table = pd.concat(frames, ignore_index=True)
    return table.drop_duplicates("run_id", keep="last").sort_values("run_id").reset_index(drop=True)


def load_series(out: str | Path, run_id: int, table: str = SERIES) -> pd.DataFrame:
    """The national time series (or another ``table``) of one run (only for sweeps with
    keep_series = true; localities also need keep_localities = true)."""
    path = table_path(Path(out), table, run_id)
    if not path.exists():
        flag = "keep_localities" if table == "localities" else "keep_series"
        raise SamenError(f"no {table} for run {run_id} in {out} (was {flag} = true?)")
    return pq.read_table(path).to_pandas()
