"""Running a sweep: local processes or a Dask cluster, written run by run, resumable.

The run function is a parameter (default :func:`model_run`, which calls
:func:`experiments.api.run`), so the same runner drives the model and the tests' tiny
fakes. It is called as ``run_fn(scenario, overrides, seed, steps)`` and returns the
national series (a DataFrame with ``step``, ``year`` and the outcome columns), a mapping of
table name to DataFrame with at least ``"series"``, or an object with a ``.tables``
mapping (an :class:`experiments.api.RunResult`). With ``keep_series`` every table is
stored per run, except ``localities`` (thousands of rows per run), which needs
``keep_localities`` too. It must be a module-level function so that it can be sent to other
processes and machines.

Runs are evaluated by :func:`execute_run` wherever they execute; only the sweep's own
process writes files, so Dask workers on other machines need no shared disk. Locally they run
through :func:`local_map`, the project's one process pool, which the validation uses too.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import functools
import itertools
import math
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import SamenError
from ..progress import Progress
from . import store
from .design import RunTask, build_design, build_tasks, problem
from .spec import SweepSpec, load_spec

RunFn = Callable[[str, dict, int, int], Any]
#: Statistics kept per outcome besides its last value: suffix -> description.
STATISTICS = {
    "_mean_last_year": "mean over the steps of the last simulated year (the last 4 quarters)",
    "_change": "last value minus the value at step 0",
}
#: How often a run is retried when the process or worker running it dies.
DEFAULT_RETRIES = 2
#: Longest error text kept per failed run.
MAX_ERROR = 2000
#: Most runs of one seed sent to a worker as one job (:func:`start_batches`): the scenarios of
#: a scenarios design, whose results then arrive together.
MAX_BATCH = 8


def model_run(scenario: str, overrides: dict, seed: int, steps: int) -> dict[str, pd.DataFrame]:
    """Run the Samen model (the default run function of a sweep): its tables by name."""
    from ..api import run

    return dict(run(scenario, overrides=overrides, seed=seed, steps=steps, progress=False).tables)


def result_tables(result: Any) -> dict[str, pd.DataFrame]:
    """A run function's result as tables by name, ``series`` among them."""
    if isinstance(result, pd.DataFrame):
        return {"series": result}
    tables = result if isinstance(result, Mapping) else getattr(result, "tables", None)
    if not isinstance(tables, Mapping) or not isinstance(tables.get("series"), pd.DataFrame):
        raise TypeError("a run function returns a series DataFrame or a mapping of tables with 'series'")
    return dict(tables)


def mean_last_year(series: pd.DataFrame, outcomes) -> dict[str, float]:
    """Each outcome's mean over the last simulated year (the rows within a year of the last)."""
    if "year" in series.columns:
        last_year = series[series["year"] > float(series["year"].iloc[-1]) - 1 + 1e-9]
    else:
        last_year = series.tail(4)
    return {o: float(last_year[o].mean()) for o in outcomes}


def summarise(series: pd.DataFrame, outcomes: tuple[str, ...]) -> dict[str, float]:
    """Each outcome's last value plus the statistics of :data:`STATISTICS`."""
    last = series.iloc[-1]
    year_means = mean_last_year(series, outcomes)
    out: dict[str, float] = {}
    for o in outcomes:
        out[o] = float(last[o])
    for o in outcomes:
        out[f"{o}_mean_last_year"] = year_means[o]
        out[f"{o}_change"] = float(last[o] - series[o].iloc[0])
    return out


def outcome_columns(outcomes: tuple[str, ...]) -> list[str]:
    return list(outcomes) + [f"{o}{s}" for s in STATISTICS for o in outcomes]


def _record(task: RunTask, outcomes: tuple[str, ...]) -> dict[str, Any]:
    return {"run_id": task.run_id, "sample_id": task.sample_id, "replication": task.replication,
            "seed": task.seed, "scenario": task.scenario, **task.values}


def execute_run(task: RunTask, run_fn: RunFn, outcomes: tuple[str, ...],
                keep_series: bool, keep_localities: bool = False,
                ) -> tuple[dict[str, Any], dict[str, pd.DataFrame] | None]:
    """Run one task; return its runs-table row and (if kept) its tables by name.

    ``localities`` is kept only with ``keep_localities`` as well as ``keep_series``.

    An exception inside the run becomes a row with status "failed" and the error text;
    only the death of the process itself escapes (and is retried by the executor).
    """
    record = _record(task, outcomes)
    t0 = time.perf_counter()
    try:
        tables = result_tables(run_fn(task.scenario, dict(task.overrides), task.seed, task.steps))
        series = tables["series"]
        missing = [o for o in outcomes if o not in series.columns]
        if missing:
            raise KeyError(f"the run's series lacks outcome column(s) {', '.join(missing)}")
        record.update(summarise(series, outcomes))
        record.update(status="ok", error=None)
    except Exception as exc:  # a failing run is data, not the end of the sweep
        record.update({c: math.nan for c in outcome_columns(outcomes)})
        record.update(status="failed", error=_error_text(exc))
        tables = None
    record["duration_s"] = time.perf_counter() - t0
    if tables is None or not keep_series:
        return record, None
    kept = {}
    for name, frame in tables.items():
        if name == "localities" and not keep_localities:
            continue
        frame = frame.drop(columns="run_id", errors="ignore")
        frame.insert(0, "run_id", task.run_id)
        kept[name] = frame
    return record, kept


