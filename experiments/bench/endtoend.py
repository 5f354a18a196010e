"""Whole processes against Mesa's own example (``samen bench --end-to-end``, issue 13), and
the whole 1:1 country (``samen bench --country``).

What a user waits for is a whole ``samen run`` process: interpreter start, imports, build and
spin-up, the steps, writing the outcome tables, the manifest and the summary chart. This
benchmark times exactly that, as a subprocess, for the default run (``population_scale``
100) and for about a million citizens (``population_scale`` 18), and times a whole process
of Mesa's ``BoltzmannWealth`` example (10,000 agents on a 100 x 100 grid, the same number of
steps) in the same session. The three alternate within each repeat, so that machine noise
falls on all of them alike; medians over the repeats are compared.

Rates are simulated individuals times steps per second of wall time of the whole process
(the spin-up is part of Samen's cost but not counted as steps). Each record can be appended
to a history file (one JSON object per line, ``benchmarks/history.jsonl``) with the machine,
its load, the git commit and the model version, so that the trend of every change is kept.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..api import DEFAULT_STEPS
from .model import machine, machine_line

#: The two Samen sizes of issue 13: the default run and about a million citizens.
SAMEN_SCALES = (100, 18)
MESA_AGENTS, MESA_SIDE = 10_000, 100
#: Targets of issue 13 (whole processes, medians).
TARGET_DEFAULT_S = 2.0
TARGET_RATIO_DEFAULT = 20.0
TARGET_RATIO_MILLION = 50.0
#: The 1:1 country (``population_scale`` 1): a whole run in under 4 minutes and 8 GiB.
COUNTRY_SCALE = 1
TARGET_COUNTRY_S = 240.0
TARGET_COUNTRY_GIB = 8.0

_MESA_CODE = """
import json, time
t0 = time.perf_counter()
from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth
t_import = time.perf_counter()
model = BoltzmannWealth(BoltzmannScenario(n={n}, width={side}, height={side}, rng={seed}))
t1 = time.perf_counter()
for _ in range({steps}):
    model.step()
t2 = time.perf_counter()
print("BENCH" + json.dumps({{"setup_s": t1 - t0, "build_s": t1 - t_import, "steps_s": t2 - t1}}))
"""


@dataclass
class Process:
    """One whole process: what it ran, its wall time and peak memory."""

    label: str
    individuals: int
    steps: int
    wall_s: float
    peak_mib: float
    steps_s: float | None = None  # time inside the steps, where the child reports it
    #: Time inside the model (build, spin-up, steps): a samen run's ``duration_s``, Mesa's build
    #: and steps; the rest of ``wall_s`` is interpreter start, imports and writing the results.
    model_s: float | None = None

    @property
    def per_second(self) -> float:
        """Individual-steps per second of the whole process."""
        return self.individuals * self.steps / self.wall_s


def _timed(cmd: list[str]) -> tuple[float, float, str]:
    """Run ``cmd``; return its wall time (s), peak resident memory (MiB) and stdout."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # the project, so the child runs this code
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise RuntimeError(f"benchmark child failed: {' '.join(cmd)}\n{err.read().decode()[-2000:]}")
        return wall, usage.ru_maxrss / 1024, out.read().decode()


def samen_process(scale: int, steps: int, seed: int, work: Path) -> Process:
    """A whole ``samen run`` at ``population_scale`` ``scale``, writing into ``work``."""
    out = work / f"run-{scale}-{time.monotonic_ns()}"
    cmd = [sys.executable, "-m", "experiments.cli", "run", "--seed", str(seed), "--steps", str(steps),
           "--quiet", "--out", str(out), "--set", f"population_scale={scale}"]
    wall, peak, _ = _timed(cmd)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return Process(f"samen run, population_scale {scale}", int(manifest["citizens"]), steps, wall, peak,
                   model_s=float(manifest["duration_s"]))


def mesa_process(steps: int, seed: int) -> Process:
    """A whole Python process that imports, builds and steps Mesa's BoltzmannWealth."""
    code = _MESA_CODE.format(n=MESA_AGENTS, side=MESA_SIDE, seed=seed, steps=steps)
    wall, peak, stdout = _timed([sys.executable, "-c", code])
    inner = json.loads(next(ln for ln in stdout.splitlines() if ln.startswith("BENCH"))[len("BENCH"):])
    return Process(f"mesa BoltzmannWealth {MESA_SIDE}x{MESA_SIDE}", MESA_AGENTS, steps, wall, peak,
                   steps_s=inner["steps_s"], model_s=inner["build_s"] + inner["steps_s"])


