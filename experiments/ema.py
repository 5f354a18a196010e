"""A Samen sweep as the EMA Workbench's ``(experiments, outcomes)`` pair.

The EMA Workbench (Kwakkel 2017; ``pip install "samen[ema]"``) returns from
``perform_experiments`` a DataFrame of experiments (one row per run: its uncertainties and
levers, plus ``scenario``, ``policy`` and ``model``) and a dict of outcome arrays in the same
order. :func:`to_ema` gives a stored Samen sweep that shape, so that EMA's PRIM (with
pasting and several boxes), CART, feature scoring and dimensional stacking run on it::

    from experiments.ema import to_ema
    from ema_workbench.analysis import prim

    experiments, outcomes = to_ema("results/sweeps/lhs")
    box = prim.Prim(experiments[["investment_eur", "partnership"]],
                    outcomes["trust_government"] > 0.45).find_box()

Mapping: the varied parameters become columns (choices as pandas categoricals with the
spec's options, as EMA's ``CategoricalParameter`` gives; whole-number parameters as floats,
because EMA 3's PRIM writes limits such as 3.5 into the column's type, which pandas 3
refuses for integers); ``policy`` is the Samen scenario
a run used (the policy of a ``policies`` design, the scenario of a ``scenarios`` design,
the base scenario otherwise); ``scenario`` is the sample (the sampled future of a
``policies`` design), and ``model`` is ``"samen"``. Only successful runs are included.
Reading needs no EMA installation; analysing does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .sweep.analysis import load_sweep, outcome_names
from .sweep.design import future_of
from .sweep.runner import outcome_columns


def to_ema(sweep_dir: str | Path, outcomes: list[str] | None = None) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """``(experiments, outcomes)`` of the successful runs of a sweep folder, EMA-style.

    ``outcomes`` names the outcome columns to return (default: every kept outcome with its
    ``_mean_last_year`` and ``_change`` statistics).
    """
    sweep = load_sweep(sweep_dir)
    spec = sweep.spec
    ok = sweep.ok.reset_index(drop=True)
    columns = outcome_names(sweep, outcomes) if outcomes else [c for c in outcome_columns(spec.outcomes)
                                                               if c in ok.columns]
    experiments = pd.DataFrame(index=ok.index)
    for f in spec.factors:
        values = ok[f.name]
        if f.kind == "choice":
            experiments[f.name] = pd.Categorical(values, categories=list(f.choices))
        else:
            experiments[f.name] = values.astype(float)
    sample = future_of(spec, ok["sample_id"]) if spec.design == "policies" else ok["sample_id"]
    experiments["scenario"] = sample.astype(np.int64).to_numpy()
    experiments["policy"] = ok["scenario"].astype(str).to_numpy()
    experiments["model"] = "samen"
    return experiments, {c: ok[c].to_numpy(dtype=float) for c in columns}
