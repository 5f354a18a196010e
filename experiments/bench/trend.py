"""The trend of the benchmark history (``samen bench --trend``): issue 13's targets over the
changes that were measured.

``benchmarks/history.jsonl`` gets one record per benchmark run (``--history``); this draws
them as four small multiples, one per target, each record at the commit it measured (in the
order the commits were first measured), with the target as a dashed line:

- whole-process speed against Mesa's BoltzmannWealth (``end-to-end``: the default scale and
  about a million citizens; targets 20x and 50x),
- the whole default ``samen run`` in seconds (``end-to-end``; target 2 s),
- a scenarios sweep's runs per second per worker (``sweep``, scenarios design; target 1),
- the 1:1 country in minutes (``country``; target 4 min), its peak memory in the label.

A record measured on a tree with uncommitted changes (``git.dirty``) is drawn hollow.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..charts import PALETTE, save_figure, style_axes
from ..errors import SamenError
from .endtoend import (
    HISTORY,
    SAMEN_SCALES,
    TARGET_COUNTRY_S,
    TARGET_DEFAULT_S,
    TARGET_RATIO_DEFAULT,
    TARGET_RATIO_MILLION,
)

#: Issue 13's sweep target: runs per second per worker.
TARGET_SWEEP = 1.0
KINDS = ("end-to-end", "sweep", "country")


@dataclass(frozen=True)
class Point:
    """One value of one record, at the position of its commit."""

    x: int
    y: float
    dirty: bool
    note: str = ""


def read_history(path: Path | str) -> list[dict]:
    """The records of a history file, in file order; a clear error for a missing or bad file."""
    path = Path(path)
    if not path.is_file():
        raise SamenError(f"history file {path} not found (the project's is {HISTORY})")
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SamenError(f"{path}, line {number}: not a JSON record ({exc.msg})") from None
        if not isinstance(record, dict) or record.get("kind") not in KINDS or "git" not in record:
            raise SamenError(f"{path}, line {number}: not a benchmark record (needs 'kind', one of "
                             f"{', '.join(KINDS)}, and 'git')")
        records.append(record)
    if not records:
        raise SamenError(f"history file {path} has no records; append some with --history")
    return records


def commit_positions(records: list[dict]) -> dict[str, int]:
    """Each commit's position on the x axis: the order in which commits were first measured."""
    positions: dict[str, int] = {}
    for record in records:
        positions.setdefault(record["git"]["commit"], len(positions))
    return positions


def series(records: list[dict], kind: str, value, positions: dict[str, int], note=None) -> list[Point]:
    """``value(record)`` of every record of ``kind`` that has one, at its commit's position."""
    points = []
    for record in records:
        if record["kind"] != kind:
            continue
        y = value(record)
        if y is not None:
            points.append(Point(positions[record["git"]["commit"]], float(y), bool(record["git"].get("dirty")),
                                note(record) if note else ""))
    return points


def _ratio(scale: int):
    return lambda r: r.get("ratios", {}).get(f"samen-{scale}")


def _default_wall(r: dict) -> float | None:
    return r.get("medians", {}).get(f"samen-{SAMEN_SCALES[0]}", {}).get("wall_s")


def _sweep_rate(r: dict) -> float | None:
    return r.get("runs_per_second_per_worker") if r.get("design") == "scenarios" else None


def _country_minutes(r: dict) -> float | None:
    wall = r.get("median", {}).get("wall_s")
    return None if wall is None else wall / 60


def _country_memory(r: dict) -> str:
    return f"{r['median']['peak_mib'] / 1024:.1f} GiB" if "peak_mib" in r.get("median", {}) else ""


def _plot(ax: Axes, points: list[Point], color: str, label: str) -> None:
    """A line through the points; records of uncommitted trees hollow."""
    if not points:
        return
    ax.plot([p.x for p in points], [p.y for p in points], color=color, linewidth=1.4, label=label)
    for p in points:
        ax.plot(p.x, p.y, "o", color=color, markersize=5, markerfacecolor="white" if p.dirty else color)
        if p.note:
            ax.annotate(p.note, (p.x, p.y), textcoords="offset points", xytext=(4, 4), fontsize=6.5, color=color)


