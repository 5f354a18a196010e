"""Every model parameter, declared once: default, unit, allowed range and source.

The CLI (`--set`), scenario files, sweep specs, the dashboard's sliders and
`docs/ODD.md` all read these declarations; nothing else states a default or a range.

Groups follow the EMA Workbench split (Kwakkel 2017):
- ``lever``: what policy chooses (investment, allocation rule, partnership, ...);
- ``uncertainty``: behavioural and market coefficients that nobody controls;
- ``structural``: prices, scale and set-up choices of the model itself.

A source of "assumption" marks a value without empirical backing; ``calibrated`` records
the ``samen calibrate`` run that set a default (docs/validation.md); every other source
names the primary publication (publisher or authors, title or table, year).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

ALLOCATION_RULES = ("per_capita", "needs_based", "matching", "competitive")


class ParameterError(ValueError):
    """A parameter name, type or value that the declarations do not allow."""


@dataclass(frozen=True, slots=True)
class Param:
    """Declaration of one parameter.

    ``kind`` is one of ``float``, ``int``, ``choice``. Numbers must lie in
    ``[low, high]``; choices must be one of ``choices``.
    """

    name: str
    default: Any
    kind: str
    unit: str
    group: str
    description: str
    source: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    label_en: str = ""
    label_nl: str = ""
    #: How the default was calibrated (``samen calibrate`` command and date), or "".
    calibrated: str = ""

    def allowed(self) -> str:
        """Human-readable description of the allowed values."""
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        return f"{'an integer' if self.kind == 'int' else 'a number'} in [{_fmt(self.low)}, {_fmt(self.high)}]"

    def coerce(self, value: Any) -> Any:
        """Return ``value`` as this parameter's type, or raise ParameterError."""
        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                raise ParameterError(f"{self.name}={value!r} is not allowed: use {self.allowed()}")
            return value
        if isinstance(value, np.generic) and not isinstance(value, np.bool_):
            value = value.item()  # numpy scalars from sweeps and arrays
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParameterError(
                f"{self.name}={value!r} has the wrong type: use {self.allowed()} ({self.unit})"
            )
        if self.kind == "int":
            if isinstance(value, float) and not value.is_integer():
                raise ParameterError(f"{self.name}={value!r} must be {self.allowed()}")
            value = int(value)
        else:
            value = float(value)
            if not math.isfinite(value):
                raise ParameterError(f"{self.name}={value!r} must be {self.allowed()}")
        if not (self.low <= value <= self.high):
            raise ParameterError(f"{self.name}={_fmt(value)} is out of range: use {self.allowed()} ({self.unit})")
        return value

    def parse(self, text: str) -> Any:
        """Parse a command-line string (``--set name=text``) and validate it."""
        text = text.strip()
        if self.kind == "choice":
            return self.coerce(text)
        try:
            number = float(text.replace("_", ""))
        except ValueError:
            raise ParameterError(
                f"{self.name}={text!r} is not a number: use {self.allowed()} ({self.unit})"
            ) from None
        if self.kind == "int" and number.is_integer():
            number = int(number)
        return self.coerce(number)


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    if isinstance(x, int) or float(x).is_integer():
        return f"{int(x):_}".replace("_", ",") if abs(x) < 1e7 else f"{x:g}"
    return f"{x:g}"


def _p(name, default, kind, unit, group, description, source, low=None, high=None,
       choices=(), en="", nl="", calibrated=""):
    return Param(name, default, kind, unit, group, description, source, low, high,
                 tuple(choices), en or name.replace("_", " "), nl or en or name.replace("_", " "),
                 calibrated)


#: Provenance of the defaults set by the baseline calibration (docs/validation.md).
CALIBRATED_2026_11_28 = (
    "calibrated to volunteering, trust_others, trust_national, trust_local, gini, energy_coops, "
    "energy_members, village_shops by `samen calibrate experiments/calibration/baseline.toml "
    "--samples 256 --seed 20261128` on 2026-11-28"
)