def _error_text(exc: BaseException) -> str:
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text[:MAX_ERROR]


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def default_out(spec: SweepSpec, now: datetime | None = None, base: str | Path = "results/sweeps") -> Path:
    """``results/sweeps/<name>-<UTC time>``, relative to the current directory."""
    from ..output import utc_stamp

    return Path(base) / f"{spec.name}-{utc_stamp(now)}"


def connect(address: str, timeout: float = 10):
    """A Dask client of the scheduler at ``address``, or SamenError (nothing is written)."""
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dask[distributed] is a dependency
        raise SamenError("a Dask scheduler needs dask[distributed]: pip install 'dask[distributed]'") from None
    if "://" not in address:
        raise SamenError(f"scheduler address {address!r} must look like tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786)")
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:  # OSError, TimeoutError, ValueError for bad addresses
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise SamenError(f"cannot reach the Dask scheduler at {address}: {reason}") from None


def run_sweep(
    spec: SweepSpec | str | Path | Mapping[str, Any],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    run_fn: RunFn = model_run,
    progress: bool = False,
    retries: int = DEFAULT_RETRIES,
    command: list[str] | None = None,
    connect_timeout: float = 10,
) -> pd.DataFrame:
    """Run a sweep and return its runs table (also written to ``out/runs.parquet``).

    ``workers`` local processes (default: every core; 1 runs in this process) or, with
    ``scheduler="tcp://HOST:PORT"``, a Dask cluster. ``resume=True`` continues the sweep
    in ``out`` (same spec required), running only the runs without a stored row
    (``retry_failed`` also reruns failed ones). ``progress`` shows a bar on a terminal and
    plain progress lines otherwise (:class:`experiments.progress.Progress`). The function
    returns normally when some runs failed: look at the ``status`` and ``error`` columns.
    """
    if not isinstance(spec, SweepSpec):
        spec = load_spec(spec)
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise SamenError(f"workers {workers!r} must be a whole number of at least 1")
    if resume and out is None:
        raise SamenError("resuming needs the folder of the sweep to resume (out)")
    out = Path(out) if out is not None else default_out(spec)
    existing = out.exists() and (not out.is_dir() or any(out.iterdir()))
    if out.exists() and not out.is_dir():
        raise SamenError(f"output {out} exists and is not a folder")
    if existing and not resume:
        raise SamenError(f"output folder {out} exists and is not empty; choose a new folder, "
                         f"or resume the sweep in it")
    manifest: dict[str, Any] | None = None
    if existing:
        manifest = store.read_manifest(out)
        _check_same_spec(spec, manifest, out)

    client = connect(scheduler, connect_timeout) if scheduler else None  # before anything is written
    try:
        return _run(spec, out, manifest, client, workers or default_workers(), retry_failed,
                    run_fn, progress, retries, command, scheduler)
    finally:
        if client is not None:
            client.close()


def _check_same_spec(spec: SweepSpec, manifest: dict[str, Any], out: Path) -> None:
    old = manifest.get("spec", {})
    new = spec.to_dict()
    if old != new:
        diff = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        raise SamenError(f"the spec differs from the one the sweep in {out} was started with "
                         f"(key {diff[0]!r}); resume with the same spec or choose a new folder")