@dataclass
class EndToEnd:
    """Repeated, alternating whole processes and their medians."""

    machine: dict
    repeats: int
    steps: int
    runs: dict[str, list[Process]] = field(default_factory=dict)
    load_after: float | None = None

    def median(self, key: str, attr: str = "wall_s") -> float:
        return statistics.median(getattr(p, attr) for p in self.runs[key])

    def rate(self, key: str) -> float:
        """Median individual-steps per second of the whole process."""
        return statistics.median(p.per_second for p in self.runs[key])

    def ratio(self, key: str) -> float:
        return self.rate(key) / self.rate("mesa")

    def mesa_step_rate(self) -> float:
        """Mesa's agent-steps per second inside its steps alone (for comparison)."""
        return statistics.median(MESA_AGENTS * p.steps / p.steps_s for p in self.runs["mesa"])

    def record(self) -> dict:
        """A JSON-ready record for the history file."""
        return {"kind": "end-to-end", "machine": self.machine, "load_after": self.load_after,
                **provenance(), "repeats": self.repeats, "steps": self.steps,
                "medians": {k: {"wall_s": round(self.median(k), 3), "model_s": round(self.median(k, "model_s"), 3),
                                "peak_mib": round(self.median(k, "peak_mib")),
                                "individuals": self.runs[k][0].individuals,
                                "per_second": round(self.rate(k))} for k in self.runs},
                "ratios": {k: round(self.ratio(k), 2) for k in self.runs if k != "mesa"},
                "mesa_steps_only_per_second": round(self.mesa_step_rate()),
                "runs": {k: [asdict(p) for p in v] for k, v in self.runs.items()}}

    def table(self) -> str:
        m = self.machine
        lines = [f"Samen end-to-end benchmark, {m['date']}", machine_line(m, self.load_after),
                 f"{self.repeats} repeats, alternating; medians of whole processes, {self.steps} steps each", "",
                 f"{'process':44s} {'individuals':>11s} {'wall s':>8s} {'model s':>8s} {'peak MiB':>9s} "
                 f"{'steps/s':>12s} {'x Mesa':>7s}"]
        for key, runs in self.runs.items():
            ratio = "" if key == "mesa" else f"{self.ratio(key):.1f}"
            lines.append(f"{runs[0].label:44s} {runs[0].individuals:>11,} {self.median(key):>8.2f} "
                         f"{self.median(key, 'model_s'):>8.2f} {self.median(key, 'peak_mib'):>9,.0f} "
                         f"{self.rate(key):>12,.0f} {ratio:>7s}")
        lines += ["", "model s: build, spin-up and steps inside the process (Samen: its manifest's duration_s,",
                  "  loading the compiled kernels included); the rest is interpreter start, imports and writing",
                  f"Mesa inside its steps alone: {self.mesa_step_rate():,.0f} agent-steps/s",
                  "", "targets (issue 13):", *self.verdicts()]
        return "\n".join(lines)

    def verdicts(self) -> list[str]:
        """Issue 13's targets, for those of its two sizes that were measured."""
        def mark(ok: bool) -> str:
            return "met" if ok else "MISSED"

        default, million = (f"samen-{s}" for s in SAMEN_SCALES)
        out = []
        if default in self.runs:
            d, r = self.median(default), self.ratio(default)
            out += [f"  default run <= {TARGET_DEFAULT_S:g} s: {d:.2f} s {mark(d <= TARGET_DEFAULT_S)}",
                    f"  default run >= {TARGET_RATIO_DEFAULT:g}x Mesa: {r:.1f}x {mark(r >= TARGET_RATIO_DEFAULT)}"]
        if million in self.runs:
            r = self.ratio(million)
            out.append(f"  ~1 M citizens >= {TARGET_RATIO_MILLION:g}x Mesa: {r:.1f}x {mark(r >= TARGET_RATIO_MILLION)}")
        return out or ["  (neither the default scale nor ~1 M citizens was measured)"]