DECLARATIONS: tuple[Param, ...] = (
    # ---- levers: what policy chooses -------------------------------------------------
    _p("investment_eur", 0.0, "float", "EUR (total over the horizon)", "lever",
       "Extra national money for social infrastructure (meeting places and their running "
       "costs), spread evenly over investment_years.",
       "manifesto value 1e9 (coalitie We doen het samen, 'De we-doen-het-samenleving', 21 July 2023); "
       "baseline 0", 0, 1e10,
       en="Investment in meeting places", nl="Investering in ontmoetingsplekken"),
    _p("investment_years", 4, "int", "years", "lever",
       "Years over which the investment is paid out; the investment also pays the running "
       "costs of the places it builds for this many years, then municipalities must.",
       "assumption (one cabinet period)", 1, 20,
       en="Investment period", nl="Investeringsperiode"),
    _p("allocation", "per_capita", "choice", "rule", "lever",
       "How the investment is allocated to localities: per_capita (by population), "
       "needs_based (by lack of access, income and meeting places), matching (only where a "
       "local collective pays matching_share of the price), competitive (best applications, "
       "scored by local leadership capacity, win).",
       "targeting rules after Snel & Engbersen (Matthew effect, Sociale Vraagstukken) and Custers "
       "(Rotterdam); assumption", choices=ALLOCATION_RULES,
       en="Allocation rule", nl="Verdeelregel"),
    _p("partnership", 0.3, "float", "index 0-1", "lever",
       "How equal the footing is between government and collectives: municipalities' "
       "responsiveness (voice), grant approval, and the probability that a public task is "
       "opened to a collective (right to challenge).",
       "assumption; manifesto 'nieuw sociaal contract' (coalitie We doen het samen 2023)", 0, 1,
       en="Partnership (new social contract)", nl="Partnerschap (nieuw sociaal contract)"),
    _p("regulatory_burden", 0.5, "float", "index 0-1", "lever",
       "Weight of rules on collectives: compliance cost, board hours, founding hurdle and "
       "crowding-out of intrinsic motivation.",
       "assumption; Ostrom 2000, Scand. Political Studies 23(1) (crowding out); NLZVE on the 'systeemwereld'", 0, 1,
       en="Regulatory burden", nl="Regeldruk"),
    _p("municipal_budget_change", 0.0, "float", "fraction per year", "lever",
       "Real change per year of municipalities' budget for local services (negative is austerity).",
       "assumption; LSA's state subsidy cut ~45% in five years (lsabewoners.nl 2016)", -0.2, 0.2,
       en="Municipal budget change per year", nl="Verandering gemeentebudget per jaar"),
    _p("market_subsidy_eur", 0.0, "float", "EUR (total over the horizon)", "lever",
       "National money that tops up the revenue of market facilities (shops, GP practices) "
       "that would otherwise close, paid over investment_years.",
       "assumption (market-led alternative to the manifesto)", 0, 1e10,
       en="Subsidy to keep market facilities open", nl="Subsidie voor marktvoorzieningen"),
    _p("matching_share", 0.25, "float", "fraction of price", "lever",
       "Share of a meeting place's price that a local collective must bring under the "
       "matching allocation rule.",
       "assumption", 0, 0.9, en="Matching share", nl="Eigen bijdrage (matching)"),
    # ---- structural: scale, prices, set-up --------------------------------------------
    _p("population_scale", 100, "int", "residents per simulated citizen", "structural",
       "Each simulated citizen stands for this many residents; 1 simulates every resident.",
       "design choice", 1, 10000, en="Residents per citizen", nl="Inwoners per burger"),
    _p("start_year", 2024, "int", "year", "structural",
       "Calendar year of step 0 (population and collectives as of 1 January).",
       "CBS StatLine 70072ned, population 1 January 2024", 2000, 2100,
       en="Start year", nl="Beginjaar"),
    _p("meeting_place_capital_eur", 400_000.0, "float", "EUR per place", "structural",
       "One-off price of a new or reopened meeting place (building or refurbishment).",
       "assumption (village-shop starts in Nigtevecht EUR 60-70k and Sterksel EUR 45k are lower bounds)",
       10_000, 5e6, en="Price of a meeting place", nl="Prijs van een ontmoetingsplek"),
    _p("meeting_place_running_eur", 30_000.0, "float", "EUR per place per year", "structural",
       "Running cost of a meeting place (energy, maintenance, coordination).",
       "assumption; dorpshuis energy bill EUR 7-14k/yr in 2021-2022 (RTV Drenthe 2022)",
       1_000, 500_000, en="Running cost of a meeting place", nl="Exploitatiekosten ontmoetingsplek"),
    _p("municipal_budget_slack", 0.05, "float", "fraction", "structural",
       "Initial municipal service budget above the initial cost of its services.",
       "assumption", 0, 1),
    _p("mean_degree", 8.0, "float", "ties per citizen", "structural",
       "Mean number of strong (bonding) ties in the initial social network.",
       "assumption (core discussion network sizes 2-10)", 2, 40),
    _p("local_tie_share", 0.8, "float", "fraction", "structural",
       "Share of ties within one's own locality; the rest go elsewhere in the municipality.",
       "assumption; contact probability falls as distance^-1.6 (Illenberger et al., Swiss data)", 0, 1),
    _p("homophily", 2.0, "float", "exponent alpha", "uncertainty",
       "Homophily strength alpha in P(tie) = 1 / (1 + (d/b)^alpha) over social distance d "
       "(education, income, age).",
       "Talaga & Nowak 2020, JASSS 23(2):6 (SDA model); value assumption", 0, 10),
    _p("homophily_distance", 0.35, "float", "social distance b", "uncertainty",
       "Characteristic social distance b at which P(tie) = 1/2.",
       "assumption", 0.05, 2),
    # ---- uncertainties: participation (M1) ---------------------------------------------
    _p("participation_intercept", -2.35, "float", "logit", "uncertainty",
       "Intercept beta0 of the quarterly volunteering logit.",
       "CBS 49% annual volunteering 2012-2019 (Schmeets & Arends 2017, Statistische Trends); "
       "posterior 5-95% [-2.46, -2.23]", -8, 4,
       calibrated=CALIBRATED_2026_11_28),
    _p("beta_education_low", -0.63, "float", "logit", "uncertainty",
       "Volunteering logit coefficient, low versus middle education.",
       "SCP 2014, Burgermacht op eigen kracht?, Tabel 3.1", -3, 3),
    _p("beta_education_high", 0.38, "float", "logit", "uncertainty",
       "Volunteering logit coefficient, high versus middle education.",
       "SCP 2014, Burgermacht op eigen kracht?, Tabel 3.1", -3, 3),
    _p("beta_age_young", -0.40, "float", "logit", "uncertainty",
       "Volunteering logit coefficient, age 15-34 versus 35-64.",
       "SCP 2014, Burgermacht op eigen kracht?, Tabel 3.1, 18-34", -3, 3),
    _p("beta_age_old", -0.42, "float", "logit", "uncertainty",
       "Volunteering logit coefficient, age 65+ versus 35-64.",
       "SCP 2014, Burgermacht op eigen kracht?, Tabel 3.1", -3, 3),
    _p("beta_motivation", 3.0, "float", "logit per unit", "uncertainty",
       "Volunteering logit coefficient of civic motivation (0-1, centred).",
       "assumption (Verba, Schlozman & Brady 1995: engagement)", 0, 10),
    _p("beta_trust_others", 1.0, "float", "logit per unit", "uncertainty",
       "Volunteering logit coefficient of trust in other people (centred).",
       "assumption (no Dutch estimate)", 0, 5),
    _p("beta_infrastructure", 0.4, "float", "logit", "uncertainty",
       "Volunteering logit shift where the locality has a meeting place.",
       "assumption (no Dutch estimate; direction Klinenberg 2018)", 0, 3),
    _p("beta_peer", 0.8, "float", "logit", "uncertainty",
       "Volunteering logit shift when the active share of one's ties reaches one's threshold.",
       "assumption; Granovetter 1978, AJS 83(6) threshold", 0, 5),
    _p("threshold_mean", 0.25, "float", "share of ties", "uncertainty",
       "Mean personal threshold theta (share of active ties) for the peer effect.",
       "Granovetter 1978, AJS 83(6)", 0, 1),
    _p("threshold_sd", 0.12, "float", "share of ties", "uncertainty",
       "Spread of personal thresholds.",
       "Granovetter 1978, AJS 83(6); range 0.08-0.2 around its critical spread", 0.01, 0.5),
    # ---- uncertainties: cooperation in collectives (M2) --------------------------------
    _p("conditional_cooperator_share", 0.50, "float", "fraction", "uncertainty",
       "Share of conditional cooperators.", "Fischbacher, Gaechter & Fehr 2001, Economics Letters 71(3)", 0, 1),
    _p("free_rider_share", 0.30, "float", "fraction", "uncertainty",
       "Share of free riders.", "Fischbacher, Gaechter & Fehr 2001, Economics Letters 71(3): about a third", 0, 1),
    _p("hump_share", 0.14, "float", "fraction", "uncertainty",
       "Share of hump-shaped contributors (the rest contribute unconditionally).",
       "Fischbacher, Gaechter & Fehr 2001, Economics Letters 71(3)", 0, 1),
    _p("cooperator_slope", 0.75, "float", "ratio", "uncertainty",
       "How much a conditional cooperator matches the others' contribution (alpha < 1 decays).",
       "assumption; Fischbacher & Gaechter 2010, AER 100(1): imperfect matching (slope below 1)", 0, 1.2),
    _p("communication_boost", 0.15, "float", "ratio", "uncertainty",
       "Added matching slope when the collective has a meeting place (face-to-face communication).",
       "Ostrom 2000, JEP 14(3) (direction); value assumption", 0, 1),
    _p("crowding_out", 0.20, "float", "ratio at full burden", "uncertainty",
       "Matching slope lost at regulatory_burden = 1 (crowding out of intrinsic motivation).",
       "Ostrom 2000, JEP 14(3) (direction); value assumption", 0, 1),
    # ---- uncertainties: collectives (M3, M4) ------------------------------------------
    _p("founding_rate", 0.056, "float", "per locality per quarter", "uncertainty",
       "Base founding intensity lambda0 of a collective in a locality with reference leadership "
       "and need.",
       "Lokale Energie Monitor 2023 (HIER) energy-coop count and membership; weakly identified, "
       "posterior 5-95% [0.006, 0.094]", 0, 1, calibrated=CALIBRATED_2026_11_28),
    _p("infrastructure_founding_boost", 1.0, "float", "ratio", "uncertainty",
       "Relative increase of the founding intensity where a meeting place stands.",
       "assumption; Klinenberg 2018, Palaces for the People; RVS 2022, Ruimte maken voor ontmoeting (direction)", 0, 5),
    _p("board_min", 5, "int", "people", "uncertainty",
       "Minimum board (leaders) a collective needs; below it the collective is at risk.",
       "assumption; 3-7 typical legal board size (Ghorbani, Nascimento & Filatova 2020: a board is needed)", 1, 15),
    _p("leader_capacity_hours", 6.0, "float", "hours per week", "uncertainty",
       "Hours a board member can give before load turns into strain.",
       "assumption; volunteers give about 4 h/week on average (CBS, Schmeets 2022)", 1, 40),
    _p("volunteer_hours", 4.0, "float", "hours per week", "uncertainty",
       "Hours an active ordinary volunteer gives.", "CBS (Schmeets 2022): about 4 h/week",
       0.5, 20),
    _p("burnout_gain", 0.04, "float", "per excess hour per quarter", "uncertainty",
       "Growth of burnout per weekly hour of load above capacity (a in the burnout rule, ODD 7.13).",
       "assumption (Allen & Mueller 2013, J. Community Psychology 41(2): direction)", 0, 0.5),
    _p("burnout_recovery", 0.15, "float", "fraction per quarter", "uncertainty",
       "Share of burnout that fades each quarter (b in the burnout rule).", "assumption", 0, 1),
    _p("burnout_voice_relief", 0.05, "float", "per quarter", "uncertainty",
       "Burnout relief for volunteers whose collective is heard (c in the burnout rule).",
       "Allen & Mueller 2013, J. Community Psychology 41(2): voice lowers burnout; value assumption", 0, 0.5),
    _p("exit_base", 0.15, "float", "per year", "uncertainty",
       "Yearly probability that a volunteer or leader stops regardless of burnout (p0).",
       "plausibility band 0.1-0.35/yr (US volunteer attrition 34% in 2012, CNCS 2013)", 0, 1),
    _p("exit_burnout", 0.8, "float", "per year at full burnout", "uncertainty",
       "Added yearly exit probability at burnout 1 (p1).",
       "assumption (Allen & Mueller 2013: burnout predicts intention to quit)", 0, 3),
    _p("member_fee_eur", 25.0, "float", "EUR per member per year", "uncertainty",
       "Membership fee of a collective.", "Nigtevecht village shop: EUR 25/yr (230 members)", 0, 500),
    _p("collective_cost_ratio", 0.7, "float", "ratio", "uncertainty",
       "Running cost of a service run by a collective relative to the same service run by "
       "the municipality or the market (manifesto claim C1: below 1 means cheaper).",
       "assumption; anecdotal 'goedkoper' (CMO STAMM 2022), no systematic study", 0.2, 2),
    _p("handover_budget_share", 0.8, "float", "fraction", "uncertainty",
       "Share of a service's public budget a municipality passes to the collective taking it over.",
       "assumption (right to challenge, bill 36210)", 0, 1),
    _p("failure_hazard_energy", 0.007, "float", "per year", "uncertainty",
       "Background dissolution hazard of an energy cooperative (besides leaders and money).",
       "Lokale Energie Monitor 2022: 5 of 705 removed (derived)", 0, 0.5),
    _p("failure_hazard_other", 0.03, "float", "per year", "uncertainty",
       "Background dissolution hazard of care, facility and neighbourhood collectives.",
       "assumption; higher than energy (Meerstra-de Haan et al. 2020, Rural Sociology 85(1))", 0, 0.5),
    _p("grant_per_collective_eur", 5_000.0, "float", "EUR per year", "uncertainty",
       "Structural grant a municipality gives a collective whose application it approves.",
       "assumption (scale of Lelystad's Buurtbudget 2014)", 0, 200_000),
    # ---- uncertainties: trust (M5, M6) ---------------------------------------------------
    _p("trust_up_rate", 0.04, "float", "per quarter", "uncertainty",
       "Speed lambda+ at which trust in government rises towards a better signal.",
       "assumption", 0, 1),
    _p("trust_down_ratio", 2.5, "float", "ratio", "uncertainty",
       "lambda-/lambda+: how much faster bad news lowers trust than good news raises it.",
       "Slovic 1993, Risk Analysis 13(6): asymmetry; ratio 2-3 assumption", 1, 10),
    _p("voice_weight", 0.25, "float", "trust per unit voice", "uncertainty",
       "Weight of felt voice in the trust signal.",
       "OECD 2024 Trust Survey, Netherlands: 47 pp gap between voice and no voice; value assumption", 0, 1),
    _p("performance_weight", 0.3, "float", "trust per unit access", "uncertainty",
       "Weight of local service access in the trust signal.", "assumption", 0, 1),
    _p("social_weight", 0.3, "float", "fraction", "uncertainty",
       "Weight of a tie's trust in the trust signal.", "assumption", 0, 1),
    _p("closure_shock", 0.08, "float", "trust", "uncertainty",
       "Drop in the local trust signal in the quarter a facility in one's locality closes.",
       "assumption; Bolet 2021, CPS 54(9); Dijkstra, Poelman & Rodriguez-Pose 2020, Regional Studies "
       "54(6) (direction)", 0, 0.5),
    _p("trust_others_rate", 0.02, "float", "per quarter", "uncertainty",
       "Speed at which trust in other people moves towards its signal (slow).",
       "assumption; CBS trust in others moves ~1 pp/yr (Schmeets & Exel 2022)", 0, 1),
    _p("bridging_weight", 0.3, "float", "trust per unit share", "uncertainty",
       "Weight of the bridging-tie share in the trust-in-others signal.",
       "Growiec, Growiec & Kaminski 2020, JASSS 23(2):8 (direction); value assumption", 0, 1),
    _p("meeting_rate", 1.0, "float", "new weak ties per quarter", "uncertainty",
       "Expected new weak ties per citizen per quarter without a meeting place.",
       "assumption", 0, 10),
    _p("meeting_place_meeting_boost", 1.0, "float", "ratio", "uncertainty",
       "Relative increase of the meeting rate where a meeting place stands.",
       "Klinenberg 2018, Palaces for the People (direction); value assumption", 0, 5),
    _p("bridging_share_base", 0.15, "float", "fraction", "uncertainty",
       "Share of new weak ties that bridge (with someone unlike oneself) without a meeting place.",
       "assumption", 0, 1),
    _p("bridging_share_meeting_place", 0.40, "float", "fraction", "uncertainty",
       "Share of new weak ties that bridge where a meeting place stands.",
       "assumption (Klinenberg 2018: places bring unlike people together)", 0, 1),
    _p("weak_tie_decay", 0.15, "float", "fraction per quarter", "uncertainty",
       "Share of weak ties that lapse each quarter.", "assumption", 0, 1),
    # ---- uncertainties: market (M8) -------------------------------------------------------
    _p("market_drift", 0.0623, "float", "fraction per year", "uncertainty",
       "Yearly fall of the local purchase share in small places (mobility, scale, online).",
       "Locatus via Trouw 2023: small supermarkets in small places 605 -> 299, 2008-2023, -4.6%/yr; posterior "
       "5-95% [0.043, 0.081]", 0, 0.3, calibrated=CALIBRATED_2026_11_28),
)