def _run(spec, out, manifest, client, workers, retry_failed, run_fn, progress, retries, command, scheduler):
    from ..output import manifest_base

    out.mkdir(parents=True, exist_ok=True)
    (out / store.PARTS).mkdir(exist_ok=True)
    design_file = out / store.DESIGN
    if manifest is not None and design_file.exists():
        # The stored design, not a regenerated one: a newer SALib must not change the samples.
        design = pd.read_parquet(design_file)
    else:
        design = build_design(spec)
        store.write_parquet_atomic(design, design_file)
    tasks = build_tasks(spec, design)
    columns = (list(store.ID_COLUMNS) + list(spec.factor_names) + outcome_columns(spec.outcomes)
               + list(store.STATUS_COLUMNS))

    store.remove_stale_temporaries(out)  # a killed earlier session may have left some
    stored = store.finished_runs(out)
    pending = [t for t in tasks if t.run_id not in stored
               or (retry_failed and stored[t.run_id] != "ok")]
    # runs of one seed next to each other (and sent together, see start_batches), so that one
    # worker builds each seed's spun-up start and branches every scenario of that seed from it
    # (api.shared_start keeps the last two); results are stored by run id, so the order of
    # running changes nothing else
    pending.sort(key=lambda t: t.seed)
    executor = ({"kind": "dask", "scheduler": scheduler} if client is not None
                else {"kind": "local", "workers": workers})
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    sessions = (manifest or {}).get("sessions", [])
    sessions.append({"started_at": started, "ended_at": None, "executor": executor,
                     "runs_attempted": len(pending)})
    base = manifest_base(command)
    manifest = {
        "kind": "sweep",
        "spec": spec.to_dict(),
        "spec_path": spec.path,
        "problem": problem(spec),
        "run_function": f"{run_fn.__module__}.{run_fn.__qualname__}",
        "statistics": STATISTICS,
        "started_at": (manifest or {}).get("started_at", started),
        "ended_at": None,
        "status": "running",
        "sessions": sessions,
        "counts": _counts(len(tasks), stored),
        "files": {"runs": store.RUNS, "design": store.DESIGN, "parts": store.PARTS + "/",
                  "tables": store.table_names(out)},
        **base,
    }
    store.write_json_atomic(manifest, out / store.MANIFEST)

    pending_ids = {t.run_id for t in pending}
    failed_now = sum(1 for rid, s in stored.items() if s != "ok" and rid not in pending_ids)
    bar = Progress(len(tasks), f"sweep {spec.name}", initial=len(tasks) - len(pending), failed=failed_now,
                   enabled=progress)
    status = "interrupted"
    results = (_dask_results(client, pending, run_fn, spec, retries) if client is not None
               else _local_results(pending, run_fn, spec, workers, retries))
    try:
        for record, tables in results:
            store.write_record(out, record, tables)
            stored[record["run_id"]] = record["status"]
            bar.update(1, failed=int(record["status"] != "ok"))
        status = "complete"
    finally:
        results.close()  # stops the pool or cancels the Dask futures when interrupted
        bar.close()
        table = store.consolidate(out, columns)
        ended = datetime.now(timezone.utc).isoformat(timespec="seconds")
        manifest["sessions"][-1]["ended_at"] = ended
        manifest.update(ended_at=ended, status=status, counts=_counts(len(tasks), stored))
        manifest["files"]["tables"] = store.table_names(out)
        store.write_json_atomic(manifest, out / store.MANIFEST)
    return table


def _counts(total: int, stored: dict[int, str]) -> dict[str, int]:
    ok = sum(1 for s in stored.values() if s == "ok")
    failed = len(stored) - ok
    return {"runs": total, "ok": ok, "failed": failed, "missing": total - len(stored)}


def ordered_map(fn: Callable[[Any], Any], items: Sequence[Any], workers: int,
                on_done: Callable[[int], Any] | None = None) -> list[Any]:
    """``[fn(item) for item in items]`` over :func:`local_map`'s pool, in item order.

    ``on_done(k)`` is called after the k-th item finishes (for a progress display).
    """
    results: list[Any] = [None] * len(items)
    for done, (index, value) in enumerate(local_map(fn, items, max(1, min(workers, len(items)))), start=1):
        results[index] = value
        if on_done:
            on_done(done)
    return results


