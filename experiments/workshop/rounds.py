"""Rounds mode: tables submit policies, the room compares them on the same seeds.

The facilitator opens a round (a title, the outcomes the room chose, the horizon in years,
the number of seeds and a master seed). Each table submits a named policy (lever values);
a later submission under the same name replaces the earlier one. :func:`compare_round` runs
every submission and the baseline card on the same seeds — replication r of every policy
uses :func:`experiments.api.child_seed` ``(master, r)``, the seed of
``SeedSequence(master).spawn(n)[r]`` — and ranks the tables on the chosen outcomes.

:class:`RoundStore` keeps the rounds on the server, shared by every browser session, and
in a JSON file written atomically (temporary file, then rename), so that a page reload
or a server restart loses nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from model.parameters import LEVERS, ParameterError, Parameters

from ..api import check_seed, child_seeds, run
from ..errors import SamenError
from ..i18n import OUTCOMES
from .cards import Card
from .live import dashboard_overrides

#: Default location of the store, relative to the working directory.
DEFAULT_STORE = Path("results") / "workshop" / "rounds.json"
STORE_VERSION = 1
MAX_NAME = 40


def facilitator_code() -> str | None:
    """The code that opens, closes and compares rounds: set by ``samen workshop``
    (``$SAMEN_WORKSHOP_CODE``), which prints it at its start."""
    return os.environ.get("SAMEN_WORKSHOP_CODE") or None


def new_facilitator_code() -> str:
    """Six characters, without ones that are easily mixed up (0/O, 1/I/L)."""
    import secrets

    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(6))


def check_facilitator(entered: str, lang: str = "en") -> None:
    """SamenError unless ``entered`` is the facilitator code (compared in constant time,
    ignoring case and spaces): tables can submit, only the facilitator runs the round."""
    import hmac

    from ..i18n import tr

    expected = facilitator_code()
    given = "".join(str(entered or "").split()).upper()
    if expected is None or not hmac.compare_digest(given.encode(), expected.upper().encode()):
        raise SamenError(tr("ws_code_needed", lang))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def check_levers(levers: Mapping[str, Any]) -> dict[str, Any]:
    """Lever values validated against the declarations (only levers allowed)."""
    other = sorted(set(levers) - set(LEVERS))
    if other:
        raise SamenError(f"only policy levers can be submitted, not {', '.join(other)}")
    try:
        p = Parameters(**levers)
    except ParameterError as exc:
        raise SamenError(str(exc)) from None
    return {name: getattr(p, name) for name in levers}


class RoundStore:
    """Rounds with their submissions and results, in memory and in ``path``.

    Every change bumps :attr:`revision`, which sessions poll to notice submissions made
    in other browsers.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self.revision = 0
        self._rounds: list[dict] = self._load()

    def _load(self) -> list[dict]:
        if not self.path.exists():
            return []
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SamenError(f"round store {self.path} cannot be read: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != STORE_VERSION or not isinstance(
                data.get("rounds"), list):
            raise SamenError(f"round store {self.path} is not a Samen round store (version {STORE_VERSION})")
        return data["rounds"]

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"version": STORE_VERSION, "rounds": self._rounds}, indent=1, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(prefix=".rounds-", suffix=".json", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.revision += 1

    def rounds(self) -> list[dict]:
        with self._lock:
            return json.loads(json.dumps(self._rounds))

    def current(self) -> dict | None:
        """The latest round (open or closed), as a copy."""
        with self._lock:
            return json.loads(json.dumps(self._rounds[-1])) if self._rounds else None

    def open_round(self, title: str, outcomes: list[str], years: int = 10, replications: int = 3,
                   seed: int = 1) -> dict:
        title = " ".join(str(title).split())
        if not title:
            raise SamenError("a round needs a title")
        unknown = [o for o in outcomes if o not in OUTCOMES]
        if unknown or not outcomes:
            raise SamenError(f"choose at least one outcome of {', '.join(OUTCOMES)}"
                             + (f" (unknown: {', '.join(unknown)})" if unknown else ""))
        if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 30:
            raise SamenError(f"years {years!r} must be a whole number from 1 to 30")
        if isinstance(replications, bool) or not isinstance(replications, int) or not 1 <= replications <= 20:
            raise SamenError(f"seeds per policy {replications!r} must be a whole number from 1 to 20")
        seed = check_seed(seed)
        with self._lock:
            for r in self._rounds:
                r["open"] = False
            new = {"id": len(self._rounds) + 1, "title": title, "outcomes": list(dict.fromkeys(outcomes)),
                   "years": years, "replications": replications, "seed": seed, "open": True,
                   "opened_at": _now(), "submissions": [], "results": None}
            self._rounds.append(new)
            self._save()
            return json.loads(json.dumps(new))

    def submit(self, table: str, levers: Mapping[str, Any]) -> dict:
        """Add or replace the submission of ``table`` in the open round."""
        table = " ".join(str(table).split())
        if not table:
            raise SamenError("a submission needs the name of the table")
        if len(table) > MAX_NAME:
            raise SamenError(f"table names are at most {MAX_NAME} characters")
        levers = check_levers(levers)
        with self._lock:
            current = self._rounds[-1] if self._rounds else None
            if current is None or not current["open"]:
                raise SamenError("no round is open; the facilitator opens one first")
            entry = {"table": table, "levers": levers, "submitted_at": _now()}
            subs = [s for s in current["submissions"] if s["table"] != table]
            current["submissions"] = [*subs, entry]
            current["results"] = None  # results no longer cover every submission
            self._save()
            return dict(entry)

    def close_round(self) -> None:
        with self._lock:
            if self._rounds:
                self._rounds[-1]["open"] = False
                self._save()

    def set_results(self, round_id: int, results: dict) -> None:
        with self._lock:
            for r in self._rounds:
                if r["id"] == round_id:
                    r["results"] = results
                    self._save()
                    return
        raise SamenError(f"no round {round_id}")


def compare_round(round_: Mapping[str, Any], baseline: Card,
                  progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Run the baseline card and every submission on the round's seeds; one row per
    policy, seed and outcome with the value at the end of the horizon."""
    if not round_["submissions"]:
        raise SamenError("no table has submitted a policy yet")
    seeds = child_seeds(round_["seed"], round_["replications"])
    steps = 4 * round_["years"]
    policies = [("", {})] + [(s["table"], s["levers"]) for s in round_["submissions"]]
    rows, total, done = [], len(policies) * len(seeds), 0
    # seed by seed, so that every policy branches from the seed's one spun-up start
    for rep, seed in enumerate(seeds):
        for order, (table, levers) in enumerate(policies):
            result = run(baseline.scenario, overrides={**baseline.overrides, **dashboard_overrides(levers)},
                         seed=seed, steps=steps)
            end = result.series.iloc[-1]
            for outcome in OUTCOMES:
                rows.append({"table": table, "replication": rep, "seed": seed, "outcome": outcome,
                             "value": float(end[outcome]), "_order": order})
            done += 1
            if progress:
                progress(done, total)
    frame = pd.DataFrame(rows).sort_values(["_order", "replication"], kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


def rank_tables(runs: pd.DataFrame, outcomes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Paired differences from the baseline (table "") and the ranking of the tables.

    Returns ``(comparison, ranking)``: comparison has per table and outcome the mean
    difference over seeds and its range; ranking has per table the rank on each chosen
    outcome (1 = best, respecting outcomes where lower is better) and the mean rank, best
    first, ties broken by name.
    """
    base = runs[runs["table"] == ""].set_index(["replication", "outcome"])["value"]
    tables = runs[runs["table"] != ""].copy()
    tables["difference"] = tables["value"].to_numpy() - base.reindex(
        pd.MultiIndex.from_frame(tables[["replication", "outcome"]])).to_numpy()
    tables = tables[tables["outcome"].isin(outcomes)]
    comparison = (tables.groupby(["table", "outcome"], sort=False)
                  .agg(value=("value", "mean"), difference=("difference", "mean"),
                       difference_low=("difference", "min"), difference_high=("difference", "max"))
                  .reset_index())
    ranking = pd.DataFrame({"table": list(dict.fromkeys(comparison["table"]))}).set_index("table")
    for outcome in outcomes:
        d = comparison[comparison["outcome"] == outcome].set_index("table")["difference"]
        if OUTCOMES[outcome].lower_is_better:
            d = -d
        ranking[outcome] = d.rank(ascending=False, method="min").astype(int)
    ranking["mean_rank"] = ranking[list(outcomes)].mean(axis=1)
    ranking = ranking.reset_index().sort_values(["mean_rank", "table"]).reset_index(drop=True)
    ranking.insert(0, "place", range(1, len(ranking) + 1))
    return comparison, ranking


def results_record(round_: Mapping[str, Any], runs: pd.DataFrame) -> dict:
    """What the store keeps of a comparison: which submissions it covered and the runs."""
    return {"computed_at": _now(), "tables": [s["table"] for s in round_["submissions"]],
            "runs": runs.to_dict(orient="records")}


def store_path(path: str | Path | None = None) -> Path:
    """The store file: ``path``, else ``$SAMEN_WORKSHOP_STORE``, else results/workshop/rounds.json."""
    return Path(path or os.environ.get("SAMEN_WORKSHOP_STORE") or DEFAULT_STORE)