def _target(ax: Axes, y: float, text: str) -> None:
    ax.axhline(y, color=PALETTE["vermillion"], linestyle="--", linewidth=1)
    ax.annotate(text, (0, y), xycoords=("axes fraction", "data"), textcoords="offset points", xytext=(2, 3),
                fontsize=7, color=PALETTE["vermillion"])


def _from_zero(ax: Axes, *values: float) -> None:
    """A y axis from 0 to above every value and target (a flat trend should look flat)."""
    ax.set_ylim(0, max(values) * 1.15)


def _single(ax: Axes, points: list[Point], color: str, label: str, target: float, target_text: str,
            title: str) -> None:
    """A panel of one series against its target."""
    _plot(ax, points, color, label)
    _target(ax, target, target_text)
    _from_zero(ax, target, *(p.y for p in points))
    style_axes(ax, title)


def trend_figure(records: list[dict]) -> Figure:
    """Issue 13's four targets over the measured commits (see the module docstring)."""
    positions = commit_positions(records)
    fig = Figure(figsize=(11, 6.4), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True)
    default, million = SAMEN_SCALES

    ax = axes[0, 0]
    d, m = (series(records, "end-to-end", _ratio(s), positions) for s in (default, million))
    _plot(ax, d, PALETTE["blue"], f"default run (population_scale {default})")
    _plot(ax, m, PALETTE["orange"], f"about 1 M citizens (population_scale {million})")
    _target(ax, TARGET_RATIO_DEFAULT, f"target {TARGET_RATIO_DEFAULT:g}x (default)")
    _target(ax, TARGET_RATIO_MILLION, f"target {TARGET_RATIO_MILLION:g}x (1 M)")
    _from_zero(ax, TARGET_RATIO_MILLION, *(p.y for p in d + m))
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    style_axes(ax, "Whole samen run against whole Mesa BoltzmannWealth (x Mesa's individual-steps/s)")

    _single(axes[0, 1], series(records, "end-to-end", _default_wall, positions), PALETTE["blue"], "default run",
            TARGET_DEFAULT_S, f"target {TARGET_DEFAULT_S:g} s", "Whole default samen run (s, median)")
    _single(axes[1, 0], series(records, "sweep", _sweep_rate, positions), PALETTE["green"],
            "6 scenarios x 10 seeds, 2 workers", TARGET_SWEEP, f"target {TARGET_SWEEP:g}",
            "Scenarios sweep (runs per second per worker)")
    _single(axes[1, 1], series(records, "country", _country_minutes, positions, note=_country_memory),
            PALETTE["purple"], "1:1 country", TARGET_COUNTRY_S / 60, f"target {TARGET_COUNTRY_S / 60:g} min",
            "The 1:1 country, 40 quarters (min; peak memory labelled)")

    labels = [commit[:7] for commit in positions]
    for ax in axes[1]:
        ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=7)
        ax.set_xlabel("commit measured (in order)", fontsize=8)
    for ax in axes.flat:
        ax.set_xlim(-0.5, len(labels) - 0.5)
    fig.suptitle("Samen speed over the changes measured (benchmarks/history.jsonl; hollow: uncommitted tree)",
                 fontsize=10)
    return fig


def write_trend(history: Path | str, out_dir: Path | str, command: list[str] | None = None) -> Path:
    """Write ``trend.png``, ``trend.svg`` and a manifest into the new folder ``out_dir``."""
    from ..output import atomic_dir, manifest_base, write_json

    records = read_history(history)
    out_dir = Path(out_dir)
    with atomic_dir(out_dir) as tmp:
        save_figure(trend_figure(records), tmp / "trend")
        write_json({"kind": "bench-trend", "history": str(history), "records": len(records),
                    "commits": list(commit_positions(records)), **manifest_base(command)}, tmp / "manifest.json")
    return out_dir
