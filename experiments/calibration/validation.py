"""Pattern-oriented validation of the calibrated baseline (Grimm et al. 2005; issue 7).

``validate`` runs the baseline ``replications`` times (replication r gets the seed
:func:`experiments.api.child_seed` ``(seed, r)``) plus three small controlled experiments on
the same seeds and every shipped policy scenario once (the hindcast aside), and measures each pattern of
:data:`PATTERNS` from model outputs (the national series joined with
:mod:`experiments.calibration.measures`):

- *baseline*: ``steps`` quarters from ``start_year`` (default 40: 2024-2033);
- *news shock*: after one year, every citizen's trust dispositions (national government and
  other people) are shifted by ``-NEWS_SHOCK`` (bad news) or ``+NEWS_SHOCK`` (good news);
  responses are measured ``NEWS_QUARTERS`` later against the unshocked baseline run with
  the same seed (common random numbers);
- *hand-over*: after one year, municipalities hand ``HANDOVER_SHARE`` of their care points
  and bus lines to local collectives through the model's own right-to-challenge rule
  (``SamenModel.hand_over``); the load and burnout of boards (``board_load``,
  ``board_burnout``) and of volunteers (``volunteer_load``; ``volunteer_burnout``, the mean
  over everyone with a role) are compared with the baseline;
- *scenarios*: each shipped policy scenario once (first seed) for pattern 5.

A pattern passes when the median over replications lies in its band ``[low, high]``.
Replications run through the sweep runner's process pool
(:func:`experiments.sweep.runner.local_map`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..api import DEFAULT_STEPS, child_seeds
from ..sweep.runner import ordered_map
from . import Target, load_calibration
from .measures import run_measured

NEWS_SHOCK = 0.05  # shift of trust dispositions in the news experiment (trust units)
NEWS_QUARTERS = 4  # quarters after the shock at which the response is measured
SHOCK_STEP = 4  # the shock / hand-over happens before this step (after one simulated year)
HANDOVER_SHARE = 0.25  # share of municipal care points and bus lines handed over
HANDOVER_QUARTERS = 4
CONTROL_STEPS = SHOCK_STEP + NEWS_QUARTERS


@dataclass(frozen=True)
class Pattern:
    """One validation pattern: a measure of one replication's runs and a pass band."""

    key: str
    pattern: str
    source: str
    target: str
    low: float
    high: float
    measure: Callable[[dict[str, pd.DataFrame]], float]

    def passes(self, median: float) -> bool:
        return bool(np.isfinite(median) and self.low <= median <= self.high)


# ---- measures of one replication ------------------------------------------------------------
def _at(series: pd.DataFrame, year: float, column: str) -> float:
    row = series.loc[np.isclose(series["year"], year)]
    return float(row[column].iloc[0]) if len(row) else math.nan


def _yearly(series: pd.DataFrame, column: str) -> np.ndarray:
    """Values at the first quarter of each simulated year (step 0, 4, 8, ...)."""
    return series.loc[series["step"] % 4 == 0, column].to_numpy(dtype=float)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _edu_mean(s: pd.DataFrame, level: str) -> float:
    return float(s[f"participation_{level}"].iloc[4:].mean())


def _ordering(r):
    s = r["baseline"]
    low, mid, high = (_edu_mean(s, x) for x in ("low", "middle", "high"))
    return min(mid - low, high - mid)


def _lor_low(r):
    s = r["baseline"]
    return _logit(_edu_mean(s, "low")) - _logit(_edu_mean(s, "middle"))


def _lor_high(r):
    s = r["baseline"]
    return _logit(_edu_mean(s, "high")) - _logit(_edu_mean(s, "middle"))


def _s_curve_peak(r):
    """Year (0 = the first simulated year) in which energy cooperatives grew most; -1 when they
    grew in no year (a falling count has no S-curve, and its 'fastest growth' is only the
    smallest fall)."""
    inc = np.diff(_yearly(r["baseline"], "energy_cooperatives"))
    if not len(inc):
        return math.nan
    return float(np.argmax(inc)) if inc.max() > 0 else -1.0


def _late_coop_growth(r):
    y = _yearly(r["baseline"], "energy_cooperatives")
    return float((y[-1] / y[-3]) ** 0.5 - 1) if len(y) >= 3 and y[-3] > 0 else math.nan