def _load() -> float | None:
    """The 1-minute load average now (None where the system has none)."""
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def run_end_to_end(repeats: int = 3, steps: int = DEFAULT_STEPS, scales: tuple[int, ...] = SAMEN_SCALES,
                   seed: int = 1, progress=print) -> EndToEnd:
    """Alternate whole Samen runs (each scale) and whole Mesa processes, ``repeats`` times."""
    report = EndToEnd(machine(), repeats, steps)
    keys = [f"samen-{s}" for s in scales] + ["mesa"]
    report.runs = {k: [] for k in keys}
    with tempfile.TemporaryDirectory(prefix="samen-bench-") as work:
        for r in range(repeats):
            for scale in scales:
                progress(f"  repeat {r + 1}/{repeats}: samen run, population_scale {scale} ...")
                report.runs[f"samen-{scale}"].append(samen_process(scale, steps, seed, Path(work)))
            progress(f"  repeat {r + 1}/{repeats}: mesa BoltzmannWealth ...")
            report.runs["mesa"].append(mesa_process(steps, seed))
    report.load_after = _load()
    return report


@dataclass
class Country:
    """Whole runs of the 1:1 country (``samen bench --country``) and issue 13's targets for them."""

    machine: dict
    steps: int
    runs: list[Process]
    load_after: float | None = None

    def median(self, attr: str = "wall_s") -> float:
        return statistics.median(getattr(p, attr) for p in self.runs)

    def record(self) -> dict:
        """A JSON-ready record for the history file."""
        return {"kind": "country", "machine": self.machine, "load_after": self.load_after, **provenance(),
                "repeats": len(self.runs), "steps": self.steps,
                "median": {"wall_s": round(self.median(), 1), "model_s": round(self.median("model_s"), 1),
                           "peak_mib": round(self.median("peak_mib")),
                           "individuals": self.runs[0].individuals},
                "runs": [asdict(p) for p in self.runs]}

    def table(self) -> str:
        m = self.machine
        wall, peak_gib = self.median(), self.median("peak_mib") / 1024
        return "\n".join([
            f"Samen country benchmark, {m['date']}", machine_line(m, self.load_after),
            f"{self.runs[0].label}: {self.runs[0].individuals:,} citizens, {self.steps} steps, whole process",
            "wall s: " + ", ".join(f"{p.wall_s:.1f}" for p in self.runs) + f" (median {wall:.1f} s, "
            f"{int(wall // 60)} min {wall % 60:02.0f} s)",
            "peak GiB: " + ", ".join(f"{p.peak_mib / 1024:.2f}" for p in self.runs),
            "in the model (build, spin-up, steps) s: " + ", ".join(f"{p.model_s:.1f}" for p in self.runs),
            "", "targets (issue 13):",
            f"  whole run < {TARGET_COUNTRY_S / 60:g} min: {'met' if wall < TARGET_COUNTRY_S else 'MISSED'}",
            f"  peak memory < {TARGET_COUNTRY_GIB:g} GiB: {'met' if peak_gib < TARGET_COUNTRY_GIB else 'MISSED'}"])


def run_country(repeats: int = 1, steps: int = DEFAULT_STEPS, seed: int = 1, scale: int = COUNTRY_SCALE,
                progress=print) -> Country:
    """Whole ``samen run`` processes of the country at ``scale`` (1: every resident a citizen)."""
    report = Country(machine(), steps, [])
    with tempfile.TemporaryDirectory(prefix="samen-bench-") as work:
        for r in range(repeats):
            progress(f"  run {r + 1}/{repeats}: samen run, population_scale {scale} (minutes at 1:1) ...")
            report.runs.append(samen_process(scale, steps, seed, Path(work)))
    report.load_after = _load()
    return report


#: The project's history file (``--history``); changes to it are not changes to the code measured.
HISTORY = "benchmarks/history.jsonl"


def provenance() -> dict:
    """What a history record says about the code it measured: git commit, whether the tree had
    uncommitted changes (besides earlier records in :data:`HISTORY`) and model version."""
    from model import MODEL_VERSION

    from ..output import git_info

    return {"git": git_info(ignore=(HISTORY,)), "model_version": MODEL_VERSION}


def append_history(record: dict, path: Path | str) -> Path:
    """Append one record (a JSON line) to the history file ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, sort_keys=True) + "\n")
    return path
