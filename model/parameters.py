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
CALIBRATED = (
    "calibrated to volunteering, trust_others, trust_national, trust_local, gini, collectives, collectives_stable, "
    "energy_coops, energy_coops_growth, energy_members, energy_members_growth, village_shops by "
    "`samen calibrate experiments/calibration/baseline.toml` on 2026-11-29"
)
#: The calibrated kinds of per-kind parameters: {stem: {kind: (source, provenance)}}.
_CALIBRATED_KINDS = {
    "founding_weight": {"energy": ("Lokale Energie Monitor 2021-2023 (HIER): 714 energy cooperatives, +1.2%/yr; "
                                   "posterior 5-95% [0.016, 0.141]", CALIBRATED)},
    "join_rate": {"energy": ("Lokale Energie Monitor 2021-2023 (HIER): 131,000 members, +8%/yr; "
                             "posterior 5-95% [0.013, 0.042]", CALIBRATED)},
}

_A = "assumption"
KIND_NAMES = ("energy", "care", "facility", "neighbourhood")  # order of kinds.CollectiveKind


def _per_kind(stem, defaults, unit, description, source, low, high, group="uncertainty"):
    """One declaration per collective kind (``<stem>_energy``, ``<stem>_care``, ...).

    A calibrated kind takes its source and provenance from ``_CALIBRATED_KINDS``.
    """
    cal = _CALIBRATED_KINDS.get(stem, {})
    return tuple(_p(f"{stem}_{k}", d, "float", unit, group, f"{description} ({k} collectives).",
                    cal.get(k, (source, ""))[0], low, high, calibrated=cal.get(k, (source, ""))[1])
                 for k, d in zip(KIND_NAMES, defaults, strict=True))