def _member_growth(r):
    y = _yearly(r["baseline"], "energy_members")
    return float((y[-1] / y[-3]) ** 0.5 - 1) if len(y) >= 3 and y[-3] > 0 else math.nan


def _energy_dissolution_rate(r):
    s = r["baseline"]
    years = (len(s) - 1) / 4
    gone = s["energy_dissolved"].iloc[-1] - s["energy_dissolved"].iloc[0]
    stock = s["energy_cooperatives"].mean()
    return float(gone / years / stock) if stock > 0 and years > 0 else math.nan


def _response(r, run: str, column: str) -> float:
    step = CONTROL_STEPS
    shocked = r[run].set_index("step")[column]
    control = r["baseline"].set_index("step")[column]
    return float(shocked.loc[step] - control.loc[step])


def _slow_others(r):
    """|response of trust in others| / |response of trust in government| to the same news."""
    gov = abs(_response(r, "bad_news", "trust_government")) + abs(_response(r, "good_news", "trust_government"))
    oth = abs(_response(r, "bad_news", "trust_others")) + abs(_response(r, "good_news", "trust_others"))
    return oth / gov if gov > 0 else math.nan


def _asymmetry(r):
    bad = -_response(r, "bad_news", "trust_government")
    good = _response(r, "good_news", "trust_government")
    return bad / good if good > 0 else math.nan


def _leader_share(r):
    last = r["baseline"].iloc[-1]
    total = last["dissolved_leaders"] + last["dissolved_money"] + last["dissolved_background"]
    return float(last["dissolved_leaders"] / total) if total > 0 else math.nan


def _members_remain(r):
    last = r["baseline"].iloc[-1]
    return (float(last["dissolved_leaders_with_members"] / last["dissolved_leaders"])
            if last["dissolved_leaders"] > 0 else math.nan)


def _handover_board_load(r):
    """Extra weekly hours of board members minus extra weekly hours of volunteers, one quarter
    after the hand-over."""
    step = SHOCK_STEP + 1
    h, b = r["handover"].set_index("step"), r["baseline"].set_index("step")
    return float((h.loc[step, "board_load"] - b.loc[step, "board_load"])
                 - (h.loc[step, "volunteer_load"] - b.loc[step, "volunteer_load"]))


def _handover_burnout_gap(r):
    """Extra burnout of board members minus extra burnout of everyone with a role (board and
    volunteers: ``volunteer_burnout``), a year after the hand-over. As the second mean holds the
    first with the board's share w, this is (1 - w) times the board-minus-volunteers gap: same
    sign."""
    step = SHOCK_STEP + HANDOVER_QUARTERS
    h, b = r["handover"].set_index("step"), r["baseline"].set_index("step")
    return float((h.loc[step, "board_burnout"] - b.loc[step, "board_burnout"])
                 - (h.loc[step, "volunteer_burnout"] - b.loc[step, "volunteer_burnout"]))


def _gini_moves(r):
    if "scenarios" not in r:
        return math.nan
    return float(max(abs(s["gini_income"].iloc[-1] - s["gini_income"].iloc[0]) for s in r["scenarios"].values()))


def _gaps_move(r):
    """Largest scenario effect (vs baseline) on access, participation or trust gaps between
    places and groups, divided by the largest movement of the Gini."""
    if "scenarios" not in r:
        return math.nan
    base = r["scenarios"]["baseline"].iloc[-1]
    cols = ("theil_access_between", "trust_gap_education", "participation_rate", "access")
    effect = max(abs(s.iloc[-1][c] - base[c]) for s in r["scenarios"].values() for c in cols)
    return float(effect / max(_gini_moves(r), 1e-4))


def _trust_gradient(r):
    s = r["baseline"]
    return float((s["trust_others_high"] - s["trust_others_low"]).iloc[-4:].mean())


def _local_premium(r):
    s = r["baseline"]
    return float((s["trust_local_government"] - s["trust_government"]).iloc[-4:].mean())


