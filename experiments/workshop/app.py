"""The workshop dashboard: a Solara app (``samen workshop`` serves it).

A custom Solara page rather than Mesa's ``SolaraViz``: SolaraViz rebuilds a model from flat
keyword parameters (or a Mesa ``Scenario``) and has English-only controls, while Samen's
model is built from scenario cards, validated ``Parameters`` and a seed through
:func:`experiments.api.build_model`, and the dashboard needs Dutch and English, a
baseline reference and rounds shared between browser sessions. It follows SolaraViz's
patterns: the model lives in a reactive value, Step/Play/Reset drive it, a threaded play
loop steps it and every view redraws from the model after each step.

Each browser session has its own model; rounds live in the server-wide
:class:`~experiments.workshop.rounds.RoundStore`.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading

import solara
import solara.lab

from model.parameters import LEVERS

from ..errors import SamenError
from ..i18n import LANGUAGES, OUTCOMES, quantity, tr, whole_number
from . import figures
from .cards import BASELINE_CARD, load_cards
from .levers import changed_levers, format_value, lever_specs, lever_values, snap
from .live import DASHBOARD_SCALE, DEFAULT_SEED, HORIZON, BaselineReference, LiveRun
from .rounds import RoundStore, check_facilitator, compare_round, rank_tables, results_record, store_path

#: Pause between steps while playing (seconds), so that the browser keeps up.
PLAY_PAUSE_S = 0.05
#: How often a session looks for submissions made in other sessions (seconds).
POLL_S = 1.0
CELL = "padding: 2px 14px 2px 0; border-bottom: 1px solid #ddd;"

CARDS = {card.name: card for card in load_cards()}
_store: RoundStore | None = None
_store_lock = threading.Lock()


def store() -> RoundStore:
    """The server's round store (file from ``$SAMEN_WORKSHOP_STORE`` or results/workshop/)."""
    global _store
    with _store_lock:
        if _store is None:
            _store = RoundStore(store_path())
        return _store


def start_language() -> str:
    lang = os.environ.get("SAMEN_WORKSHOP_LANG", "nl")
    return lang if lang in LANGUAGES else "nl"


@solara.component
def Picture(data: bytes, testid: str, step: int, alt: str):
    """A PNG with stable test hooks: ``data-testid``, the step it shows and a digest."""
    digest = hashlib.sha1(data).hexdigest()[:12]
    src = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    solara.v.Html(tag="img", attributes={"src": src, "data-testid": testid, "data-step": str(step),
                                         "data-digest": digest, "alt": alt},
                  style_="max-width: 100%; height: auto; display: block;")


@solara.component
def Heading(text: str, tag: str = "h4", testid: str = ""):
    solara.v.Html(tag=tag, children=[text], attributes={"data-testid": testid} if testid else {},
                  style_="margin: 4px 0;")


@solara.component
def LeverPanel(values: dict, on_change, lang: str, prefix: str):
    """One widget per lever, built from the declarations; ``on_change(name, value)``."""
    for spec in lever_specs(lang):
        value = values[spec.name]
        with solara.Div(classes=["lever", f"{prefix}-lever-{spec.name}"],
                        style={"margin-bottom": "6px"}):
            shown = format_value(spec, value, lang)
            solara.v.Html(tag="div", attributes={"data-testid": f"{prefix}-value-{spec.name}",
                                                 "data-value": str(value)},
                          children=[f"{spec.label}: {shown}"], style_="font-size: 0.9em; font-weight: 500;")
            if spec.kind == "choice":
                shown = {format_value(spec, c, lang): c for c in spec.choices}
                solara.Select(label="", values=list(shown), value=format_value(spec, value, lang),
                              on_value=lambda v, n=spec.name, shown=shown: on_change(n, shown[v]), dense=True)
            elif spec.kind == "int":
                solara.SliderInt(label="", value=int(value), min=int(spec.low), max=int(spec.high),
                                 step=int(spec.step), on_value=lambda v, n=spec.name: on_change(n, int(v)),
                                 thumb_label=False)
                solara.Text(spec.unit, style={"font-size": "0.75em", "color": "#666"})
            else:
                solara.SliderFloat(label="", value=float(value), min=float(spec.low), max=float(spec.high),
                                   step=float(spec.step),
                                   on_value=lambda v, s=spec: on_change(s.name, snap(s, v)),
                                   thumb_label=False)
                solara.Text(spec.unit, style={"font-size": "0.75em", "color": "#666"})


