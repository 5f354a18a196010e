"""Samen's cost per citizen and step, against Mesa's own example (``samen bench``).

Every measurement runs in a fresh Python subprocess, so that its peak memory (the child's
``ru_maxrss``) belongs to that model alone and no cache of one size helps the next. Each
size builds the model through :func:`experiments.api.build_model` (``population_scale =
round(17,947,684 / n)`` for about ``n`` citizens), times the build, then the steps, then the
outcome tables. The Mesa figure is the ``BoltzmannWealth`` example shipped with Mesa
(``BoltzmannWealth(BoltzmannScenario(n, width=w, height=w, rng=1))``, ``w = sqrt(n)``, about
one agent per cell), run in the same session so that machine noise largely cancels out in
the ratio (issue 6). Method and figures: ``docs/performance.md``.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..api import DEFAULT_STEPS

#: Residents in the shipped provinces (CBS 1-1-2024); population_scale = RESIDENTS / citizens.
RESIDENTS = 17_947_684
FULL_SIZES = (10_000, 100_000, 1_000_000, 10_000_000)
QUICK_SIZES = (2_000, 20_000)
FULL_STEPS, QUICK_STEPS = DEFAULT_STEPS, 4
MESA_AGENTS, QUICK_MESA_AGENTS = 100_000, 10_000
MESA_STEPS = 3
DEFAULT_SCALE = 100
#: Targets of issue 6 (checked in full mode only).
TARGET_RATIO = 50.0
TARGET_DEFAULT_S = 3.0
TARGET_GROWTH = 1.1  # 10x the citizens may cost at most 11x


@dataclass
class Measurement:
    """One child run: what was built, how long it took, how much memory it needed."""

    label: str
    citizens: int
    steps: int
    build_s: float
    step_s: float  # mean wall time of one step
    peak_mib: float  # peak resident memory of the child process
    base_mib: float  # resident memory after imports, before building
    scale: int = 0

    @property
    def per_second(self) -> float:
        """Citizen- (or agent-) steps per second of stepping."""
        return self.citizens / self.step_s if self.step_s > 0 else float("inf")

    @property
    def total_s(self) -> float:
        return self.build_s + self.steps * self.step_s


def scale_for(citizens: int) -> int:
    """population_scale that gives about ``citizens`` simulated citizens."""
    return max(1, min(10_000, round(RESIDENTS / citizens)))


# ---- children -------------------------------------------------------------------------------
def _rss_mib() -> float:
    import resource  # Unix only: imported where it is needed

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def _current_rss_mib() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return _rss_mib()


def _child_samen(scale: int, steps: int, seed: int) -> dict:
    from experiments.api import build_model  # imported here: the import is part of what the child times

    base = _current_rss_mib()
    t0 = time.perf_counter()
    model = build_model("baseline", {"population_scale": scale}, seed=seed)
    t1 = time.perf_counter()
    for _ in range(steps):
        model.step()
    t2 = time.perf_counter()
    model.outcome_frames()
    return {"label": f"samen scale {scale}", "citizens": int(model.citizens.n), "steps": steps,
            "build_s": t1 - t0, "step_s": (t2 - t1) / max(steps, 1), "peak_mib": _rss_mib(),
            "base_mib": base, "scale": scale}


def _child_mesa(agents: int, steps: int, seed: int) -> dict:
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

    base = _current_rss_mib()
    side = max(10, round(agents ** 0.5))  # about one agent per cell, as in Mesa's own runs
    t0 = time.perf_counter()
    model = BoltzmannWealth(BoltzmannScenario(n=agents, width=side, height=side, rng=seed))
    t1 = time.perf_counter()
    for _ in range(steps):
        model.step()
    t2 = time.perf_counter()
    return {"label": f"mesa BoltzmannWealth {side}x{side}", "citizens": agents, "steps": steps,
            "build_s": t1 - t0, "step_s": (t2 - t1) / max(steps, 1), "peak_mib": _rss_mib(),
            "base_mib": base}


def measure(kind: str, size: int, steps: int, seed: int = 1) -> Measurement:
    """Run one measurement in a fresh interpreter and return what it reports."""
    code = ("import json, sys; from experiments.bench.model import _child_{k}; "
            "print('BENCH' + json.dumps(_child_{k}({s}, {n}, {seed})))").format(
                k=kind, s=int(size), n=int(steps), seed=int(seed))
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # the project, so the child imports this code
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({kind} {size}):\n{out.stderr[-2000:]}")
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("BENCH"))
    return Measurement(**json.loads(line[len("BENCH"):]))


# ---- machine ----------------------------------------------------------------------------------
def machine() -> dict:
    """CPU model, cores, memory, load and the versions that matter for speed."""
    import mesa
    import numpy
    import scipy

    cpu, mem_gib = platform.processor() or platform.machine(), float("nan")
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
        with open("/proc/meminfo") as fh:
            mem_gib = int(next(ln for ln in fh if ln.startswith("MemTotal")).split()[1]) / 2**20
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(mem_gib, 1),
            "load_1min": round(load, 2), "python": platform.python_version(),
            "numpy": numpy.__version__, "scipy": scipy.__version__, "mesa": mesa.__version__,
            "platform": platform.platform(), "date": time.strftime("%Y-%m-%d %H:%M %Z")}


def machine_line(m: dict, load_after: float | None = None) -> str:
    """The machine of :func:`machine`, its load (before, and after if given) and the versions, in one line."""
    after = "" if load_after is None else f", {load_after} at end"
    return (f"machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, load {m['load_1min']} at start"
            f"{after}; Python {m['python']}, numpy {m['numpy']}, scipy {m['scipy']}, Mesa {m['mesa']}")


# ---- the benchmark --------------------------------------------------------------------------------
@dataclass
class Report:
    machine: dict
    sizes: list[Measurement]
    mesa: Measurement
    default: Measurement | None
    quick: bool

    def reference(self) -> Measurement:
        """The Samen row closest in size to the Mesa run (the ratio's numerator)."""
        return min(self.sizes, key=lambda r: abs(math.log(r.citizens / self.mesa.citizens)))

    @property
    def ratio(self) -> float:
        return self.reference().per_second / self.mesa.per_second

    def growth(self) -> list[tuple[float, float]]:
        """Per consecutive pair of sizes: (time growth, memory growth) / citizen growth."""
        out = []
        for a, b in itertools.pairwise(self.sizes):
            k = b.citizens / a.citizens
            mem_a, mem_b = a.peak_mib - a.base_mib, b.peak_mib - b.base_mib
            out.append((b.total_s / a.total_s / k, mem_b / mem_a / k if mem_a > 0 else float("nan")))
        return out

    def table(self) -> str:
        m = self.machine
        lines = [f"Samen benchmark, {m['date']}", machine_line(m), ""]
        head = ("citizens", "scale", "steps", "build s", "step s", "citizen-steps/s", "peak MiB",
                "time x/10x", "mem x/10x")
        rows = [head]
        growth = [("", "")] + [(f"{t:.2f}", f"{mm:.2f}") for t, mm in self.growth()]
        for r, (g_t, g_m) in zip(self.sizes, growth, strict=True):
            rows.append((f"{r.citizens:,}", str(r.scale), str(r.steps), f"{r.build_s:.2f}",
                         f"{r.step_s:.4f}", f"{r.per_second:,.0f}", f"{r.peak_mib:,.0f}", g_t, g_m))
        mesa = self.mesa
        rows.append((f"{mesa.citizens:,}", "mesa", str(mesa.steps), f"{mesa.build_s:.2f}",
                     f"{mesa.step_s:.4f}", f"{mesa.per_second:,.0f}", f"{mesa.peak_mib:,.0f}", "", ""))
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        for i, r in enumerate(rows):
            lines.append("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))
            if i == 0:
                lines.append("-" * len(lines[-1]))
        ref = self.reference()
        lines += ["", "time x/10x, mem x/10x: growth of (build + steps) time and of peak memory "
                  "above the interpreter's, per tenfold citizens (1.00 = linear)",
                  f"mesa: {mesa.label} from mesa.examples, agent-steps/s over {mesa.steps} steps",
                  f"ratio: Samen at {ref.citizens:,} citizens / Mesa at {mesa.citizens:,} agents = "
                  f"{self.ratio:,.0f}x"]
        if self.default is not None:
            d = self.default
            lines.append(f"default run (population_scale {d.scale}, {d.citizens:,} citizens, {d.steps} "
                         f"steps): {d.total_s:.2f} s including build ({d.build_s:.2f} s)")
        if not self.quick:
            lines += ["", "targets (issue 6):", *self.verdicts()]
        return "\n".join(lines)

    def verdicts(self) -> list[str]:
        out = [f"  ratio >= {TARGET_RATIO:g}x: {self.ratio:,.0f}x "
               f"{'met' if self.ratio >= TARGET_RATIO else 'MISSED'}"]
        worst_t = max((t for t, _ in self.growth()), default=float("nan"))
        worst_m = max((mm for _, mm in self.growth()), default=float("nan"))
        out.append(f"  linear time (<= {TARGET_GROWTH:g}x per 10x, i.e. <= 1.10 above): worst {worst_t:.2f} "
                   f"{'met' if worst_t <= TARGET_GROWTH else 'MISSED'}")
        out.append(f"  linear memory: worst {worst_m:.2f} {'met' if worst_m <= TARGET_GROWTH else 'MISSED'}")
        if self.default is not None:
            d = self.default.total_s
            out.append(f"  default run < {TARGET_DEFAULT_S:g} s: {d:.2f} s "
                       f"{'met' if d < TARGET_DEFAULT_S else 'MISSED'}")
        return out


def run_benchmark(quick: bool = False, sizes: tuple[int, ...] | None = None, steps: int | None = None,
                  mesa_agents: int | None = None, progress=print) -> Report:
    """Measure every size, the default run and Mesa, each in its own subprocess."""
    sizes = sizes or (QUICK_SIZES if quick else FULL_SIZES)
    steps = steps or (QUICK_STEPS if quick else FULL_STEPS)
    mesa_agents = mesa_agents or (QUICK_MESA_AGENTS if quick else MESA_AGENTS)
    info = machine()
    rows = []
    for size in sizes:
        scale = scale_for(size)
        progress(f"  samen: about {size:,} citizens (population_scale {scale}), {steps} steps ...")
        rows.append(measure("samen", scale, steps))
    default = None
    if not quick:
        progress(f"  samen: default run (population_scale {DEFAULT_SCALE}), {FULL_STEPS} steps ...")
        default = measure("samen", DEFAULT_SCALE, FULL_STEPS)
    progress(f"  mesa: BoltzmannWealth, {mesa_agents:,} agents, {MESA_STEPS} steps ...")
    mesa = measure("mesa", mesa_agents, MESA_STEPS)
    return Report(info, rows, mesa, default, quick)