def _quarter_share(r):
    return float(r["baseline"]["active_quarter"].iloc[4:].mean())


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "p1_order",
        "1. participation rises with education: min(middle - low, high - middle)",
        source="SCP, Van Houwelingen, Boele & Dekker (2014), Burgermacht op eigen kracht?, Tabel 3.1",
        target="> 0", low=0.0, high=math.inf, measure=_ordering),
    Pattern(
        "p1_low",
        "1. log-odds of volunteering, low vs middle education",
        source="SCP 2014: -0.63 (conditional); band = same sign, within a factor 2",
        target="-0.63 [-1.26, -0.32]", low=-1.26, high=-0.315, measure=_lor_low),
    Pattern(
        "p1_high",
        "1. log-odds of volunteering, high vs middle education",
        source="SCP 2014: +0.38 (conditional); band = same sign, within a factor 2",
        target="+0.38 [0.19, 0.76]", low=0.19, high=0.76, measure=_lor_high),
    Pattern(
        "p2_s_curve",
        "2. energy coops follow an S-curve: year of fastest growth after the first",
        source="HIER, Lokale Energie Monitor 2017-2023 "
               "(https://www.hier.nu/lokale-energie-monitor-2023/burgercollectieven): 392, 484, 623, 697, 705, 714",
        target=">= 1 (inflection inside the run)", low=1.0, high=math.inf, measure=_s_curve_peak),
    Pattern(
        "p2_saturation",
        "2. number of energy coops saturates: growth per year, last 2 years",
        source="HIER, Lokale Energie Monitor 2021-2023: 697 -> 714, +1.2%/yr",
        target="+1.2%/yr [-1%, +3%]", low=-0.01, high=0.03, measure=_late_coop_growth),
    Pattern(
        "p2_members",
        "2. energy-coop membership keeps growing: growth per year, last 2 years",
        source="HIER, Lokale Energie Monitor 2021-2023: 112,000 -> 131,000 members, +8%/yr",
        target="+8%/yr [> +1%]", low=0.01, high=math.inf, measure=_member_growth),
    Pattern(
        "p2_dissolution",
        "2. energy-coop dissolutions stay rare: per coop per year",
        source="HIER, Lokale Energie Monitor 2022 "
               "(https://www.hier.nu/lokale-energie-monitor-2022/burgercollectieven): 5 of 705 removed (~0.7%/yr)",
        target="~1%/yr [0.2%, 2%]", low=0.002, high=0.02, measure=_energy_dissolution_rate),
    Pattern(
        "p3_slow_others",
        "3. trust in others moves slower than trust in national government (response ratio to the same "
        "news)",
        source="CBS Sociale samenhang en welzijn: trust in others 58% (2012) to 66% (2022), ~1 pp/yr; Tweede Kamer "
               "44% (Q1 2020), 58% (Q2 2020), 25% (Q4 2022) (reported by NRC, 30 March 2022 and 8 May 2023)",
        target="< 1 [0, 0.5]", low=0.0, high=0.5, measure=_slow_others),
    Pattern(
        "p3_asymmetry",
        "3. national trust falls more after bad news than it rises after good news (fall / rise)",
        source="Slovic (1993), Perceived risk, trust, and democracy, Risk Analysis 13(6), "
               "doi:10.1111/j.1539-6924.1993.tb01329.x",
        target="> 1 [1.2, inf)", low=1.2, high=math.inf, measure=_asymmetry),
    Pattern(
        "p4_leaders",
        "4. collectives fail mainly because leaders leave: leader share of dissolutions",
        source="Ghorbani, Nascimento & Filatova (2020), Energy Research & Social Science 70:101782; Nationale "
               "Wetenschapsagenda: initiatives stall when the 'kartrekker valt uit'",
        target="> 50%", low=0.5, high=1.0, measure=_leader_share),
    Pattern(
        "p4_members_remain",
        "4. when leaders go, ordinary members remain: leader failures with members besides the board left",
        source="leadership bottleneck: Ghorbani, Nascimento & Filatova (2020), ERSS 70:101782; RTV Noord survey of "
               "69 dorpsverenigingen (2018): 3 in 4 find board roles hard to fill",
        target="> 50%", low=0.5, high=1.0, measure=_members_remain),
    Pattern(
        "p4_handover_load",
        "4. handing services over raises the board's load first: extra weekly hours of board members minus "
        "those of volunteers, one quarter after a hand-over",
        source="RTV Noord survey (2018): board members 'vaak of heel vaak' fill in for other tasks; right to "
               "challenge (Kamerstuk 36210) hands tasks to collectives",
        target="> 0", low=1e-09, high=math.inf, measure=_handover_board_load),
    Pattern(
        "p4_handover_burnout",
        "4. ... and the board's burnout more than volunteers' (extra burnout, board minus everyone with a "
        "role, a year after)",
        source="Allen & Mueller (2013), Journal of Community Psychology 41(2):139-155: overload and role ambiguity "
               "raise burnout",
        target="> 0", low=1e-09, high=math.inf, measure=_handover_burnout_gap),
    Pattern(
        "p5_gini",
        "5. income Gini barely moves under any scenario: largest 10-year change",
        source="CBS, Materiële welvaart in Nederland 2024: income inequality 'veranderde vanaf 1990 weinig'",
        target="< 0.005", low=0.0, high=0.005, measure=_gini_moves),
    Pattern(
        "p5_gaps",
        "5. policy shows in access, participation and trust gaps instead: largest scenario effect / largest "
        "Gini change",
        source="issue 7; the manifesto's inequality claim is about regions and groups "
               "(https://omziennaarelkaar.nl/verkiezingsprogrammas/, 21 July 2023)",
        target="> 1", low=1.0, high=math.inf, measure=_gaps_move),
    Pattern(
        "l1_trust_gradient",
        "L1. trust in others, high minus low education",
        source="CBS Sociale samenhang en welzijn 2022 (reported by NRC, 8 May 2023): basisonderwijs 40%, hbo 80%, "
               "wo 89%",
        target="+0.40 [0.2, 0.5]", low=0.2, high=0.5, measure=_trust_gradient),
    Pattern(
        "l2_local_premium",
        "L2. local government trusted more than national (pp)",
        source="OECD Survey on Drivers of Trust in Public Institutions 2024, country note Netherlands (fieldwork "
               "Oct-Nov 2023): 54% vs 44%",
        target="+0.10 [0.05, 0.15]", low=0.05, high=0.15, measure=_local_premium),
    Pattern(
        "l3_quarter_share",
        "L3. share of adults active in a quarter lies between the 4-week and the 12-month share",
        source="CBS, Schmeets & Arends (2017), Vrijwilligerswerk: wie doet het?, Statistische Trends: 3 in 10 in "
               "the past 4 weeks, 49% in 12 months",
        target="[0.31, 0.49]", low=0.31, high=0.49, measure=_quarter_share),
)