def _card_levers(name: str) -> dict:
    return lever_values(CARDS[name].parameters())


@solara.component
def CardPicker(card_name: str, on_pick, lang: str):
    Heading(tr("ws_cards", lang))
    with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
        for name, card in CARDS.items():
            solara.Button(card.title[lang], on_click=lambda n=name: on_pick(n),
                          color="primary" if name == card_name else None,
                          outlined=name != card_name, classes=["scenario-card", f"card-{name}"],
                          small=True)
    card = CARDS[card_name]
    with solara.Card(title=card.title[lang], classes=["card-text", f"card-text-{card_name}"], margin=0):
        solara.Text(card.description[lang])
        solara.v.Html(tag="div", children=[tr("ws_questions", lang)], style_="font-weight: 600; margin-top: 6px;")
        solara.v.Html(tag="ul", children=[solara.v.Html(tag="li", children=[q]) for q in card.questions[lang]],
                      attributes={"data-testid": "card-questions"})


@solara.component
def SimulationView(lang: str):
    card_name = solara.use_reactive(BASELINE_CARD)
    levers = solara.use_reactive(_card_levers(BASELINE_CARD))
    seed = solara.use_reactive(DEFAULT_SEED)
    live = solara.use_reactive(solara.use_memo(lambda: LiveRun(CARDS[BASELINE_CARD], levers.value, DEFAULT_SEED), []))
    tick = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    map_outcome = solara.use_reactive(figures.MAP_OUTCOMES[0])
    province = solara.use_reactive(0)
    locality_choice = solara.use_reactive(None)
    error = solara.use_reactive("")

    def rebuild(card=None, lever_values_=None, seed_=None):
        playing.set(False)
        try:
            new = LiveRun(CARDS[card or card_name.value], lever_values_ or levers.value,
                          seed.value if seed_ is None else seed_)
        except SamenError as exc:
            error.set(str(exc))
            return
        error.set("")
        live.set(new)
        tick.set(tick.value + 1)

    def pick(name):
        values = _card_levers(name)
        card_name.set(name)
        levers.set(values)
        rebuild(name, values)

    def change_lever(name, value):
        values = {**levers.value, name: value}
        levers.set(values)
        if live.value.step_count == 0:
            rebuild(lever_values_=values)

    def change_seed(value):
        if value is None:
            return
        seed.set(int(value))
        if live.value.step_count == 0:
            rebuild(seed_=int(value))

    def step():
        live.value.step()
        tick.set(tick.value + 1)

    def play_loop(cancel: threading.Event):
        while playing.value and not cancel.is_set():
            live.value.step()
            tick.set(tick.value + 1)
            cancel.wait(PLAY_PAUSE_S)

    solara.use_thread(play_loop, dependencies=[playing.value, live.value], intrusive_cancel=False)

    run = live.value
    snap_ = solara.use_memo(run.snapshot, [tick.value, run])
    pending = (levers.value != run.levers or seed.value != run.seed)
    baseline = BaselineReference.for_seed(CARDS[BASELINE_CARD], run.seed).series(max(HORIZON, snap_.step))
    label = CARDS[run.card.name].title[lang]
    if run.levers != _card_levers(run.card.name):
        label = tr("ws_adjusted", lang, title=label)
    chart_png = solara.use_memo(lambda: figures.png(figures.live_figure(snap_.series, baseline, lang, label)),
                                [snap_.step, run, lang, label])
    map_png = solara.use_memo(lambda: figures.png(figures.province_map_figure(snap_.regions, map_outcome.value, lang)),
                              [snap_.step, run, lang, map_outcome.value])
    places = solara.use_memo(lambda: run.localities(province.value), [run, province.value])
    options = {tr("ws_village_option", lang, kind=tr(f"ws_kind_{r.kind}", lang), number=r.locality,
                  residents=whole_number(r.residents, lang)): int(r.locality)
               for r in places.itertuples()}
    chosen = locality_choice.value if locality_choice.value in options.values() else (
        next(iter(options.values())) if options else None)
    village_png = solara.use_memo(
        lambda: figures.png(figures.village_figure(run.village(chosen), lang)) if chosen is not None else b"",
        [snap_.step, run, lang, chosen])

    with solara.Columns([1, 3], gutters_dense=True):
        with solara.Column(gap="8px"):
            CardPicker(card_name.value, pick, lang)
            Heading(tr("ws_levers", lang))
            LeverPanel(levers.value, change_lever, lang, "sim")
            solara.InputInt(tr("ws_seed", lang), value=seed.value, on_value=change_seed,
                            classes=["seed-input"], dense=True)
        with solara.Column(gap="8px"):
            with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
                solara.Button(tr("ws_step", lang), on_click=step, color="primary", disabled=playing.value,
                              classes=["btn-step"])
                solara.Button(tr("ws_pause", lang) if playing.value else tr("ws_play", lang),
                              on_click=lambda: playing.set(not playing.value), color="primary",
                              classes=["btn-play"])
                solara.Button(tr("ws_reset", lang), on_click=lambda: rebuild(), color="primary", outlined=True,
                              classes=["btn-reset"])
                year = int(snap_.year)
                solara.v.Html(tag="div", attributes={"data-testid": "year", "data-step": str(snap_.step),
                                                     "data-year": f"{snap_.year:g}"},
                              children=[tr("ws_year", lang, year=year, quarter=snap_.step % 4 + 1)],
                              style_="font-size: 1.4em; font-weight: 600; margin-left: 12px;")
            solara.Text(tr("ws_scale_note", lang, scale=DASHBOARD_SCALE, seed=run.seed),
                        style={"color": "#555", "font-size": "0.85em"})
            if pending:
                solara.Warning(tr("ws_pending", lang), dense=True, classes=["pending-note"])
            if error.value:
                solara.Error(error.value, dense=True)
            Picture(chart_png, "chart", snap_.step, "charts")
            with solara.Columns([1, 1], gutters_dense=True):
                with solara.Column(gap="4px"):
                    names = {OUTCOMES[o].name[lang]: o for o in figures.MAP_OUTCOMES}
                    solara.Select(tr("ws_map_outcome", lang), values=list(names),
                                  value=OUTCOMES[map_outcome.value].name[lang],
                                  on_value=lambda v: map_outcome.set(names[v]), dense=True, classes=["map-outcome"])
                    Picture(map_png, "map", snap_.step, "map")
                with solara.Column(gap="4px"):
                    with solara.Row(gap="6px"):
                        solara.Select(tr("ws_village_province", lang), values=list(snap_.region_names),
                                      value=snap_.region_names[province.value],
                                      on_value=lambda v: province.set(snap_.region_names.index(v)), dense=True,
                                      classes=["village-province"])
                        if options:
                            label_of = {v: k for k, v in options.items()}
                            solara.Select(tr("ws_village_locality", lang), values=list(options),
                                          value=label_of[chosen], on_value=lambda v: locality_choice.set(options[v]),
                                          dense=True, classes=["village-locality"])
                    if village_png:
                        Picture(village_png, "village", snap_.step, "village")