DECLARATIONS: tuple[Param, ...] = (
    # ---- levers: what policy chooses -------------------------------------------------
    _p("investment_eur", 0.0, "float", "EUR (total over the horizon)", "lever",
       "Extra national money for social infrastructure (meeting places and their running "
       "costs), spread evenly over investment_years.",
       "manifesto value 1e9 (coalitie We doen het samen, 'De we-doen-het-samenleving', 21 July 2023); baseline 0",
       0, 1e10, en="Investment in meeting places", nl="Investering in ontmoetingsplekken"),
    _p("investment_years", 4, "int", "years", "lever",
       "Years over which the investment is paid out; the investment also pays the running "
       "costs of the places it builds for this many years, then each municipality decides.",
       "assumption (one cabinet period)", 1, 20, en="Investment period", nl="Investeringsperiode"),
    _p("allocation", "per_capita", "choice", "rule", "lever",
       "How the investment is allocated to localities: per_capita (by population), "
       "needs_based (by lack of meeting-place reach and access, and low income), matching "
       "(only where a local collective pays matching_share of the price), competitive (best "
       "applications, scored by local leadership capacity, win).",
       "targeting rules discussed by Snel & Engbersen (Matthew effect, Sociale Vraagstukken) and "
       "WRR 2012, Vertrouwen in burgers", choices=ALLOCATION_RULES,
       en="Allocation rule", nl="Verdeelregel"),
    _p("partnership", 0.3, "float", "index 0-1", "lever",
       "How equal the footing is between government and collectives: it raises municipalities' "
       "responsiveness, grant approval, and the probability that a public task is opened to a "
       "collective (right to challenge). 0.3 is today's policy.",
       "assumption; manifesto 'nieuw sociaal contract' (coalitie We doen het samen 2023)", 0, 1,
       en="Partnership (new social contract)", nl="Partnerschap (nieuw sociaal contract)"),
    _p("regulatory_burden", 0.5, "float", "index 0-1", "lever",
       "Weight of rules on collectives: compliance cost, board hours, founding hurdle and "
       "crowding-out of intrinsic motivation. 0.5 is today's rules.",
       "assumption; Ostrom 2000, Scand. Political Studies 23(1) (crowding out); NLZVE on the 'systeemwereld'",
       0, 1, en="Regulatory burden", nl="Regeldruk"),
    _p("municipal_budget_change", 0.0, "float", "fraction per year", "lever",
       "National decision on municipalities' service budgets: real change per year on top of "
       "the municipal fund's trend (negative is austerity).",
       "assumption; LSA's state subsidy was cut ~45% in five years (lsabewoners.nl 2016)", -0.2, 0.2,
       en="Municipal budget change per year", nl="Verandering gemeentebudget per jaar"),
    _p("market_subsidy_eur", 0.0, "float", "EUR (total over the horizon)", "lever",
       "National money that tops up the revenue of market facilities (shops, GP practices) "
       "that would otherwise close, paid over investment_years.",
       "assumption (market-led alternative to the manifesto)", 0, 1e10,
       en="Subsidy to keep market facilities open", nl="Subsidie voor marktvoorzieningen"),
    _p("matching_share", 0.25, "float", "fraction of price", "lever",
       "Share of a meeting place's price that a local collective must bring under the "
       "matching allocation rule.", _A, 0, 0.9, en="Matching share", nl="Eigen bijdrage (matching)"),
    # ---- structural: scale, start, prices, set-up -------------------------------------
    _p("population_scale", 100, "int", "residents per simulated citizen", "structural",
       "Each simulated citizen stands for this many residents; 1 simulates every resident. "
       "Collectives, members and hours are counted in residents whatever the scale.",
       "design choice", 1, 10000, en="Residents per citizen", nl="Inwoners per burger"),
    _p("start_year", 2024, "int", "year", "structural",
       "Calendar year of step 0 (population and collectives as of 1 January).",
       "CBS StatLine 70072ned, population 1 January 2024", 2000, 2100,
       en="Start year", nl="Beginjaar"),
    # the state of the start year: today's by default; a hindcast gives its own year's (ODD 5.1)
    _p("start_energy_cooperatives", 714, "int", "cooperatives", "structural",
       "Energy cooperatives placed at the start (before the spin-up).",
       "Lokale Energie Monitor 2023 (HIER): 714 at the end of 2023", 0, 5_000),
    _p("start_care_collectives", 1_471, "int", "collectives", "structural",
       "Care collectives (zorgzame gemeenschappen) placed at the start (before the spin-up).",
       "NLZVE Monitor 2020: 1,471 zorgzame gemeenschappen", 0, 10_000),
    _p("start_neighbourhood_organisations", 4_000, "int", "organisations", "structural",
       "Village and neighbourhood organisations placed at the start (before the spin-up).",
       "LVKK: 'ruim 4000' dorps- en dorpshuisorganisaties", 0, 20_000),
    _p("start_trust_national_shift", 0.0, "float", "trust (0-1)", "structural",
       "Shift of the surveyed start trust in government (national, and local with it) for a start "
       "year whose surveys differ from 2023's; 0 keeps the OECD 2023 levels.",
       "design choice; a hindcast sets it from CBS Sociale samenhang en welzijn", -0.3, 0.3),
    _p("start_trust_others_shift", 0.0, "float", "trust (0-1)", "structural",
       "Shift of the surveyed start trust in other people for a start year whose surveys differ "
       "from 2022's; 0 keeps the CBS 2022 levels.",
       "design choice; a hindcast sets it from CBS Sociale samenhang en welzijn", -0.3, 0.3),
    _p("energy_policy_support", 1.0, "float", "ratio to today's", "structural",
       "National support for local energy projects (postcoderoosregeling 2014-2020, SCE from 2021), "
       "relative to today's; multiplies the founding intensity of energy cooperatives. A dated input "
       "of hindcasts.", "design choice; 1 is today's support", 0, 5),
    _p("spinup_quarters", 24, "int", "quarters", "structural",
       "Quarters run under today's policy before step 0, so that start-up transients (burnout, "
       "weak ties, membership, collectives, facilities) settle; trust keeps its surveyed values "
       "meanwhile. They are not reported and every scenario branches from their end state.",
       "design choice; 24 settles the baseline's outcomes so that none moves more in the first quarter "
       "than three times its median quarterly change (docs/validation.md)", 0, 80),
    _p("meeting_place_capital_eur", 400_000.0, "float", "EUR per place", "structural",
       "One-off price of a new or reopened meeting place (building or refurbishment).",
       "assumption (village-shop starts in Nigtevecht EUR 60-70k and Sterksel EUR 45k are lower bounds)",
       10_000, 5e6, en="Price of a meeting place", nl="Prijs van een ontmoetingsplek"),
    _p("meeting_place_running_eur", 30_000.0, "float", "EUR per place per year", "structural",
       "Running cost of a meeting place (energy, maintenance, coordination).",
       "assumption; dorpshuis energy bill EUR 7-14k/yr in 2021-2022 (RTV Drenthe 2022)",
       1_000, 500_000, en="Running cost of a meeting place", nl="Exploitatiekosten ontmoetingsplek"),
    _p("meeting_place_capacity", 1_500.0, "float", "residents per place", "structural",
       "Residents one meeting place can serve (its share in the two-step catchment of reach).",
       "assumption: a dorpshuis serves a village of one to two thousand, a buurthuis a few thousand", 200, 20_000),
    _p("care_cost_eur", 150_000.0, "float", "EUR per year", "structural",
       "Running cost of a municipal care and welfare point (Wmo).", _A, 10_000, 2e6),
    _p("transport_cost_eur", 80_000.0, "float", "EUR per year", "structural",
       "Running cost of a bus line or buurtbus service.", _A, 5_000, 1e6),
    _p("care_point_min_residents", 2_500, "int", "residents", "structural",
       "Localities of at least this size have a care point at the start.", _A, 100, 50_000),
    _p("village_care_min_residents", 1_000, "int", "residents", "structural",
       "Smaller localities may have a care point at the start (with village_care_share).", _A, 0, 50_000),
    _p("village_care_share", 0.5, "float", "fraction", "structural",
       "Share of villages between village_care_min_residents and care_point_min_residents with "
       "a care point at the start.", _A, 0, 1),
    _p("village_bus_share", 0.7, "float", "fraction", "structural",
       "Share of villages with a bus line at the start (towns and neighbourhoods all have one).", _A, 0, 1),
    _p("residents_per_meeting_place", 5_000, "int", "residents", "structural",
       "Towns and neighbourhoods start with one meeting place per this many residents (at least one).",
       _A, 500, 50_000),
    _p("village_meeting_place_share", 0.8, "float", "fraction", "structural",
       "Share of villages with a meeting place (dorpshuis) at the start.",
       "assumption; no national count of dorpshuizen exists (LVKK supports 'ruim 4000' village and "
       "dorpshuis organisations)", 0, 1),
    _p("municipal_budget_slack", 0.05, "float", "fraction", "structural",
       "Initial municipal service budget above the initial cost of its services.", _A, 0, 1),
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
       "Characteristic social distance b at which P(tie) = 1/2.", _A, 0.05, 2),
    _p("mean_income_eur", 32_000.0, "float", "EUR per resident per year", "structural",
       "Mean standardised disposable income per resident before regional and education effects.",
       "assumption (CBS standardised household income, order of magnitude)", 5_000, 200_000),
    _p("income_sigma", 0.47, "float", "log EUR", "structural",
       "Spread of log income within a group.", "chosen so that the Gini is near 0.285 (CBS 2022, "
       "Materiele Welvaart in Nederland 2024)", 0.05, 2),
    _p("income_effect_low", -0.22, "float", "log EUR", "structural",
       "Log-income shift of low versus middle education.", _A, -2, 0),
    _p("income_effect_high", 0.25, "float", "log EUR", "structural",
       "Log-income shift of high versus middle education.", _A, 0, 2),
    _p("free_time_young", 4.0, "float", "hours per week", "structural",
       "Median free time for volunteering, age 15-34.", _A, 0, 40),
    _p("free_time_middle", 3.5, "float", "hours per week", "structural",
       "Median free time for volunteering, age 35-64.", _A, 0, 40),
    _p("free_time_old", 7.0, "float", "hours per week", "structural",
       "Median free time for volunteering, age 65+.", _A, 0, 40),
    _p("free_time_spread", 0.5, "float", "log hours", "structural",
       "Log-normal spread of free time around its median.", _A, 0, 2),
    _p("motivation_alpha", 2.0, "float", "Beta shape", "structural",
       "Civic motivation ~ Beta(alpha, beta) plus an education step.", _A, 0.1, 20),
    _p("motivation_beta", 3.0, "float", "Beta shape", "structural",
       "Second shape of the motivation distribution.", _A, 0.1, 20),
    _p("motivation_education_step", 0.05, "float", "motivation per education level", "structural",
       "Civic motivation rises by this much per education level (Verba, Schlozman & Brady 1995: civic skills).",
       _A, 0, 0.5),
    _p("regional_distrust_to_trust", 0.5, "float", "trust per unit distrust share", "structural",
       "How much lower a province's starting trust in government is per unit of extra share of "
       "residents for whom distrust dominates (Kieskompas 2023); local trust shifts alike.",
       "assumption; Kieskompas for NOS 2023 gives the shares, not their relation to trust", 0, 2),
    _p("trust_concentration", 6.0, "float", "Beta concentration", "structural",
       "Spread of individual trust at the start: Beta(m c, (1 - m) c) around each group's mean.", _A, 1, 100),
    _p("locality_prior_citizens", 5.0, "float", "citizens", "structural",
       "Weight of the national level when a locality's share (of potential leaders, of active or "
       "motivated adults) is estimated from its few simulated citizens: a beta-binomial prior "
       "worth this many citizens. Keeps coarse population_scale runs unbiased.",
       "design choice", 0, 1_000),
    _p("peer_sample", 3, "int", "ties", "structural",
       "Ties sampled each quarter to judge the active share around a citizen.", _A, 1, 20),
    _p("start_members_energy", 180.0, "float", "residents", "structural",
       "Mean membership of an energy cooperative at the start.",
       "Lokale Energie Monitor 2023 (HIER): 131,000 members of 714 cooperatives", 10, 5_000),
    _p("start_members_care", 90.0, "float", "residents", "structural",
       "Mean membership of a care collective at the start.",
       "NLZVE Monitor 2020: 323 respondents with 28,000 members and >16,000 volunteers", 10, 5_000),
    _p("start_members_facility", 120.0, "float", "residents", "structural",
       "Mean membership of a residents' facility collective (shop, buurtbus, centre) at the start.",
       "Nigtevecht village shop: 230 members; assumption", 10, 5_000),
    _p("start_members_neighbourhood", 150.0, "float", "residents", "structural",
       "Mean membership of a village or neighbourhood organisation at the start.",
       "LVKK: about 600,000 active people in 'ruim 4000' organisations", 10, 5_000),
    _p("founding_members", 30.0, "float", "residents", "structural",
       "Members a new collective starts with, its board included.",
       "assumption (a founding meeting of a few dozen residents)", 1, 1_000),
    _p("startup_grant_years", 1.0, "float", "years of fixed cost", "uncertainty",
       "Money a new collective starts with (start-up grant, crowdfunding), in years of its fixed costs.",
       "assumption; NLZVE: 'voor het opstarten ... wel wat geld', structural funding is rare", 0, 5),
    _p("start_size_sd", 0.5, "float", "log residents", "structural",
       "Log-normal spread of collectives' start membership around the kind's mean.", _A, 0, 2),
    # ---- uncertainties: reach of facilities and meeting places ------------------------
    _p("meeting_reach_discount", 0.1, "float", "weight", "uncertainty",
       "Weight of a meeting place in another locality of the municipality relative to one's own "
       "(distance decay in the two-step floating catchment).",
       "assumption; contact falls as distance^-1.6 (Illenberger et al.); Luo & Wang 2003 (2SFCA)", 0, 1),
    _p("service_reach_discount", 0.5, "float", "weight", "uncertainty",
       "Access to a shop, GP, care point or bus line elsewhere in the municipality, relative to "
       "one in one's own locality.",
       "assumption; CLO nl2197: distance to a supermarket 0.9 km nationally, 1.3-1.4 km in Drenthe and Friesland",
       0, 1),
    _p("meeting_place_saturation", 0.3, "float", "capacity per resident", "uncertainty",
       "Reach kappa at which the effect of meeting places is 63% of its maximum: "
       "effect = 1 - exp(-reach / kappa). Smaller kappa saturates sooner.",
       "assumption; Thissen (UvA): what matters is that some meeting place exists", 0.02, 3),
    # ---- uncertainties: participation ----------------------------------------------------
    _p("participation_intercept", -2.09, "float", "logit", "uncertainty",
       "Intercept beta0 of the quarterly volunteering logit.",
       "CBS 49% annual volunteering 2012-2019 (Schmeets & Arends 2017, Statistische Trends); "
       "posterior 5-95% [-2.40, -1.78]", -8, 4, calibrated=CALIBRATED),
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
       "Volunteering logit coefficient of civic motivation (0-1, centred at the start mean).",
       "assumption (Verba, Schlozman & Brady 1995: engagement)", 0, 10),
    _p("beta_trust_others", 1.0, "float", "logit per unit", "uncertainty",
       "Volunteering logit coefficient of trust in other people (centred at the start mean).",
       "assumption (no Dutch estimate)", 0, 5),
    _p("beta_infrastructure", 0.4, "float", "logit", "uncertainty",
       "Volunteering logit shift at full meeting-place reach (scaled by the reach effect 0-1).",
       "assumption (no Dutch estimate; direction Klinenberg 2018)", 0, 3),
    _p("beta_peer", 0.8, "float", "logit", "uncertainty",
       "Volunteering logit shift when the active share of one's ties reaches one's threshold.",
       "assumption; Granovetter 1978, AJS 83(6) threshold", 0, 5),
    _p("beta_burnout", -3.0, "float", "logit per unit", "uncertainty",
       "Volunteering logit coefficient of burnout (burnt-out people stop).",
       "assumption; Allen & Mueller 2013: burnout predicts intention to quit", -10, 0),
    _p("threshold_mean", 0.25, "float", "share of ties", "uncertainty",
       "Mean personal threshold theta (share of active ties) for the peer effect.",
       "Granovetter 1978, AJS 83(6)", 0, 1),
    _p("threshold_sd", 0.12, "float", "share of ties", "uncertainty",
       "Spread of personal thresholds.", "Granovetter 1978, AJS 83(6); range 0.08-0.2 around its critical spread",
       0.01, 0.5),
    # ---- uncertainties: meeting and weak ties -------------------------------------------
    _p("meeting_rate", 1.0, "float", "new weak ties per quarter", "uncertainty",
       "Expected new weak ties per inactive citizen per quarter without meeting places in reach.", _A, 0, 10),
    _p("active_meeting_boost", 2.0, "float", "ratio", "uncertainty",
       "Relative increase of the meeting rate of a citizen active this quarter.", _A, 0, 10),
    _p("meeting_place_meeting_boost", 1.0, "float", "ratio", "uncertainty",
       "Relative increase of the meeting rate at full meeting-place reach.",
       "Klinenberg 2018, Palaces for the People (direction); value assumption", 0, 5),
    _p("bridging_share_base", 0.15, "float", "fraction", "uncertainty",
       "Share of new weak ties that bridge (with someone unlike oneself) without a meeting place in reach.",
       _A, 0, 1),
    _p("bridging_share_meeting_place", 0.40, "float", "fraction", "uncertainty",
       "Share of new weak ties that bridge at full meeting-place reach.",
       "assumption (Klinenberg 2018: places bring unlike people together)", 0, 1),
    _p("weak_tie_decay", 0.15, "float", "fraction per quarter", "uncertainty",
       "Share of weak ties that lapse each quarter.", _A, 0.01, 1),
    # ---- uncertainties: cooperation in collectives -------------------------------------
    _p("conditional_cooperator_share", 0.50, "float", "fraction", "uncertainty",
       "Share of conditional cooperators.", "Fischbacher, Gaechter & Fehr 2001, Economics Letters 71(3)", 0, 1),
    _p("free_rider_share", 0.30, "float", "fraction", "uncertainty",
       "Share of free riders.", "Fischbacher, Gaechter & Fehr 2001, Economics Letters 71(3): about a third", 0, 1),
    _p("hump_share", 0.14, "float", "fraction", "uncertainty",
       "Share of hump-shaped contributors (the rest contribute unconditionally).",
       "Fischbacher, Gaechter & Fehr 2001, Economics Letters 71(3)", 0, 1),
    _p("cooperator_slope", 0.75, "float", "ratio", "uncertainty",
       "How much a conditional cooperator matches the others' contribution (below 1 decays).",
       "assumption; Fischbacher & Gaechter 2010, AER 100(1): imperfect matching (slope below 1)", 0, 1.2),
    _p("warm_glow", 0.1, "float", "contribution", "uncertainty",
       "Contribution a conditional cooperator gives whatever others do.", _A, 0, 0.5),
    _p("cooperation_smoothing", 0.5, "float", "fraction per quarter", "uncertainty",
       "Share of the gap to next quarter's contribution closed each quarter.", _A, 0.05, 1),
    _p("communication_boost", 0.15, "float", "ratio", "uncertainty",
       "Added matching slope at full meeting-place reach (face-to-face communication).",
       "Ostrom 2000, JEP 14(3) (direction); value assumption", 0, 1),
    _p("crowding_out", 0.20, "float", "ratio at full burden", "uncertainty",
       "Matching slope lost at regulatory_burden = 1 (crowding out of intrinsic motivation).",
       "Ostrom 2000, Scand. Political Studies 23(1) (direction); value assumption", 0, 1),
    # ---- uncertainties: founding ---------------------------------------------------------
    _p("founding_rate", 0.0944, "float", "per locality per quarter", "uncertainty",
       "Base founding intensity lambda0 of a collective in a locality with the national start "
       "shares of potential leaders and of active citizens, and unit need.",
       "Dutch start counts of collectives (Lokale Energie Monitor 2023, NLZVE Monitor 2020, LVKK), kept stable; "
       "posterior 5-95% [0.036, 0.160]", 0, 1, calibrated=CALIBRATED),
    *_per_kind("founding_weight", (0.0756, 0.18, 1.5, 0.15), "ratio",
               "Founding intensity relative to founding_rate", _A, 0, 10),
    _p("energy_imitation", 0.0, "float", "ratio at full regional coverage", "uncertainty",
       "Relative increase of the founding intensity of energy cooperatives when every municipality of "
       "the province already has one: examples nearby lower the cost of starting (imitation in the "
       "Bass diffusion model; Bass 1969, Management Science 15(5)). 0 switches it off.",
       "assumption; the hindcast calibration (docs/validation.md) fits it on the Lokale Energie Monitor "
       "counts of 2015-2018", 0, 20),
    _p("infrastructure_founding_boost", 1.0, "float", "ratio", "uncertainty",
       "Relative increase of the founding intensity at full meeting-place reach.",
       "assumption; Klinenberg 2018; RVS 2022, Ruimte maken voor ontmoeting (direction)", 0, 5),
    _p("founding_burden_hurdle", 0.6, "float", "fraction at full burden", "uncertainty",
       "Share of founding intensity lost at regulatory_burden = 1.", _A, 0, 1),
    _p("founding_partnership_base", 0.5, "float", "ratio", "uncertainty",
       "Founding intensity factor without partnership: (base + partnership).", _A, 0, 2),
    _p("care_need_with_care_point", 0.4, "float", "ratio", "uncertainty",
       "Need for a care collective where a care point is within reach, relative to none.", _A, 0, 1),
    _p("care_niche_residents", 20_000.0, "float", "residents", "uncertainty",
       "Room for care collectives: one plus one per this many residents of a locality.", _A, 1_000, 200_000),
    _p("neighbourhood_niche_residents", 4_000.0, "float", "residents", "uncertainty",
       "Room for neighbourhood organisations: one plus one per this many residents.",
       "assumption; Rotterdam: about 1 initiative per 120 residents (Rekenkamer 2020) is an upper bound",
       200, 100_000),
    _p("energy_niche_residents", 40_000.0, "float", "residents", "uncertainty",
       "Room for energy cooperatives: one per municipality plus one per this many residents.",
       "assumption; Lokale Energie Monitor 2022: coops in 86% of municipalities, 'een zeker verzadigingspunt'",
       5_000, 500_000),
    _p("facility_need_cap", 2.0, "float", "closures", "uncertainty",
       "Recent closures beyond this many add no further need for a residents' facility collective.", _A, 1, 10),
    _p("rescue_window", 8, "int", "quarters", "uncertainty",
       "Quarters during which a closed facility can still be rescued by residents.", _A, 1, 40),
    # ---- uncertainties: leaders, members and volunteers --------------------------------
    _p("board_min", 5, "int", "residents", "uncertainty",
       "Board (leaders) a collective needs; with fewer than half of it the collective is leaderless.",
       "assumption; 3-7 typical legal board size (Ghorbani, Nascimento & Filatova 2020: a board is needed)", 1, 15),
    _p("leaderless_board_share", 0.4, "float", "fraction of board_min", "uncertainty",
       "A board below this share of board_min counts as no board.", _A, 0.1, 1),
    _p("leaderless_quarters", 4, "int", "quarters", "uncertainty",
       "Quarters without a board after which a collective dissolves.", _A, 1, 20),
    _p("leader_motivation_low", 0.62, "float", "motivation", "uncertainty",
       "Civic motivation a person with low education needs to lead.",
       "assumption; Bovens 2006, 'diplomademocratie' (direction)", 0, 1),
    _p("leader_motivation_middle", 0.55, "float", "motivation", "uncertainty",
       "Civic motivation a person with middle education needs to lead.", _A, 0, 1),
    _p("leader_motivation_high", 0.48, "float", "motivation", "uncertainty",
       "Civic motivation a person with high education needs to lead.",
       "assumption; Verba, Schlozman & Brady 1995: civic skills (direction)", 0, 1),
    _p("leader_min_free_time", 2.0, "float", "hours per week", "uncertainty",
       "Free time a person needs to lead.", _A, 0, 20),
    _p("leader_max_burnout", 0.3, "float", "burnout", "uncertainty",
       "Burnout above which a person will not lead.", _A, 0, 1),
    *_per_kind("join_rate", (0.0282, 0.1, 0.1, 0.1), "per quarter",
               "Probability per quarter that a resident whose sampled tie is a member joins, at full appeal",
               _A, 0, 1),
    *_per_kind("max_members", (1_000.0, 96.0, 150.0, 167.0), "residents",
               "Size a collective can grow to (its organisational room; defaults chosen so that the start "
               "sizes are the rest point of joining and lapsing; energy cooperatives still grow); a "
               "locality's adults cap it too",
               "assumption; Lokale Energie Monitor 2023: 183 members per energy coop on average and growing "
               "8-9% a year; NLZVE 2020: 87 members per responding care collective", 10, 100_000),
    *_per_kind("volunteer_share", (0.05, 0.6, 0.5, 0.35), "fraction",
               "Share of new members who volunteer actively (the rest are paying or passive members)",
               "assumption; NLZVE Monitor 2020: >16,000 volunteers among 28,000 members of care collectives",
               0, 1),
    _p("outreach", 0.2, "float", "index 0-1", "uncertainty",
       "How far collectives reach beyond the usual joiners: who joins is drawn with weights "
       "propensity ** (1 - outreach), so 0 follows the resources of participation fully and 1 "
       "draws members at random from the locality's adults.",
       "assumption; Snel & Engbersen (Matthew effect) versus Custers (participation rose in poor "
       "Rotterdam neighbourhoods 2008-2013)", 0, 1),
    _p("coopt_rate", 0.1, "float", "per quarter", "uncertainty",
       "Share of a board's vacancies filled per quarter when members who could lead are plentiful.",
       "assumption; 70% of associations can hardly or never find new board members (SBP via Digibron); "
       "3 in 4 village associations find board roles hard to fill (RTV Noord 2018)", 0, 1),
    _p("exit_base", 0.15, "float", "per year", "uncertainty",
       "Yearly probability that a volunteer or board member steps back regardless of burnout (p0).",
       "plausibility band 0.1-0.35/yr (US volunteer attrition 34% in 2012, CNCS 2013)", 0, 1),
    _p("board_exit_base", 0.08, "float", "per year", "uncertainty",
       "Yearly probability that a board member steps down regardless of burnout (board members "
       "stay long: one chair had served 25 years, RTV Noord 2018).", _A, 0, 1),
    _p("exit_burnout", 0.8, "float", "per year at full burnout", "uncertainty",
       "Added yearly exit probability at burnout 1 (p1).",
       "assumption (Allen & Mueller 2013: burnout predicts intention to quit)", 0, 3),
    _p("member_exit_rate", 0.05, "float", "per year", "uncertainty",
       "Yearly probability that a passive (paying) member leaves.",
       "assumption; Lokale Energie Monitor: energy membership grew 8-9% a year with few leaving", 0, 1),
    # ---- uncertainties: work, load and burnout -----------------------------------------
    *_per_kind("board_hours", (10.0, 10.0, 10.0, 6.0), "hours per week",
               "Board work a collective needs whatever its size", _A, 0, 100),
    *_per_kind("hours_per_member", (0.01, 0.10, 0.02, 0.04), "hours per week per member",
               "Work per member (administration, care visits, activities)", _A, 0, 2),
    _p("service_hours_shop", 100.0, "float", "hours per week", "uncertainty",
       "Volunteer hours a residents' shop needs.",
       "assumption; village shops open ~50 h a week with two staff", 0, 400),
    _p("service_hours_care", 60.0, "float", "hours per week", "uncertainty",
       "Volunteer hours a care point run by residents needs.", _A, 0, 400),
    _p("service_hours_transport", 40.0, "float", "hours per week", "uncertainty",
       "Volunteer hours a buurtbus needs.", _A, 0, 400),
    _p("service_hours_meeting", 30.0, "float", "hours per week", "uncertainty",
       "Volunteer hours a meeting place run by residents needs.", _A, 0, 400),
    _p("admin_hours_full_burden", 10.0, "float", "hours per week", "uncertainty",
       "Board hours for rules at regulatory_burden = 1.", _A, 0, 50),
    _p("volunteer_hours", 4.0, "float", "hours per week", "uncertainty",
       "Hours an active ordinary volunteer gives.", "CBS (Schmeets 2022): about 4 h/week", 0.5, 20),
    _p("volunteer_capacity_hours", 5.0, "float", "hours per week", "uncertainty",
       "Hours a volunteer can give before load turns into strain.", _A, 1, 40),
    _p("leader_capacity_hours", 4.0, "float", "hours per week", "uncertainty",
       "Hours a board member can give before load turns into strain.",
       "assumption: the 4 h/week of an average volunteer (CBS, Schmeets 2022) as a sustainable load", 1, 40),
    _p("max_weekly_hours", 20.0, "float", "hours per week", "uncertainty",
       "Most a volunteer or board member gives; work beyond it stays undone and strains everyone.",
       _A, 4, 60),
    _p("burnout_gain", 0.04, "float", "per excess hour per quarter", "uncertainty",
       "Growth of burnout per weekly hour of load above capacity (a in the burnout rule, ODD 7.13).",
       "assumption (Allen & Mueller 2013, J. Community Psychology 41(2): direction)", 0, 0.5),
    _p("burnout_recovery", 0.15, "float", "fraction per quarter", "uncertainty",
       "Share of burnout that fades each quarter (b in the burnout rule).", _A, 0.01, 1),
    _p("burnout_voice_relief", 0.05, "float", "per quarter", "uncertainty",
       "Burnout relief of a heard collective's people in a fully responsive municipality (c in the burnout rule).",
       "Allen & Mueller 2013, J. Community Psychology 41(2): voice lowers burnout; value assumption", 0, 0.5),
    # ---- uncertainties: money -----------------------------------------------------------
    _p("member_fee_eur", 25.0, "float", "EUR per member per year", "uncertainty",
       "Membership fee of a collective.", "Nigtevecht village shop: EUR 25/yr (230 members)", 0, 500),
    *_per_kind("margin_per_member", (40.0, 60.0, 0.0, 10.0), "EUR per member per year",
               "Income per member besides the fee (energy sales, client contributions, activities)", _A, 0, 1_000),
    *_per_kind("base_cost", (5_000.0, 6_000.0, 5_000.0, 1_000.0), "EUR per year",
               "Fixed running cost of a collective", _A, 0, 100_000),
    *_per_kind("compliance_cost", (6_000.0, 6_000.0, 4_000.0, 1_500.0), "EUR per year",
               "Cost of rules at regulatory_burden = 1", _A, 0, 100_000),
    _p("venue_saving_share", 0.3, "float", "fraction", "uncertainty",
       "Share of a collective's fixed cost saved at full meeting-place reach (a free venue).",
       "assumption (Klinenberg 2018: social infrastructure lowers the cost of organising)", 0, 1),
    _p("collective_cost_ratio", 0.7, "float", "ratio", "uncertainty",
       "Running cost of a service run by a collective relative to the same service run by "
       "the municipality or the market (manifesto claim C1: below 1 means cheaper).",
       "assumption; anecdotal 'goedkoper' (CMO STAMM 2022), no systematic study", 0.2, 2),
    _p("user_share_care", 0.3, "float", "fraction of cost", "uncertainty",
       "Share of a care point's running cost its users pay when residents run it.", _A, 0, 1),
    _p("user_share_transport", 0.2, "float", "fraction of cost", "uncertainty",
       "Share of a bus service's running cost its users pay (fares) when residents run it.", _A, 0, 1),
    _p("user_share_meeting", 0.5, "float", "fraction of cost", "uncertainty",
       "Share of a meeting place's running cost its users pay (bar, room hire) when residents run it.", _A, 0, 1),
    _p("handover_budget_share", 0.8, "float", "fraction", "uncertainty",
       "Share of a service's public budget a municipality passes to the collective taking it over.",
       "assumption (right to challenge, bill 36210)", 0, 1),
    _p("debt_tolerance_years", 1.0, "float", "years of fixed cost", "uncertainty",
       "A collective whose debt exceeds this many years of its fixed costs dissolves.", _A, 0, 10),
    _p("failure_hazard_energy", 0.007, "float", "per year", "uncertainty",
       "Background dissolution hazard of an energy cooperative (besides leaders and money).",
       "Lokale Energie Monitor 2022: 5 of 705 removed (derived)", 0, 0.5),
    _p("failure_hazard_other", 0.015, "float", "per year", "uncertainty",
       "Background dissolution hazard of care, facility and neighbourhood collectives.",
       "assumption; higher than energy (Meerstra-de Haan et al. 2020, Rural Sociology 85(1))", 0, 0.5),
    _p("grant_per_collective_eur", 5_000.0, "float", "EUR per year", "uncertainty",
       "Structural grant a municipality gives a collective whose application it approves.",
       "assumption (scale of Lelystad's Buurtbudget 2014)", 0, 200_000),
    # ---- uncertainties: municipalities ---------------------------------------------------
    _p("municipal_fund_trend", -0.002, "float", "fraction per year", "uncertainty",
       "Real yearly change of municipalities' service budgets under today's policy (the "
       "municipal fund against rising costs); levers add municipal_budget_change on top.",
       "assumption; VNG on the 'ravijnjaar 2026' (the municipal fund falls in real terms from 2026)", -0.1, 0.05),
    _p("responsiveness_base", 0.2, "float", "index 0-1", "uncertainty",
       "Mean political culture of listening to residents and collectives, without partnership.", _A, 0, 1),
    _p("responsiveness_partnership", 0.7, "float", "per unit partnership", "uncertainty",
       "Responsiveness gained per unit of partnership.", _A, 0, 1),
    _p("responsiveness_sd", 0.1, "float", "index 0-1", "uncertainty",
       "Spread of political culture between municipalities.", _A, 0, 0.5),
    _p("grant_approval_base", 0.25, "float", "probability", "uncertainty",
       "Grant approval probability at zero partnership and zero burden (before budget and responsiveness).",
       _A, 0, 1),
    _p("grant_approval_partnership", 0.6, "float", "per unit partnership", "uncertainty",
       "Grant approval gained per unit of partnership.", _A, 0, 1),
    _p("grant_responsiveness_base", 0.5, "float", "ratio", "uncertainty",
       "Grant approval factor of a municipality that does not listen at all: approval is "
       "multiplied by (base + responsiveness).", _A, 0, 2),
    _p("grant_approval_burden", 0.2, "float", "per unit burden", "uncertainty",
       "Grant approval lost per unit of regulatory burden.", _A, 0, 1),
    _p("hearing_persistence", 0.8, "float", "probability", "uncertainty",
       "Probability that a hearing given last year lasts (relations persist), before approval adds to it.",
       _A, 0, 1),
    _p("reopen_reserve", 0.03, "float", "fraction of budget", "uncertainty",
       "A municipality reopens a closed service only if it still keeps this share of its budget in "
       "reserve afterwards (so that the next cut does not close it again).", _A, 0, 0.5),
    _p("ask_weight", 1.0, "float", "ratio", "uncertainty",
       "How strongly residents' and collectives' asks protect a service from cuts, in a fully "
       "responsive municipality (value = use x (1 + ask_weight x responsiveness x ask) / cost).", _A, 0, 10),
    # ---- uncertainties: allocation --------------------------------------------------------
    _p("need_access_weight", 1.0, "float", "ratio", "uncertainty",
       "Weight of missing access in the needs_based allocation score.", _A, 0, 5),
    _p("need_income_weight", 1.0, "float", "exponent", "uncertainty",
       "Exponent of relative poverty (national mean income / local mean income) in the needs_based score.",
       _A, 0, 5),
    # ---- uncertainties: trust --------------------------------------------------------------
    _p("trust_up_rate", 0.04, "float", "per quarter", "uncertainty",
       "Speed lambda+ at which trust in government rises towards a better signal.", _A, 0, 1),
    _p("trust_down_ratio", 2.5, "float", "ratio", "uncertainty",
       "lambda-/lambda+: how much faster bad news lowers trust than good news raises it.",
       "Slovic 1993, Risk Analysis 13(6): asymmetry; ratio 2-3 assumption", 1, 10),
    _p("voice_weight", 0.25, "float", "trust per unit voice", "uncertainty",
       "Trust in government gained per unit of felt voice (0-1).",
       "OECD 2024 Trust Survey, Netherlands: those with a say trust the national government 47 pp "
       "more; a causal effect is smaller (selection), so the default is about half of it", 0, 0.6),
    _p("voice_low", 0.25, "float", "voice 0-1", "uncertainty",
       "Felt voice of people with low education who are not heard through a collective.",
       "assumption; Bovens 2006, 'diplomademocratie' (direction)", 0, 1),
    _p("voice_middle", 0.35, "float", "voice 0-1", "uncertainty",
       "Felt voice of people with middle education.", _A, 0, 1),
    _p("voice_high", 0.45, "float", "voice 0-1", "uncertainty",
       "Felt voice of people with high education.", _A, 0, 1),
    _p("resident_voice", 0.2, "float", "voice per unit responsiveness", "uncertainty",
       "Felt voice every resident gains per unit of their municipality's responsiveness above today's "
       "(a council that listens is felt beyond the collectives it hears).",
       "assumption; OECD 2022, Building Trust: responsiveness drives trust", 0, 1),
    _p("heard_voice", 0.6, "float", "voice 0-1", "uncertainty",
       "Voice gained by a member of a heard collective in a fully responsive municipality.",
       "assumption (WRR 2012, Vertrouwen in burgers: participation works through trust both ways)", 0, 1),
    _p("denial_voice_loss", 0.1, "float", "voice 0-1", "uncertainty",
       "Voice lost by a member of a collective whose application was turned down this year "
       "(procedural justice: an unfavourable outcome).", "assumption; Wu & Wu 2015 (direction)", 0, 1),
    _p("performance_weight", 0.3, "float", "trust per unit access", "uncertainty",
       "Weight of access to services in reach in the local trust signal.",
       "assumption; Van de Walle & Bouckaert 2003, IJPA 26: performance matters under conditions", 0, 1),
    _p("closure_trust_loss", 0.043, "float", "trust per closure", "uncertainty",
       "Fall of the local trust signal per remembered closure in one's own locality.",
       "Bolet 2021, Comparative Political Studies 54(9): one pub closure raises radical-right support "
       "by 4.3 pp; read here as lost trust one for one", 0, 0.2),
    _p("opening_trust_gain", 0.017, "float", "trust per opening", "uncertainty",
       "Rise of the local trust signal per remembered opening or rescue in one's own locality.",
       "assumption: closure_trust_loss / 2.5 (bad news weighs more, Slovic 1993)", 0, 0.2),
    _p("event_memory_decay", 0.05, "float", "fraction per quarter", "uncertainty",
       "Share of the memory of closures and openings that fades each quarter.",
       "assumption; Bolet 2021 finds effects lasting the 2013-2016 panel", 0.01, 1),
    _p("national_spillover", 0.3, "float", "ratio", "uncertainty",
       "Share of the local experience (access, closures, openings) that also moves trust in the "
       "national government.", _A, 0, 1),
    _p("national_performance_weight", 0.3, "float", "trust per unit access", "uncertainty",
       "Weight of the change of national mean access since the start in the national trust signal.", _A, 0, 2),
    _p("influence_rate", 0.02, "float", "fraction per quarter", "uncertainty",
       "Assimilative social influence: share of the difference to a sampled tie's trust adopted "
       "per quarter, when the difference is within confidence_bound.",
       "Flache et al. 2017, JASSS 20(4):2; Deffuant et al. 2000 (bounded confidence); value assumption", 0, 1),
    _p("confidence_bound", 0.3, "float", "trust", "uncertainty",
       "Largest difference in trust across which influence is assimilative.",
       "Deffuant et al. 2000; Hegselmann & Krause 2002; value assumption", 0, 1),
    _p("repulsion_rate", 0.0, "float", "fraction per quarter", "uncertainty",
       "Repulsive influence: share of the difference to a very different tie by which one moves "
       "away (0 switches repulsion off).", "Flache et al. 2017, JASSS 20(4):2 (option); value assumption", 0, 1),
    _p("repulsion_bound", 0.6, "float", "trust", "uncertainty",
       "Difference in trust beyond which influence is repulsive (when repulsion_rate > 0).", _A, 0, 1),
    _p("trust_others_rate", 0.02, "float", "per quarter", "uncertainty",
       "Speed at which trust in other people moves towards its signal (slow).",
       "assumption; CBS trust in others moves ~1 pp/yr (Schmeets & Exel 2022)", 0, 1),
    _p("bridging_weight", 0.3, "float", "trust per unit share", "uncertainty",
       "Weight of the bridging share of one's ties in the trust-in-others signal.",
       "Growiec, Growiec & Kaminski 2020, JASSS 23(2):8 (direction); value assumption", 0, 1),
    _p("participation_trust_weight", 0.1, "float", "trust", "uncertainty",
       "Trust in others gained by being active in the community this quarter.",
       "assumption (Putnam 2000: civic engagement and generalised trust, direction)", 0, 0.5),
    # ---- uncertainties: market ----------------------------------------------------------
    _p("market_drift", 0.0471, "float", "fraction per year", "uncertainty",
       "Yearly fall of the local purchase share in small places (mobility, scale, online).",
       "Locatus via Trouw 2023: small supermarkets in small places 605 -> 299, 2008-2023, -4.6%/yr; "
       "posterior 5-95% [0.027, 0.067]", 0, 0.3, calibrated=CALIBRATED),
    _p("gp_drift_factor", 1 / 3, "float", "ratio", "uncertainty",
       "Drift of GP practices' local share relative to shops'.", _A, 0, 2),
    _p("market_noise_sd", 0.01, "float", "log share per quarter", "uncertainty",
       "Quarterly noise of each outlet's local purchase share.", _A, 0, 0.2),
    _p("shop_spend_eur", 2_400.0, "float", "EUR per resident per year", "structural",
       "Spending on groceries per resident (the revenue base of a shop).", _A, 500, 10_000),
    _p("shop_threshold_eur", 1_000_000.0, "float", "EUR per year", "structural",
       "Median revenue a shop needs to stay open.",
       "a practitioner's 'je kunt niet draaien op een omzet van maar 20.000 euro per week' (Omroep Brabant 2024)",
       100_000, 1e7),
    _p("retail_gross_margin", 0.25, "float", "fraction of turnover", "structural",
       "Share of a shop's turnover left after buying its goods: what pays its fixed running costs "
       "(the viability threshold times this share) and what a residents' shop earns.",
       "assumption (grocery gross margins of about a quarter)", 0.05, 0.6),
    _p("gp_spend_eur", 150.0, "float", "EUR per resident per year", "structural",
       "GP revenue per registered patient.", _A, 10, 2_000),
    _p("gp_threshold_eur", 315_000.0, "float", "EUR per year", "structural",
       "Median revenue a GP practice needs (2,100 patients x EUR 150).", _A, 10_000, 5e6),
    _p("local_share_neighbourhood", 0.85, "float", "fraction", "structural",
       "Starting local purchase share in urban neighbourhoods.", _A, 0, 1),
    _p("local_share_town", 0.75, "float", "fraction", "structural",
       "Starting local purchase share in towns.", _A, 0, 1),
    _p("local_share_village", 0.40, "float", "fraction", "structural",
       "Starting local purchase share in villages.", _A, 0, 1),
    _p("local_share_spread", 0.15, "float", "log share", "structural",
       "Log-normal spread of starting local purchase shares.", _A, 0, 2),
    _p("threshold_spread", 0.35, "float", "log EUR", "structural",
       "Log-normal spread of outlets' viability thresholds.", _A, 0, 2),
)

PARAMS: dict[str, Param] = {p.name: p for p in DECLARATIONS}
LEVERS = tuple(p.name for p in DECLARATIONS if p.group == "lever")
UNCERTAINTIES = tuple(p.name for p in DECLARATIONS if p.group == "uncertainty")
#: Parameters a dated policy change may set during a run (:class:`PolicyChange`): the levers
#: the model reads every quarter, and the national energy support. The one-off budgets
#: (``investment_eur``, ``investment_years``, ``market_subsidy_eur``) are opened at step 0 and
#: cannot be changed later.
DATED_PARAMETERS = tuple(name for name in LEVERS
                         if name not in ("investment_eur", "investment_years", "market_subsidy_eur")
                         ) + ("energy_policy_support",)


@dataclass(frozen=True)
class PolicyChange:
    """A dated change of policy: from ``year`` (decimal, e.g. 2015.0) on, ``changes`` hold.

    A scenario lists its history of policy as dated changes (a hindcast's 2015 decentralisation,
    say); the model applies each at the first step at or after its date.
    """

    year: float
    changes: Mapping[str, Any]
    name: str = ""


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