# ---- the experiments ------------------------------------------------------------------------
def _news_hook(sign: float):
    def hook(m, step):
        if step == SHOCK_STEP:
            c = m.citizens
            c.disposition_national += np.float32(sign * NEWS_SHOCK)
            c.disposition_others += np.float32(sign * NEWS_SHOCK)
    return hook


def _handover_hook(m, step):
    """Municipalities hand a share of their care points and bus lines to collectives, through
    the model's right-to-challenge rule; randomness from the model's generator."""
    if step != SHOCK_STEP:
        return
    from model.kinds import FacilityType, Provider

    f = m.facilities
    cand = np.flatnonzero(f.view("open") & (f.view("provider") == Provider.MUNICIPALITY)
                          & np.isin(f.view("type"), (FacilityType.CARE, FacilityType.TRANSPORT)))
    chosen = cand[m.rng.random(len(cand)) < HANDOVER_SHARE]
    for fid in chosen:
        m.hand_over(int(fid))


def replication(scenario: str, overrides: dict, seed: int, steps: int, with_scenarios: bool,
                scenario_names: tuple[str, ...] = ()) -> dict[str, Any]:
    """All runs of one replication; returns each run's measured series."""
    runs = {"baseline": run_measured(scenario, overrides, seed, steps)}
    runs["bad_news"] = run_measured(scenario, overrides, seed, CONTROL_STEPS, hook=_news_hook(-1.0))
    runs["good_news"] = run_measured(scenario, overrides, seed, CONTROL_STEPS, hook=_news_hook(+1.0))
    runs["handover"] = run_measured(scenario, overrides, seed, max(CONTROL_STEPS, SHOCK_STEP + HANDOVER_QUARTERS),
                                    hook=_handover_hook)
    if with_scenarios:
        scale = {k: v for k, v in overrides.items() if k in ("population_scale", "start_year")}
        runs["scenarios"] = {name: run_measured(name, scale, seed, steps) for name in scenario_names}
    return runs


def _evaluate(runs: dict[str, Any], targets: tuple[Target, ...]) -> dict[str, float]:
    values = {p.key: p.measure(runs) for p in PATTERNS}
    values.update({f"c_{t.name}": t.compute(runs["baseline"]) for t in targets})
    return values


def _one(args) -> dict[str, float]:
    scenario, overrides, seed, steps, with_scen, names, targets = args
    return _evaluate(replication(scenario, overrides, seed, steps, with_scen, names), targets)