@solara.component
def RoundsView(lang: str):
    revision = solara.use_reactive(store().revision)
    table = solara.use_reactive("")
    levers = solara.use_reactive(_card_levers(BASELINE_CARD))
    title = solara.use_reactive("")
    outcomes = solara.use_reactive(["cohesion", "trust_government", "theil_access_between"])
    years = solara.use_reactive(10)
    replications = solara.use_reactive(3)
    master = solara.use_reactive(DEFAULT_SEED)
    message = solara.use_reactive("")
    error = solara.use_reactive("")
    progress = solara.use_reactive("")
    comparing = solara.use_reactive(False)
    code = solara.use_reactive("")  # the facilitator code, as typed in this browser

    def poll(cancel: threading.Event):
        while not cancel.is_set():
            if store().revision != revision.value:
                revision.set(store().revision)
            cancel.wait(POLL_S)

    solara.use_thread(poll, dependencies=[], intrusive_cancel=False)

    def attempt(action):
        try:
            action()
            error.set("")
        except SamenError as exc:
            error.set(str(exc))
        revision.set(store().revision)

    def as_facilitator(action):
        def run():
            check_facilitator(code.value, lang)
            action()
        attempt(run)

    def open_round():
        as_facilitator(lambda: store().open_round(title.value, list(outcomes.value), int(years.value or 0),
                                                  int(replications.value or 0), int(master.value or 0)))

    def start_comparing():
        as_facilitator(lambda: comparing.set(True))

    def submit():
        def go():
            entry = store().submit(table.value, levers.value)
            message.set(tr("ws_submitted", lang, table=entry["table"]))
        attempt(go)

    def compare(cancel: threading.Event):
        if not comparing.value:
            return
        current = store().current()
        try:
            runs = compare_round(current, CARDS[BASELINE_CARD],
                                 progress=lambda d, t: progress.set(tr("ws_comparing", lang, done=d, total=t)))
            store().set_results(current["id"], results_record(current, runs))
            error.set("")
        except SamenError as exc:
            error.set(str(exc))
        progress.set("")
        comparing.set(False)
        revision.set(store().revision)

    solara.use_thread(compare, dependencies=[comparing.value], intrusive_cancel=False)

    current = store().current()
    _ = revision.value  # re-render when another session changed the store
    with solara.Columns([1, 2], gutters_dense=True):
        with solara.Column(gap="8px"):
            with solara.Details(tr("ws_facilitator", lang), expand=current is None):
                with solara.Column(gap="4px", classes=["facilitator"]):
                    solara.InputText(tr("ws_code", lang), value=code, password=True, continuous_update=True,
                                     classes=["facilitator-code"])
                    solara.InputText(tr("ws_round_title", lang), value=title, continuous_update=True,
                                     classes=["round-title"])
                    names = {OUTCOMES[o].name[lang]: o for o in OUTCOMES}
                    solara.SelectMultiple(tr("ws_round_outcomes", lang),
                                          values=[OUTCOMES[o].name[lang] for o in outcomes.value],
                                          all_values=list(names),
                                          on_value=lambda v: outcomes.set([names[x] for x in v]),
                                          dense=True, classes=["round-outcomes"])
                    with solara.Row(gap="6px"):
                        solara.InputInt(tr("ws_round_years", lang), value=years, continuous_update=True,
                                        classes=["round-years"], dense=True)
                        solara.InputInt(tr("ws_round_seeds", lang), value=replications, continuous_update=True,
                                        classes=["round-seeds"], dense=True)
                        solara.InputInt(tr("ws_round_seed", lang), value=master, continuous_update=True,
                                        classes=["round-master"], dense=True)
                    with solara.Row(gap="6px"):
                        solara.Button(tr("ws_round_open", lang), on_click=open_round, color="primary",
                                      classes=["btn-open-round"])
                        solara.Button(tr("ws_round_close", lang), on_click=lambda: as_facilitator(store().close_round),
                                      outlined=True, classes=["btn-close-round"],
                                      disabled=not (current and current["open"]))
            Heading(tr("ws_your_table", lang))
            solara.InputText(tr("ws_table_name", lang), value=table, continuous_update=True, classes=["table-name"])
            LeverPanel(levers.value, lambda n, v: levers.set({**levers.value, n: v}), lang, "round")
            solara.Button(tr("ws_submit", lang), on_click=submit, color="primary", classes=["btn-submit"],
                          disabled=not (current and current["open"]))
            if message.value:
                solara.Success(message.value, dense=True)
            if error.value:
                solara.Error(error.value, dense=True, classes=["round-error"])
        with solara.Column(gap="8px"):
            if current is None:
                solara.Info(tr("ws_round_none", lang))
                return
            Heading(tr("ws_round_current", lang, id=current["id"], title=current["title"]), "h3", "round-heading")
            state = tr("ws_round_is_open" if current["open"] else "ws_round_is_closed", lang)
            solara.Text(tr("ws_round_info", lang, years=quantity(current["years"], "year", lang),
                           replications=quantity(current["replications"], "seed", lang),
                           seed=current["seed"], state=state))
            Heading(tr("ws_submissions", lang))
            specs = {s.name: s for s in lever_specs(lang)}
            with solara.Div(classes=["submissions"]):
                if not current["submissions"]:
                    solara.Text(tr("ws_no_submissions", lang))
                for sub in current["submissions"]:
                    changed = changed_levers(sub["levers"])
                    what = "; ".join(f"{specs[k].label}: {format_value(specs[k], v, lang)}"
                                     for k, v in changed.items() if k in LEVERS) or tr("ws_defaults", lang)
                    solara.v.Html(tag="div", attributes={"data-testid": "submission", "data-table": sub["table"]},
                                  children=[f"{sub['table']} — {what}"], style_="margin: 2px 0;")
            solara.Button(tr("ws_compare", lang), on_click=start_comparing, color="primary",
                          classes=["btn-compare"], disabled=comparing.value or not current["submissions"])
            if progress.value:
                solara.Text(progress.value, classes=["compare-progress"])
            results = current.get("results")
            if results:
                tables = [s["table"] for s in current["submissions"]]
                if results["tables"] != tables:
                    solara.Warning(tr("ws_results_stale", lang), dense=True)
                RoundResults(results, current["outcomes"], lang, current["id"])


