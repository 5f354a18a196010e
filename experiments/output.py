"""Writing results folders: outcome tables, a manifest and a summary chart.

A results folder describes itself (``manifest.json``: scenario, every parameter, seed,
versions, git commit, time, command line) and appears whole or not at all: everything is
written into a hidden temporary sibling folder which is renamed into place at the end;
any failure, Ctrl-C included, removes it again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from .api import RunResult
from .charts import DPI, summary_figure
from .errors import SamenError

#: Files of one run's folder.
RUN_FILES = ("series.parquet", "regions.parquet", "groups.parquet", "localities.parquet", "manifest.json",
             "summary.png")
#: Where the project's source lives (for the git commit); the parent of the packages.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def utc_stamp(now: datetime | None = None) -> str:
    """The UTC time in results folder names, ``20261129T183000Z`` (``now`` or the current time)."""
    return (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")


def default_run_dir(scenario: str, seed: int, now: datetime | None = None, base: Path | str = "results/runs") -> Path:
    """``results/runs/<UTC time>-<scenario>-seed<seed>``, relative to the current directory."""
    stamp = utc_stamp(now)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", scenario).strip("-.") or "scenario"
    return Path(base) / f"{stamp}-{safe}-seed{seed}"


def check_out_dir(out_dir: Path | str) -> Path:
    """Raise SamenError unless ``out_dir`` can become a new results folder.

    It may not exist yet, or exist as an empty folder; its nearest existing ancestor must
    be a writable folder. Creates nothing.
    """
    out_dir = Path(out_dir)
    if out_dir.exists():
        if not out_dir.is_dir():
            raise SamenError(f"output {out_dir} exists and is not a folder")
        if any(out_dir.iterdir()):
            raise SamenError(f"output folder {out_dir} exists and is not empty; choose a new folder")
        return out_dir
    ancestor = out_dir.absolute().parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise SamenError(f"cannot create output folder {out_dir}: {ancestor} is not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise SamenError(f"cannot create output folder {out_dir}: {ancestor} is not writable")
    return out_dir


def git_info(root: Path = PROJECT_ROOT, ignore: tuple[str, ...] = ()) -> dict[str, Any]:
    """The project's git commit and whether its work tree has uncommitted changes (other than
    to the files ``ignore``, paths relative to ``root``).

    ``{"commit": None, "dirty": None}`` outside a git checkout (e.g. an installed wheel).
    """
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()

    try:
        if not (root / ".git").exists():
            return {"commit": None, "dirty": None}
        commit = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--", ".", *(f":(exclude){path}" for path in ignore)))
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def manifest_base(command: list[str] | None = None) -> dict[str, Any]:
    """What every results folder records about its making: versions, git, host, time, command."""
    from model import MODEL_VERSION

    return {
        "samen_version": _version("samen"),
        "model_version": MODEL_VERSION,
        "git": git_info(),
        "versions": {
            "python": platform.python_version(),
            **{name: _version(name) for name in ("numpy", "mesa", "pandas", "pyarrow", "matplotlib")},
        },
        "platform": platform.platform(),
        "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": command if command is not None else [Path(sys.argv[0]).name, *sys.argv[1:]],
    }


def run_manifest(result: RunResult, command: list[str] | None = None,
                 regions_file: str | None = None) -> dict[str, Any]:
    """The manifest of one run: :func:`manifest_base` plus scenario, parameters, seed and time."""
    return {
        "kind": "run",
        "scenario": {"name": result.scenario, "description": result.description,
                     "events": [dataclasses.asdict(e) for e in result.events],
                     "policy": [{"year": c.year, "name": c.name, **c.changes} for c in result.policy]},
        "overrides": dict(result.overrides),
        "parameters": result.parameters.to_dict(),
        "seed": result.seed,
        "steps": result.steps,
        "citizens": result.citizens,
        "regions_file": regions_file,
        "started_at": result.started_at.isoformat(timespec="seconds"),
        "duration_s": round(result.duration_s, 3),
        "files": list(RUN_FILES),
        **manifest_base(command),
    }


def write_json(data: dict[str, Any], path: Path) -> None:
    """Write ``data`` as indented UTF-8 JSON."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@contextlib.contextmanager
def atomic_dir(out_dir: Path | str) -> Iterator[Path]:
    """Yield a temporary sibling folder; on success rename it to ``out_dir``.

    Parent folders created on the way are removed again on failure if left empty.
    """
    out_dir = Path(out_dir)
    check_out_dir(out_dir)
    parent = out_dir.absolute().parent
    created = []
    ancestor = parent
    while not ancestor.exists():
        created.append(ancestor)
        ancestor = ancestor.parent
    tmp = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        # mkdir (unlike tempfile.mkdtemp's 0700) honours the umask, so the final folder
        # gets the same permissions as any folder the user creates.
        tmp = parent / f".{out_dir.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"
        tmp.mkdir()
        yield tmp
        check_out_dir(out_dir)  # nobody filled it while we worked
        os.replace(tmp, out_dir)  # replaces an empty folder atomically on POSIX
        tmp = None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
            for folder in created:  # innermost first
                with contextlib.suppress(OSError):
                    folder.rmdir()


def write_run(result: RunResult, out_dir: Path | str, command: list[str] | None = None,
              regions_file: str | None = None) -> Path:
    """Write one run's tables, manifest and summary chart into the new folder ``out_dir``."""
    out_dir = Path(out_dir)
    with atomic_dir(out_dir) as tmp:
        for name, frame in result.tables.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        fig = summary_figure(result.series, title=f"Samen: {result.scenario}, seed {result.seed}")
        fig.savefig(tmp / "summary.png", dpi=DPI)
        write_json(run_manifest(result, command, regions_file), tmp / "manifest.json")
    return out_dir