def validate(replications: int = 10, seed: int = 20261128, steps: int = DEFAULT_STEPS,
             overrides: dict | None = None, workers: int = 1, spec_path=None,
             progress: Callable[[int], None] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the validation; return (table, per-replication values).

    The calibration targets come from the calibration spec (default: the shipped baseline
    calibration) and are measured in the same years; every other pattern is in :data:`PATTERNS`.
    """
    from ..scenarios import policy_scenario_names as shipped

    spec = load_calibration(spec_path)
    overrides = {"start_year": spec.start_year, **(overrides or {})}
    names = tuple(shipped())
    jobs = [(spec.scenario, overrides, s, steps, i == 0, names, spec.targets)
            for i, s in enumerate(child_seeds(seed, replications))]
    per_rep = pd.DataFrame(ordered_map(_one, jobs, workers, progress))
    per_rep.insert(0, "replication", range(len(per_rep)))
    rows = []
    for t in spec.targets:
        rows.append(_row(f"c_{t.name}", f"C. calibration target: {t.name} ({t.measure}, {t.statistic} "
                         f"{t.from_year:g}-{t.to_year:g})", t.source, f"{t.value:g} +/- {t.tolerance:g}",
                         t.value - t.tolerance, t.value + t.tolerance, per_rep[f"c_{t.name}"]))
    for p in PATTERNS:
        rows.append(_row(p.key, p.pattern, p.source, p.target, p.low, p.high, per_rep[p.key]))
    return pd.DataFrame(rows), per_rep


def _row(key, pattern, source, target, low, high, values: pd.Series) -> dict[str, Any]:
    v = values.dropna().to_numpy(dtype=float)
    median = float(np.median(v)) if len(v) else math.nan
    return {"key": key, "pattern": pattern, "source": source, "target": target, "low": low, "high": high,
            "n": len(v), "median": median,
            "p05": float(np.quantile(v, 0.05)) if len(v) else math.nan,
            "p95": float(np.quantile(v, 0.95)) if len(v) else math.nan,
            "passed": bool(np.isfinite(median) and low <= median <= high)}


def format_value(x: float) -> str:
    if not np.isfinite(x):
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def markdown(table: pd.DataFrame) -> str:
    """The table as Markdown: pattern, source, target, median [90% interval], pass."""
    lines = ["| Pattern | Source | Target | Simulated median [5%, 95%] | Result |", "|---|---|---|---|---|"]
    for r in table.itertuples():
        sim = f"{format_value(r.median)} [{format_value(r.p05)}, {format_value(r.p95)}]"
        if r.n == 1:
            sim = f"{format_value(r.median)} (1 run)"
        lines.append(f"| {r.pattern} | {r.source} | {r.target} | {sim} | {'pass' if r.passed else '**fail**'} |")
    return "\n".join(lines) + "\n"


def figure(table: pd.DataFrame):
    """Each pattern's simulated median and 90% interval against its pass band, on a scale
    where the band's finite edges sit at 0 and 1."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(table)
    fig, ax = plt.subplots(figsize=(9, 0.32 * n + 1.2))
    for i, r in enumerate(table.itertuples()):
        lo, hi = r.low, r.high
        if not np.isfinite(hi):
            lo, hi = lo, lo + max(abs(lo), abs(r.median) if np.isfinite(r.median) else 1, 1e-3)
        if not np.isfinite(lo):
            lo = hi - 1
        width = (hi - lo) or 1.0

        def pos(x, lo=lo, width=width):
            return (x - lo) / width

        y = n - 1 - i
        ax.plot([0, 1], [y, y], color="0.85", lw=8, solid_capstyle="butt")
        color = "tab:green" if r.passed else "tab:red"
        ax.plot([pos(r.p05), pos(r.p95)], [y, y], color=color, lw=1.5)
        ax.plot([pos(r.median)], [y], "o", color=color)
    ax.set_yticks(range(n))
    ax.set_yticklabels([k for k in table["key"]][::-1], fontsize=8)
    ax.set_xlim(-2, 3)
    ax.axvline(0, color="0.7", lw=0.5)
    ax.axvline(1, color="0.7", lw=0.5)
    ax.set_xlabel("position relative to the pass band (grey: band; open-ended bands drawn to one unit)")
    ax.set_title("Samen validation: median and 90% interval per pattern (green pass, red fail)")
    fig.tight_layout()
    return fig