def local_map(fn: Callable[[Any], Any], items: Sequence[Any], workers: int, retries: int = DEFAULT_RETRIES,
              died: Callable[[Any, str], Any] | None = None) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, fn(items[index]))`` for every item as it finishes: in this process
    when ``workers`` is 1, else in a pool of ``workers`` spawned processes.

    ``fn`` must be picklable (a module-level function or a ``functools.partial`` of one).
    When a worker process dies (killed, out of memory) the pool breaks and every item in
    flight is lost; those items go into a fresh pool, at most ``retries`` times. After that
    ``died(item, reason)`` gives each remaining item's result, in item order; without
    ``died`` the broken pool's error is raised. Closing the iterator stops the pool.
    """
    if workers == 1:
        for index, item in enumerate(items):
            yield index, fn(item)
        return
    context = multiprocessing.get_context("spawn")  # fork is unsafe with threads (tqdm, Dask)
    pending = dict(enumerate(items))
    attempts = 0
    while pending:
        size = min(workers, len(pending))
        pool = cf.ProcessPoolExecutor(max_workers=size, mp_context=context, initializer=share_cores,
                                      initargs=(size,))
        try:
            futures = {pool.submit(fn, item): index for index, item in pending.items()}
            broken = None
            for future in cf.as_completed(futures):
                index = futures[future]
                try:
                    result = future.result()
                except cf.process.BrokenProcessPool as exc:
                    broken = exc
                    continue
                del pending[index]
                yield index, result
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if pending and broken is None:  # cannot happen: every future either ran or broke
            raise RuntimeError(f"{len(pending)} items neither finished nor failed")
        if pending:
            attempts += 1
            if attempts > retries:
                if died is None:
                    raise broken
                reason = f"worker process died {attempts} times: {_error_text(broken)}"
                for index in sorted(pending):
                    yield index, died(pending[index], reason)
                return


def share_cores(processes: int) -> None:
    """Let this process's citizen passes use its share of the cores, ``processes`` sharing them.

    Each worker's runs split their citizen passes over ``cores // processes`` threads (at least
    one), so that workers and threads together do not ask for more cores than there are;
    results do not depend on it (model/threads.py).
    """
    from model.threads import available_cores, set_threads

    set_threads(max(1, available_cores() // processes))


def start_batches(tasks: Sequence[RunTask], max_batch: int = MAX_BATCH) -> list[tuple[RunTask, ...]]:
    """The tasks (sorted by seed) as the jobs sent to workers: the runs of a seed that has at
    most ``max_batch`` of them together, every other run alone.

    A scenarios design runs a few scenarios per seed: sent one by one they spread over the
    workers, and every worker would build that seed's spun-up start; sent together, one worker
    builds it once. A seed with many runs keeps them apart (they come one after another, so each
    worker builds its start at most once), so that progress and resuming stay run by run.
    """
    batches: list[tuple[RunTask, ...]] = []
    for _, group in itertools.groupby(tasks, key=lambda t: t.seed):
        group = tuple(group)
        batches.extend([group] if len(group) <= max_batch else [(task,) for task in group])
    return batches


def execute_batch(tasks: Sequence[RunTask], run_fn: RunFn, outcomes: tuple[str, ...], keep_series: bool,
                  keep_localities: bool = False) -> list[tuple[dict[str, Any], dict[str, pd.DataFrame] | None]]:
    """:func:`execute_run` for each task in turn (in one worker, so they share its starts)."""
    return [execute_run(task, run_fn, outcomes, keep_series, keep_localities) for task in tasks]


def _dask_batch(*args) -> list[tuple[dict[str, Any], dict[str, pd.DataFrame] | None]]:
    """:func:`execute_batch` on a Dask worker: one thread per run, as a worker runs one task per thread of its own."""
    from model.threads import set_threads

    set_threads(1)
    return execute_batch(*args)


def _failed(task: RunTask, outcomes: tuple[str, ...], reason: str) -> tuple[dict, None]:
    """The runs-table row of a run that did not run: ``reason`` says why."""
    record = _record(task, outcomes)
    record.update({c: math.nan for c in outcome_columns(outcomes)})
    record.update(status="failed", duration_s=math.nan, error=reason)
    return record, None


def _local_results(tasks: list[RunTask], run_fn: RunFn, spec: SweepSpec, workers: int,
                   retries: int) -> Iterator[tuple[dict, dict | None]]:
    """Evaluate tasks with :func:`local_map`; a run whose worker keeps dying is recorded as failed."""
    def died(batch: tuple[RunTask, ...], reason: str) -> list[tuple[dict, None]]:
        return [_failed(task, spec.outcomes, reason) for task in batch]

    job = functools.partial(execute_batch, run_fn=run_fn, outcomes=spec.outcomes, keep_series=spec.keep_series,
                            keep_localities=spec.keep_localities)
    with contextlib.closing(local_map(job, start_batches(tasks), workers, retries, died)) as results:
        for _, batch in results:
            yield from batch


def _dask_results(client, tasks: list[RunTask], run_fn: RunFn, spec: SweepSpec,
                  retries: int) -> Iterator[tuple[dict, dict | None]]:
    """Evaluate tasks on a Dask cluster; a run whose worker dies is retried ``retries`` times."""
    from distributed import as_completed

    token = f"{spec.name}-{os.getpid()}-{time.time_ns()}"
    futures = {}
    for batch in start_batches(tasks):
        future = client.submit(_dask_batch, batch, run_fn, spec.outcomes, spec.keep_series, spec.keep_localities,
                               key=f"samen-run-{token}-{batch[0].run_id}", retries=retries, pure=False)
        futures[future.key] = (future, batch)
    try:
        for future in as_completed([f for f, _ in futures.values()], loop=client.loop):
            batch = futures[future.key][1]
            try:
                yield from future.result()
            except Exception as exc:  # KilledWorker after the retries, or a lost connection
                for task in batch:
                    yield _failed(task, spec.outcomes, _error_text(exc))
            finally:
                future.release()
    finally:
        unfinished = [f for f, _ in futures.values() if not f.done()]
        if unfinished:
            client.cancel(unfinished)

