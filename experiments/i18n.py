"""Every word the charts and the brief show, in Dutch and English side by side.

``TEXT`` maps a key to ``{"nl": ..., "en": ...}``; templates use ``str.format`` fields,
and both languages of a key must use the same fields (a test checks this). ``OUTCOMES``
says how each outcome is named, scaled and rounded: shares (0-1) are reported as
percentages and their differences in percentage points, because that is how Dutch survey
figures (CBS, SCP) are read.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


@dataclass(frozen=True)
class Outcome:
    """How an outcome column is shown: names, unit of its level and of its change."""

    column: str
    name: dict[str, str]  # "trust in national government"
    unit: dict[str, str]  # unit of the level after scaling, e.g. "%"
    change_unit: dict[str, str]  # unit of a difference after scaling, e.g. "percentage points"
    scale: float = 100.0  # level and change are multiplied by this before showing
    decimals: int = 1
    lower_is_better: bool = False
    #: Smallest range of a chart axis of levels and of differences (shown units): a change
    #: of 0.4 percentage points should look small, not fill the panel like a trend.
    min_span: float = 5.0
    change_span: float = 2.0

    def label(self, lang: str) -> str:
        """``name (unit)`` for an axis that shows levels."""
        return f"{self.name[lang]} ({self.unit[lang]})"

    def change_label(self, lang: str) -> str:
        """``change in name (unit)`` for an axis that shows differences."""
        return tr("change_in", lang, name=self.name[lang], unit=self.change_unit[lang])


_PCT = {"nl": "%", "en": "%"}
_PP = {"nl": "procentpunt", "en": "percentage points"}
_IDX = {"nl": "index 0-100", "en": "index 0-100"}
_IDX_PT = {"nl": "indexpunten", "en": "index points"}
_THEIL = {"nl": "Theil x 1000", "en": "Theil x 1000"}

OUTCOMES: dict[str, Outcome] = {o.column: o for o in (
    Outcome("cohesion", {"nl": "samenhang", "en": "cohesion"}, _IDX, _IDX_PT),
    Outcome("trust_government", {"nl": "vertrouwen in de rijksoverheid",
                                 "en": "trust in national government"}, _PCT, _PP),
    Outcome("trust_local_government", {"nl": "vertrouwen in de gemeente",
                                       "en": "trust in local government"}, _PCT, _PP),
    Outcome("trust_others", {"nl": "vertrouwen in anderen", "en": "trust in other people"}, _PCT, _PP),
    Outcome("participation_rate", {"nl": "participatie (vrijwilligers)",
                                   "en": "participation (volunteers)"}, _PCT, _PP),
    Outcome("access", {"nl": "toegang tot voorzieningen", "en": "access to facilities"}, _PCT, _PP),
    Outcome("theil_access_between", {"nl": "regionale ongelijkheid in toegang",
                                     "en": "regional inequality of access"},
            _THEIL, _THEIL, scale=1000.0, decimals=2, lower_is_better=True, min_span=1.0, change_span=0.5),
)}

#: Outcomes of the brief's over-time chart, findings table and difference chart.
BRIEF_OUTCOMES = ("cohesion", "trust_government", "trust_local_government", "access",
                  "theil_access_between")
#: Outcomes of the "who gains" chart.
GROUP_OUTCOMES = ("trust_government", "participation_rate")
#: Outcomes of the mission whose robustness the "How sure are we?" section reports (issue 14).
MISSION_OUTCOMES = ("cohesion", "trust_government", "trust_local_government", "trust_others",
                    "participation_rate", "access")
#: Groups of uncertain assumptions of the grouped Sobol analysis
#: (experiments.calibration.checks.UNCERTAINTY_GROUPS), as the brief names them.
ASSUMPTION_GROUPS: dict[str, dict[str, str]] = {
    "participation": {"nl": "wie meedoet", "en": "who takes part"},
    "meeting_and_ties": {"nl": "ontmoeting en contacten", "en": "meeting and ties"},
    "cooperation": {"nl": "samenwerking in collectieven", "en": "cooperation in collectives"},
    "founding": {"nl": "oprichting van collectieven", "en": "founding of collectives"},
    "membership_and_boards": {"nl": "leden en besturen", "en": "members and boards"},
    "work_and_burnout": {"nl": "werklast en uitputting", "en": "workload and burnout"},
    "money_of_collectives": {"nl": "geld van collectieven", "en": "money of collectives"},
    "municipalities": {"nl": "gemeenten", "en": "municipalities"},
    "trust_in_government": {"nl": "vertrouwen in de overheid", "en": "trust in government"},
    "trust_in_others": {"nl": "vertrouwen in anderen", "en": "trust in other people"},
    "market": {"nl": "markt voor winkels en huisartsen", "en": "market for shops and GPs"},
    "reach_and_meeting_places": {"nl": "bereik en ontmoetingsplekken", "en": "reach and meeting places"},
}


def assumption_group(group: str, lang: str) -> str:
    """A group of assumptions as the brief names it (a group it does not know: its name in words)."""
    return ASSUMPTION_GROUPS.get(group, {}).get(lang) or group.replace("_", " ")

TEXT: dict[str, dict[str, str]] = {
    # document
    "brief_title": {"nl": "Samen: wat levert het nieuwe sociale contract op?",
                    "en": "Samen: what does the new social contract deliver?"},
    "question_heading": {"nl": "De vraag", "en": "The question"},
    "question": {
        "nl": "Wat gebeurt er met samenhang, vertrouwen in de overheid en toegang tot voorzieningen "
              "in de komende {years} als de overheid kiest voor {scenarios}, vergeleken met "
              "ongewijzigd beleid ({base})? Elk scenario is {replications} keer gesimuleerd met "
              "dezelfde toevalsgetallen, zodat de verschillen alleen door het beleid komen.",
        "en": "What happens to cohesion, trust in government and access to facilities over the next "
              "{years} if government chooses {scenarios}, compared with unchanged policy "
              "({base})? Each scenario was simulated {replications} times on the same random draws, "
              "so differences come from the policy alone.",
    },
    "date_line": {"nl": "Gemaakt op {date} met Samen {version}", "en": "Made on {date} with Samen {version}"},
    "and": {"nl": "en", "en": "and"},
    "or": {"nl": "of", "en": "or"},
    "findings_heading": {"nl": "Belangrijkste uitkomsten", "en": "Key findings"},
    "findings_intro": {
        "nl": "Mediaan van het verschil met {base} na {years}, met 90%-interval over {replications} "
              "(gepaard per herhaling).",
        "en": "Median difference from {base} after {years}, with 90% interval over {replications} "
              "(paired by replication).",
    },
    "table_legend": {
        "nl": "Grijs cursief: geen duidelijk effect (het 90%-interval bevat nul).",
        "en": "Grey italics: no clear effect (the 90% interval includes zero).",
    },
    "table_outcome": {"nl": "Uitkomst", "en": "Outcome"},
    "table_unit": {"nl": "eenheid", "en": "unit"},
    "finding_up": {
        "nl": "In {scenario} ligt {outcome} na {years} {value} {unit} hoger dan in {base} "
              "(90%-interval {low} tot {high}).",
        "en": "Under {scenario}, {outcome} is {value} {unit} higher than under {base} after {years} "
              "(90% interval {low} to {high}).",
    },
    "finding_down": {
        "nl": "In {scenario} ligt {outcome} na {years} {value} {unit} lager dan in {base} "
              "(90%-interval {low} tot {high}).",
        "en": "Under {scenario}, {outcome} is {value} {unit} lower than under {base} after {years} "
              "(90% interval {low} to {high}).",
    },
    "finding_none": {
        "nl": "In {scenario} is er geen duidelijk effect op {outcome} vergeleken met {base} "
              "(mediaan {value} {unit}, 90%-interval {low} tot {high}).",
        "en": "Under {scenario}, there is no clear effect on {outcome} compared with {base} "
              "(median {value} {unit}, 90% interval {low} to {high}).",
    },
    "no_clear_effect": {"nl": "geen duidelijk effect", "en": "no clear effect"},
    "few_replications": {
        "nl": "Let op: met {replications} zijn de intervallen ruw; gebruik er minstens 20 "
              "voor beleidsconclusies.",
        "en": "Note: with {replications} the intervals are rough; use at least 20 before "
              "drawing policy conclusions.",
    },
    "charts_heading": {"nl": "Grafieken", "en": "Charts"},
    "method_heading": {"nl": "Hoe dit is berekend", "en": "How this was computed"},
    "method_model": {"nl": "Model: Samen {version}, git-commit {commit}",
                     "en": "Model: Samen {version}, git commit {commit}"},
    "method_runs": {
        "nl": "{n_scenarios} x {replications} x {steps} ({years}); "
              "master seed {seed}; herhaling r van elk scenario gebruikt hetzelfde seed.",
        "en": "{n_scenarios} x {replications} x {steps} ({years}); "
              "master seed {seed}; replication r of every scenario uses the same seed.",
    },
    "uncommitted": {"nl": "met niet-vastgelegde wijzigingen", "en": "with uncommitted changes"},
    "method_seeds": {"nl": "Seeds per herhaling: {seeds}", "en": "Seeds per replication: {seeds}"},
    "method_source": {"nl": "Resultaten: {path}", "en": "Results: {path}"},
    "method_scenario": {"nl": "{name}: {description} Parameters: {parameters}",
                        "en": "{name}: {description} Parameters: {parameters}"},
    "method_common": {"nl": "Voor alle scenario's: {parameters}", "en": "For all scenarios: {parameters}"},
    "method_none": {"nl": "standaardwaarden", "en": "defaults"},
    "limits_heading": {"nl": "Belangrijkste aannames en beperkingen",
                       "en": "Main assumptions and limits"},
    "limits_source": {
        "nl": "De technische modelbeschrijving (ODD-protocol) geeft bij elke aanname de onderbouwing.",
        "en": "The technical model description (ODD protocol) gives the evidence for each assumption.",
    },
    "skipped_chart": {"nl": "Niet getoond: {reason}", "en": "Not shown: {reason}"},
    "missing_series": {"nl": "de onderliggende simulaties bewaarden geen verloop door de tijd",
                       "en": "the underlying simulations kept no values over time"},
    "missing_regions": {"nl": "de onderliggende simulaties bewaarden geen uitkomsten per provincie",
                        "en": "the underlying simulations kept no outcomes per province"},
    "missing_groups": {"nl": "de onderliggende simulaties bewaarden geen uitkomsten per groep",
                       "en": "the underlying simulations kept no outcomes per group"},
    "missing_investment": {"nl": "geen scenario investeert extra geld",
                           "en": "no scenario invests extra money"},
    "page": {"nl": "pagina {page} van {pages}", "en": "page {page} of {pages}"},
    "footer": {"nl": "Samen {version} \u00b7 {replications} per scenario \u00b7 master seed {seed}",
               "en": "Samen {version} \u00b7 {replications} per scenario \u00b7 master seed {seed}"},
    # charts
    "caption": {
        "nl": "Scenario's: {scenarios}. {replications} per scenario, master seed {seed}.",
        "en": "Scenarios: {scenarios}. {replications} per scenario, master seed {seed}.",
    },
    "year": {"nl": "jaar", "en": "year"},
    "step": {"nl": "kwartaal", "en": "quarter"},
    "change_in": {"nl": "verandering in {name} ({unit})", "en": "change in {name} ({unit})"},
    "over_time_title": {"nl": "Uitkomsten door de tijd: mediaan en 90%-band over herhalingen",
                        "en": "Outcomes over time: median and 90% band over replications"},
    "over_time_caption": {"nl": "Lijn: mediaan; band: 5e tot 95e percentiel over herhalingen.",
                          "en": "Line: median; band: 5th to 95th percentile over replications."},
    "difference_title": {"nl": "Verschil met {base} na {years} (mediaan en 90%-interval)",
                         "en": "Difference from {base} after {years} (median and 90% interval)"},
    "difference_caption": {
        "nl": "Punt: mediaan van het verschil per herhaling; streep: 90%-interval. Raakt de streep de "
              "nullijn, dan is er geen duidelijk effect. Grijze band: hoeveel {base} zelf van seed tot "
              "seed varieert (90%); een effect daarbinnen is kleiner dan het toevalsverschil tussen twee "
              "losse simulaties.",
        "en": "Dot: median of the per-replication difference; whisker: 90% interval. A whisker that "
              "crosses the zero line means no clear effect. Grey band: how much {base} itself varies from "
              "seed to seed (90%); an effect inside it is smaller than the chance difference between two "
              "single runs.",
    },
    "map_title": {"nl": "Verandering in {outcome} per provincie t.o.v. {base} na {years}",
                  "en": "Change in {outcome} per province against {base} after {years}"},
    "map_caption": {
        "nl": "Tegelkaart van de twaalf provincies; kleur en getal: mediaan van het verschil per herhaling "
              "({unit}), met het 90%-interval (van\u2026tot) eronder. Blauw is hoger, oranje lager dan {base}; "
              "bleek en gearceerd: het interval bevat nul (geen duidelijk effect).",
        "en": "Tile map of the twelve provinces; colour and number: median of the per-replication difference "
              "({unit}), with its 90% interval (from\u2026to) below. Blue is higher, orange lower than {base}; "
              "pale and hatched: the interval includes zero (no clear effect).",
    },
    "groups_title": {"nl": "Wie profiteert? Verandering t.o.v. {base} na {years} per groep",
                     "en": "Who gains? Change against {base} after {years} by group"},
    "groups_caption": {
        "nl": "Bevolkingsgewogen gemiddelden per groep; punt: mediaan, streep: 90%-interval. Als "
              "hoogopgeleiden en hoge inkomens meer winnen, groeit de kloof (Mattheuseffect).",
        "en": "Population-weighted group means; dot: median, whisker: 90% interval. If the highly "
              "educated and high incomes gain more, the gap widens (Matthew effect).",
    },
    "education": {"nl": "opleidingsniveau", "en": "education level"},
    "income_quintile": {"nl": "inkomenskwintiel (1 = laagste 20%)", "en": "income quintile (1 = lowest 20%)"},
    "edu_low": {"nl": "laag", "en": "low"},
    "edu_middle": {"nl": "middelbaar", "en": "middle"},
    "edu_high": {"nl": "hoog", "en": "high"},
    "cost_title": {"nl": "Effect per 100 miljoen euro na {years}",
                   "en": "Effect per EUR 100 million after {years}"},
    "cost_axis": {"nl": "{unit} per 100 mln euro", "en": "{unit} per EUR 100m"},
    "cost_caption": {
        "nl": "Verschil met {base} gedeeld door de extra uitgaven (investering plus marktsubsidie) in "
              "eenheden van 100 miljoen euro. Niet getoond omdat ze niets extra uitgeven: {skipped}.",
        "en": "Difference from {base} divided by the extra spending (investment plus market subsidy) "
              "in units of EUR 100 million. Not shown because they spend nothing extra: {skipped}.",
    },
    "cost_caption_all": {
        "nl": "Verschil met {base} gedeeld door de extra uitgaven (investering plus marktsubsidie) in "
              "eenheden van 100 miljoen euro.",
        "en": "Difference from {base} divided by the extra spending (investment plus market subsidy) "
              "in units of EUR 100 million.",
    },
    "invested": {"nl": "{amount} mln euro", "en": "EUR {amount} million"},
    "sensitivity_title": {"nl": "Gevoeligheid van {outcome}: {method}-indices met 95%-interval",
                          "en": "Sensitivity of {outcome}: {method} indices with 95% interval"},
    "sensitivity_caption": {"nl": "Uit {path}.", "en": "From {path}."},
    "sobol_first": {"nl": "eerste orde (S1)", "en": "first order (S1)"},
    "sobol_total": {"nl": "totaal (ST)", "en": "total (ST)"},
    "morris_mu_star": {"nl": "mu* (gemiddeld absoluut elementair effect)",
                       "en": "mu* (mean absolute elementary effect)"},
    "index_axis": {"nl": "index (aandeel van de variantie)", "en": "index (share of variance)"},
    "parameter": {"nl": "parameter", "en": "parameter"},
    # how sure are we (grouped Sobol analysis of the manifesto-minus-baseline difference)
    "sensitivity_heading": {"nl": "Hoe zeker zijn we?", "en": "How sure are we?"},
    "sensitivity_intro": {
        "nl": "De uitkomsten rusten op aannames over hoe mensen, collectieven en gemeenten zich gedragen. "
              "We hebben alle onzekere aannames tegelijk gevarieerd over hun aannemelijke bereik, in "
              "{groups} groepen, en elke combinatie doorgerekend met en zonder {policy} (zelfde seeds, "
              "{samples} combinaties). Zo zien we of het verschil met {base} zijn richting houdt, en van "
              "welke aannames het afhangt.",
        "en": "The results rest on assumptions about how people, collectives and municipalities behave. "
              "We varied all uncertain assumptions together over their plausible ranges, in {groups} "
              "groups, and ran every combination with and without {policy} (same seeds, {samples} "
              "combinations). This shows whether the difference from {base} keeps its direction, and "
              "which assumptions it depends on.",
    },
    "sensitivity_outcome": {
        "nl": "{outcome}: {direction} dan bij {base} in {share}% van de combinaties; het meest bepalend: "
              "{groups}.",
        "en": "{outcome}: {direction} than under {base} in {share}% of the combinations; what it depends on "
              "most: {groups}.",
    },
    "sensitivity_no_chart": {"nl": "geen van de missie-uitkomsten varieert over de combinaties",
                             "en": "none of the mission outcomes varies over the combinations"},
    "sensitivity_higher": {"nl": "hoger", "en": "higher"},
    "sensitivity_lower": {"nl": "lager", "en": "lower"},
    "sensitivity_constant": {"nl": "{outcome}: in elke combinatie hetzelfde verschil met {base}.",
                             "en": "{outcome}: the same difference from {base} in every combination."},
    "sensitivity_most": {
        "nl": "Welke aannames het meest uitmaken: {groups} (de grootste totale Sobol-index, gemiddeld over "
              "deze uitkomsten).",
        "en": "Which assumptions matter most: {groups} (the largest total Sobol index, averaged over these "
              "outcomes).",
    },
    "sensitivity_chart_title": {"nl": "Waar het verschil met {base} van afhangt: Sobol-indices per groep aannames",
                                "en": "What the difference from {base} depends on: Sobol indices per group "
                                      "of assumptions"},
    "sensitivity_chart_caption": {
        "nl": "Balk: totale Sobol-index (ST), het deel van de spreiding van het verschil dat een groep aannames "
              "verklaart, samenspel met andere groepen inbegrepen, met 95%-bootstrapinterval; punt: eerste-orde-"
              "index (S1), de groep alleen.",
        "en": "Bar: total Sobol index (ST), the share of the spread of the difference that a group of "
              "assumptions explains, interactions with other groups included, with its 95% bootstrap "
              "interval; dot: first-order index (S1), the group alone.",
    },
    "sensitivity_missing": {
        "nl": "Zonder 'Hoe zeker zijn we?': draai de twee Sobol-sweeps (experiments/sweeps/sobol-*.toml) en "
              "'python -m experiments.calibration.sensitivity --sobol', en geef de map met --sensitivity "
              "(standaard docs/figures/sobol).",
        "en": "No 'How sure are we?' section: run the two Sobol sweeps (experiments/sweeps/sobol-*.toml) and "
              "'python -m experiments.calibration.sensitivity --sobol', then give the folder with "
              "--sensitivity (default docs/figures/sobol).",
    },
    "method_sensitivity": {"nl": "Hoe zeker zijn we: Sobol-analyse per groep aannames uit {path} "
                                 "({samples} combinaties).",
                           "en": "How sure are we: grouped Sobol analysis from {path} ({samples} combinations)."},
    # workshop dashboard (samen workshop)
    "ws_title": {"nl": "Samen: werkplaats", "en": "Samen: workshop"},
    "ws_tab_run": {"nl": "Simulatie", "en": "Simulation"},
    "ws_tab_rounds": {"nl": "Rondes", "en": "Rounds"},
    "ws_cards": {"nl": "Scenariokaarten", "en": "Scenario cards"},
    "ws_questions": {"nl": "Om over te praten", "en": "To discuss"},
    "ws_levers": {"nl": "Beleidsknoppen", "en": "Policy levers"},
    "ws_seed": {"nl": "Seed (toevalsgetal)", "en": "Seed (random number)"},
    "ws_step": {"nl": "Stap", "en": "Step"},
    "ws_play": {"nl": "Afspelen", "en": "Play"},
    "ws_pause": {"nl": "Pauze", "en": "Pause"},
    "ws_reset": {"nl": "Opnieuw", "en": "Reset"},
    "ws_year": {"nl": "Jaar {year}, kwartaal {quarter}", "en": "Year {year}, quarter {quarter}"},
    "ws_pending": {"nl": "Gewijzigde knoppen of seed gelden na 'Opnieuw'.",
                   "en": "Changed levers or seed take effect after 'Reset'."},
    "ws_scale_note": {"nl": "Eén gesimuleerde burger staat voor {scale} inwoners; seed {seed}.",
                      "en": "One simulated citizen stands for {scale} residents; seed {seed}."},
    "ws_baseline_line": {"nl": "huidig beleid (zelfde seed)", "en": "today's policy (same seed)"},
    "ws_adjusted": {"nl": "{title}, knoppen aangepast", "en": "{title}, levers adjusted"},
    "ws_map_outcome": {"nl": "Kaart toont", "en": "Map shows"},
    "ws_map_caption": {"nl": "Getal: stand nu (verandering sinds de start). Kleur: verandering in {unit}; "
                                "blauw hoger, oranje lager.",
                       "en": "Number: level now (change since the start). Colour: change in {unit}; "
                             "blue higher, orange lower."},
    "ws_village_province": {"nl": "Provincie", "en": "Province"},
    "ws_village_locality": {"nl": "Dorp of kern", "en": "Village or town"},
    "ws_village_option": {"nl": "{kind} {number} ({residents} inwoners)",
                          "en": "{kind} {number} ({residents} inhabitants)"},
    "ws_village_title": {"nl": "{kind} {number} in {region}, {residents} inwoners",
                         "en": "{kind} {number} in {region}, {residents} inhabitants"},
    "ws_village_note": {"nl": "dikke rand: collectief runt een voorziening",
                        "en": "thick edge: collective runs a facility"},
    "ws_kind_village": {"nl": "Dorp", "en": "Village"},
    "ws_kind_town": {"nl": "Kern", "en": "Town"},
    "ws_kind_neighbourhood": {"nl": "Wijk", "en": "Neighbourhood"},
    "ws_facilities": {"nl": "Ontmoetingsplekken en voorzieningen", "en": "Meeting places and facilities"},
    "ws_collectives": {"nl": "Collectieven (leden)", "en": "Collectives (members)"},
    "ws_closed": {"nl": "gesloten", "en": "closed"},
    "ws_none": {"nl": "geen", "en": "none"},
    "ws_no_meeting": {"nl": "geen ontmoetingsplek", "en": "no meeting place"},
    "ws_more": {"nl": "en nog {n}", "en": "and {n} more"},
    "ws_facility_meeting": {"nl": "ontmoeting", "en": "meeting"},
    "ws_facility_shop": {"nl": "winkel", "en": "shop"},
    "ws_facility_gp": {"nl": "huisarts", "en": "GP"},
    "ws_facility_care": {"nl": "zorgpunt", "en": "care"},
    "ws_facility_transport": {"nl": "bus", "en": "bus"},
    "ws_provider_market": {"nl": "markt", "en": "market"},
    "ws_provider_municipality": {"nl": "gemeente", "en": "municipality"},
    "ws_provider_collective": {"nl": "collectief", "en": "collective"},
    "ws_collective_energy": {"nl": "energie", "en": "energy"},
    "ws_collective_care": {"nl": "zorg", "en": "care"},
    "ws_collective_facility": {"nl": "voorziening", "en": "facility"},
    "ws_collective_neighbourhood": {"nl": "buurt", "en": "neighbourhood"},
    "ws_lower_better": {"nl": "lager is beter", "en": "lower is better"},
    "ws_comparison_title": {"nl": "Verschil met huidig beleid aan het eind (gemiddelde en bereik over de seeds)",
                            "en": "Difference from today's policy at the end (mean and range over the seeds)"},
    "ws_facilitator": {"nl": "Gespreksleider: nieuwe ronde", "en": "Facilitator: new round"},
    "ws_code": {"nl": "Code van de gespreksleider", "en": "Facilitator code"},
    "ws_code_needed": {
        "nl": "Alleen de gespreksleider opent, sluit en vergelijkt rondes: vul de code in die "
              "'samen workshop' bij de start toonde.",
        "en": "Only the facilitator opens, closes and compares rounds: enter the code that "
              "'samen workshop' printed at its start.",
    },
    "ws_round_title": {"nl": "Titel van de ronde", "en": "Title of the round"},
    "ws_round_outcomes": {"nl": "Uitkomsten om op te rangschikken", "en": "Outcomes to rank on"},
    "ws_round_years": {"nl": "Jaren", "en": "Years"},
    "ws_round_seeds": {"nl": "Seeds per beleid", "en": "Seeds per policy"},
    "ws_round_seed": {"nl": "Master seed", "en": "Master seed"},
    "ws_round_open": {"nl": "Ronde openen", "en": "Open round"},
    "ws_round_close": {"nl": "Ronde sluiten", "en": "Close round"},
    "ws_round_none": {"nl": "Nog geen ronde geopend.", "en": "No round has been opened yet."},
    "ws_round_current": {"nl": "Ronde {id}: {title}", "en": "Round {id}: {title}"},
    "ws_round_info": {"nl": "{years}, {replications} per beleid, master seed {seed}; {state}.",
                      "en": "{years}, {replications} per policy, master seed {seed}; {state}."},
    "ws_round_is_open": {"nl": "open voor inzendingen", "en": "open for submissions"},
    "ws_round_is_closed": {"nl": "gesloten", "en": "closed"},
    "ws_your_table": {"nl": "Uw tafel: kies de knoppen en stuur uw beleid in",
                      "en": "Your table: set the levers and submit your policy"},
    "ws_table_name": {"nl": "Naam van de tafel", "en": "Name of the table"},
    "ws_submit": {"nl": "Beleid insturen", "en": "Submit policy"},
    "ws_submitted": {"nl": "Ingestuurd als {table}.", "en": "Submitted as {table}."},
    "ws_submissions": {"nl": "Inzendingen", "en": "Submissions"},
    "ws_no_submissions": {"nl": "Nog geen inzendingen.", "en": "No submissions yet."},
    "ws_defaults": {"nl": "zoals huidig beleid", "en": "as today's policy"},
    "ws_compare": {"nl": "Vergelijk alle inzendingen", "en": "Compare all submissions"},
    "ws_comparing": {"nl": "Bezig: run {done} van {total}", "en": "Running: run {done} of {total}"},
    "ws_results_stale": {"nl": "Er zijn inzendingen bijgekomen; vergelijk opnieuw.",
                         "en": "Submissions changed since the comparison; compare again."},
    "ws_ranking": {"nl": "Rangschikking", "en": "Ranking"},
    "ws_place": {"nl": "Plaats", "en": "Place"},
    "ws_table": {"nl": "Tafel", "en": "Table"},
    "ws_mean_rank": {"nl": "gemiddelde rang", "en": "mean rank"},
    "ws_ranking_note": {"nl": "Rang per uitkomst (1 = beste verschil met huidig beleid); plaats op gemiddelde rang.",
                        "en": "Rank per outcome (1 = best difference from today's policy); place by mean rank."},
    "ws_language": {"nl": "Taal", "en": "Language"},
}


#: Words of the parameter declarations (model/parameters.py, in English) as the dashboard
#: shows them: the levers' units and the options of choice parameters. A word missing here
#: is shown as declared (tests list every lever's unit and option).
DECLARED: dict[str, dict[str, str]] = {
    "EUR (total over the horizon)": {"nl": "euro (totaal over de looptijd)", "en": "EUR (total over the horizon)"},
    "years": {"nl": "jaar", "en": "years"},
    "rule": {"nl": "regel", "en": "rule"},
    "index 0-1": {"nl": "index 0-1", "en": "index 0-1"},
    "fraction per year": {"nl": "fractie per jaar", "en": "fraction per year"},
    "fraction of price": {"nl": "fractie van de prijs", "en": "fraction of price"},
    "per_capita": {"nl": "per inwoner", "en": "per resident"},
    "needs_based": {"nl": "naar behoefte", "en": "by need"},
    "matching": {"nl": "met eigen bijdrage (matching)", "en": "matching (own contribution)"},
    "competitive": {"nl": "via aanvragen (competitief)", "en": "by competition (bids)"},
}


def declared_text(word: str, lang: str) -> str:
    """A declared unit or option in ``lang`` (as declared when no translation is known)."""
    return DECLARED.get(word, {}).get(lang, word)


def tr(key: str, lang: str, **fields) -> str:
    """The text of ``key`` in ``lang``, with ``fields`` filled in."""
    return TEXT[key][lang].format(**fields) if fields else TEXT[key][lang]


def number(x: float, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """``x`` rounded, with a decimal comma in Dutch; ``signed`` adds "+" (and a true minus)."""
    x = round(float(x), decimals) + 0.0  # no "-0.0"
    text = f"{x:{'+' if signed else ''}.{decimals}f}"
    if signed:
        text = text.replace("-", "\u2212")
    return text.replace(".", ",") if lang == "nl" else text


def whole_number(n: float, lang: str) -> str:
    """``n`` rounded to a whole number, thousands grouped: 1,234 (en) or 1.234 (nl)."""
    text = f"{int(round(float(n))):,}"
    return text.replace(",", ".") if lang == "nl" else text


#: Units counted in the text, singular and plural per language ("1 year", "10 years").
UNITS = {
    "year": {"nl": ("jaar", "jaar"), "en": ("year", "years")},
    "quarter": {"nl": ("kwartaal", "kwartalen"), "en": ("quarter", "quarters")},
    "replication": {"nl": ("herhaling", "herhalingen"), "en": ("replication", "replications")},
    "scenario": {"nl": ("scenario", "scenario's"), "en": ("scenario", "scenarios")},
    "seed": {"nl": ("seed", "seeds"), "en": ("seed", "seeds")},
}


def quantity(n: float, unit: str, lang: str) -> str:
    """``n`` with its unit in the right number: "1 year", "2.5 years", "10 jaar", "2,5 jaar"."""
    whole = float(n).is_integer()
    text = str(int(n)) if whole else number(n, lang, 2).rstrip("0")
    singular, plural = UNITS[unit][lang]
    return f"{text} {singular if whole and int(n) == 1 else plural}"


def join_names(names: list[str], lang: str) -> str:
    """``a, b and c`` / ``a, b en c``."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {tr('and', lang)} {names[-1]}"