PARAMS: dict[str, Param] = {p.name: p for p in DECLARATIONS}
LEVERS = tuple(p.name for p in DECLARATIONS if p.group == "lever")
UNCERTAINTIES = tuple(p.name for p in DECLARATIONS if p.group == "uncertainty")


def _make_parameters_class():
    fields = [(p.name, type(p.default), field(default=p.default)) for p in DECLARATIONS]
    return dataclasses.make_dataclass("_ParameterFields", fields, frozen=True, kw_only=True, slots=True)


_Fields = _make_parameters_class()


class Parameters(_Fields):
    """A complete, validated, immutable set of model parameters.

    ``Parameters(investment_eur=1e9)`` gives the defaults with one override; an unknown
    name, a wrong type or a value out of range raises :class:`ParameterError` naming the
    parameter and what is allowed.
    """

    __slots__ = ()

    def __init__(self, **values: Any) -> None:
        """Validate ``values`` (name: value) against the declarations; the rest take defaults."""
        unknown = sorted(set(values) - PARAMS.keys())
        if unknown:
            raise ParameterError(unknown_message(unknown[0]))
        checked = {name: PARAMS[name].coerce(v) for name, v in values.items()}
        super().__init__(**checked)
        shares = self.conditional_cooperator_share + self.free_rider_share + self.hump_share
        if shares > 1 + 1e-9:
            raise ParameterError(
                "conditional_cooperator_share + free_rider_share + hump_share = "
                f"{shares:g} must not exceed 1"
            )

    def replace(self, **changes: Any) -> "Parameters":
        """A copy with ``changes`` applied (validated)."""
        return Parameters(**{**self.to_dict(), **changes})

    def to_dict(self) -> dict[str, Any]:
        """Every parameter value by name, in declaration order."""
        return {p.name: getattr(self, p.name) for p in DECLARATIONS}

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> "Parameters":
        """Parameters from a mapping of name to value (validated)."""
        return cls(**dict(values))


def unknown_message(name: str) -> str:
    """Error text for an unknown parameter name, suggesting the nearest known names."""
    import difflib

    close = difflib.get_close_matches(name, PARAMS, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"unknown parameter {name!r}{hint}; see `samen params` for the {len(PARAMS)} known parameters"


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse ``NAME=VALUE`` as given to ``--set``; raise ParameterError if malformed."""
    if "=" not in text:
        raise ParameterError(f"--set {text!r} is malformed: use NAME=VALUE, e.g. investment_eur=1e9")
    name, _, value = text.partition("=")
    name = name.strip()
    if name not in PARAMS:
        raise ParameterError(unknown_message(name))
    return name, PARAMS[name].parse(value)


def parse_assignments(items: Iterable[str]) -> dict[str, Any]:
    """Parse several ``NAME=VALUE`` strings into a dict (later ones win)."""
    return dict(parse_assignment(item) for item in items)
