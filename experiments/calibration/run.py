"""Running a calibration: the sweep engine's design and runs, then scoring and a report.

``DIR/sweep/`` is an ordinary sweep folder (resumable with ``--resume``; every run's
series, joined with the calibration measures, is kept). ``DIR/report/`` is written whole or
not at all once every run is in: ``samples.csv`` (every sample's parameters, simulated
statistics, z-scores, distance, rank, accepted), ``accepted.csv``, ``posterior.csv``,
``targets.csv``, ``parameters.txt`` (the ``_p(...)`` lines to paste into
``model/parameters.py``), ``calibration.png`` and ``manifest.json``.

A spec with ``fit_until`` (a hindcast) is fitted on its in-sample targets only, with runs
that stop at 1 January of ``fit_until`` (:attr:`~experiments.calibration.CalibrationSpec.fit_steps`):
the out-of-sample targets are left for ``samen validate --hindcast``; ``targets.csv`` then says
which targets were which (column ``sample``).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from model.parameters import PARAMS, Param

from ..errors import SamenError
from ..output import atomic_dir, manifest_base, utc_stamp, write_json
from . import CalibrationSpec, chosen_values, posterior, score
from .measures import run_measured

REPORT_FILES = ("samples.csv", "accepted.csv", "posterior.csv", "targets.csv", "parameters.txt",
                "calibration.png", "manifest.json")


def default_out(spec: CalibrationSpec, now: datetime | None = None, base: str | Path = "results/calibration") -> Path:
    return Path(base) / f"{spec.name}-{utc_stamp(now)}"


def sample_statistics(spec: CalibrationSpec, sweep_dir: Path, runs: pd.DataFrame) -> pd.DataFrame:
    """One row per sample: its free parameter values and each fitted (in-sample) target's
    statistic (mean over the sample's replications)."""
    from ..sweep.store import load_series

    ok = runs[runs["status"] == "ok"]
    rows = []
    for run in ok.itertuples():
        series = load_series(sweep_dir, int(run.run_id))
        rows.append({"sample_id": int(run.sample_id), "replication": int(run.replication),
                     **{p: getattr(run, p) for p in spec.free},
                     **{t.name: t.compute(series) for t in spec.fit_targets}})
    per_run = pd.DataFrame(rows)
    if per_run.empty:
        raise SamenError("no calibration run succeeded; see the error column of runs.parquet")
    agg = {p: "first" for p in spec.free} | {t.name: "mean" for t in spec.fit_targets}
    out = per_run.groupby("sample_id", as_index=False).agg(agg)
    out.insert(1, "replications", per_run.groupby("sample_id").size().to_numpy())
    return out


#: Options that do not change a calibration's result, left out of the provenance.
NOT_RESULT_OPTIONS = {"--out": 1, "--workers": 1, "--quiet": 0, "--resume": 0}


def provenance(spec: CalibrationSpec, command: list[str] | None, date: str) -> str:
    """``calibrated to <targets> by `<command>` on <date>``, the command without the options
    that do not change the result (output folder, workers, progress)."""
    words, skip = [], 0
    for word in command or ["samen", "calibrate", spec.path or spec.name]:
        if skip:
            skip -= 1
            continue
        key = word.split("=", 1)[0]
        if key in NOT_RESULT_OPTIONS:
            skip = NOT_RESULT_OPTIONS[key] if "=" not in word else 0
            continue
        words.append(word)
    cmd = " ".join(words)
    return f"calibrated to {', '.join(t.name for t in spec.fit_targets)} by `{cmd}` on {date}"


def targets_table(spec: CalibrationSpec) -> pd.DataFrame:
    """Every target of the spec; with ``fit_until`` also whether it was fitted (``sample``: in)
    or held out for the hindcast (out)."""
    table = pd.DataFrame([t.to_dict() for t in spec.targets])
    if spec.fit_until is not None:
        table["sample"] = [spec.sample(t) for t in spec.targets]
    return table


def declaration_line(p: Param, value: Any, calibrated: str) -> str:
    """The ``_p(...)`` call declaring ``p`` with a new default and its provenance."""
    args = [repr(p.name), repr(value), repr(p.kind), repr(p.unit), repr(p.group),
            repr(p.description), repr(p.source)]
    if p.low is not None:
        args += [repr(p.low), repr(p.high)]
    extra = [f"calibrated={calibrated!r}"]
    return f"_p({', '.join(args)},\n   {', '.join(extra)})"


def figure(scored: pd.DataFrame, spec: CalibrationSpec):
    """Per free parameter: distance of every sample against its value, accepted ones marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    k = len(spec.free)
    cols = min(k, 3)
    rows = -(-k // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    finite = scored[scored["distance"] < float("inf")]
    acc = finite[finite["accepted"]]
    for ax, (pname, (low, high)) in zip(axes.flat, spec.free.items(), strict=False):
        ax.scatter(finite[pname], finite["distance"], s=10, color="0.6", label="all samples")
        ax.scatter(acc[pname], acc["distance"], s=16, color="tab:red", label="accepted")
        ax.set_xlim(low, high)
        ax.set_xlabel(pname)
        ax.set_ylabel("distance to targets")
        ax.set_yscale("log")
    for ax in list(axes.flat)[k:]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=8)
    fig.suptitle(f"Calibration {spec.name}: {len(finite)} samples, {len(acc)} accepted")
    fig.tight_layout()
    return fig


def _split(spec: CalibrationSpec) -> dict[str, Any]:
    """The manifest's record of a hindcast split (nothing for a spec without ``fit_until``)."""
    if spec.fit_until is None:
        return {}
    return {"fit_until": spec.fit_until, "fit_steps": spec.fit_steps,
            "fitted_targets": [t.name for t in spec.fit_targets],
            "held_out_targets": [t.name for t in spec.held_out]}


def run_calibration(spec: CalibrationSpec, out: str | Path, *, workers: int | None = None,
                    resume: bool = False, progress: bool = False,
                    command: list[str] | None = None) -> dict[str, Any]:
    """Run (or resume) the calibration in ``out`` and write its report; return a summary."""
    from ..sweep import run_sweep
    from ..sweep.spec import parse_spec

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SamenError(f"output {out} exists and is not a folder")
    if out.exists() and any(out.iterdir()) and not resume:
        raise SamenError(f"output folder {out} exists and is not empty; choose a new folder, "
                         f"or resume the calibration in it")
    if resume and (out / "report").exists():
        raise SamenError(f"the calibration in {out} is already complete (it has a report)")
    sweep_spec = parse_spec(spec.sweep_dict(), where="calibration")
    sweep_dir = out / "sweep"
    started = datetime.now(timezone.utc)
    runs = run_sweep(sweep_spec, workers=workers, out=sweep_dir, resume=resume and sweep_dir.exists(),
                     run_fn=run_measured, progress=progress, command=command)
    failed = int((runs["status"] != "ok").sum())
    stats = sample_statistics(spec, sweep_dir, runs)
    scored = score(stats, spec.fit_targets, spec.accept)
    post = posterior(scored, spec)
    chosen = chosen_values(post)
    date = started.strftime("%Y-%m-%d")
    prov = provenance(spec, command, date)
    lines = [declaration_line(PARAMS[n], v, prov) for n, v in chosen.items()]
    best = scored.loc[scored["distance"].idxmin()]
    with atomic_dir(out / "report") as tmp:
        scored.sort_values("rank").to_csv(tmp / "samples.csv", index=False)
        scored[scored["accepted"]].sort_values("rank").to_csv(tmp / "accepted.csv", index=False)
        post.to_csv(tmp / "posterior.csv", index=False)
        targets_table(spec).to_csv(tmp / "targets.csv", index=False)
        (tmp / "parameters.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        fig = figure(scored, spec)
        fig.savefig(tmp / "calibration.png", dpi=110)
        write_json({
            "kind": "calibration", "spec": spec.to_dict(), "spec_path": spec.path,
            "runs": len(runs), "failed_runs": failed, "samples": len(scored),
            "accepted": int(scored["accepted"].sum()), "fitting_samples": int(scored["fits"].sum()),
            "best": {"sample_id": int(best["sample_id"]), "distance": float(best["distance"]),
                     **{p: float(best[p]) for p in spec.free}},
            "chosen": chosen, "provenance": prov, "started_at": started.isoformat(timespec="seconds"),
            **_split(spec),
            "files": list(REPORT_FILES), **manifest_base(command),
        }, tmp / "manifest.json")
    return {"scored": scored, "posterior": post, "chosen": chosen, "lines": lines, "best": best,
            "failed": failed, "provenance": prov, "report": out / "report"}