@solara.component
def RoundResults(results: dict, outcomes: list, lang: str, round_id: int):
    import pandas as pd

    runs = pd.DataFrame(results["runs"])
    comparison, ranking = solara.use_memo(lambda: rank_tables(runs, outcomes),
                                          [results["computed_at"], tuple(outcomes), round_id])
    chart = solara.use_memo(lambda: figures.png(figures.comparison_figure(comparison, outcomes, lang)),
                            [results["computed_at"], tuple(outcomes), lang, round_id])
    Picture(chart, "comparison", round_id, "comparison")
    Heading(tr("ws_ranking", lang))
    head = [tr("ws_place", lang), tr("ws_table", lang), *[OUTCOMES[o].name[lang] for o in outcomes],
            tr("ws_mean_rank", lang)]
    rows = [solara.v.Html(tag="tr", children=[solara.v.Html(tag="th", children=[h], style_=CELL) for h in head])]
    for r in ranking.itertuples(index=False):
        values = r._asdict()
        cells = [str(values["place"]), str(values["table"]), *[str(values[o]) for o in outcomes],
                 f"{values['mean_rank']:.2f}".replace(".", "," if lang == "nl" else ".")]
        rows.append(solara.v.Html(tag="tr", attributes={"data-testid": "rank-row", "data-table": str(values["table"])},
                                  children=[solara.v.Html(tag="td", children=[c], style_=CELL) for c in cells]))
    solara.v.Html(tag="table", children=rows, class_="ranking", attributes={"data-testid": "ranking"},
                  style_="border-collapse: collapse; text-align: left;")
    solara.Text(tr("ws_ranking_note", lang), style={"font-size": "0.8em", "color": "#555"})


@solara.component
def Page():
    lang = solara.use_reactive(start_language())
    tab = solara.use_reactive(0)
    solara.Title(tr("ws_title", lang.value))
    with solara.Column(style={"padding": "8px 16px"}, gap="4px"):
        with solara.Row(style={"align-items": "center"}, justify="space-between"):
            Heading(tr("ws_title", lang.value), "h2")
            solara.ToggleButtonsSingle(value=lang, values=list(LANGUAGES), classes=["lang-toggle"])
        with solara.lab.Tabs(value=tab, lazy=True):
            with solara.lab.Tab(tr("ws_tab_run", lang.value), classes=["tab-run"]):
                SimulationView(lang.value)
            with solara.lab.Tab(tr("ws_tab_rounds", lang.value), classes=["tab-rounds"]):
                RoundsView(lang.value)
