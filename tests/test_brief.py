"""``samen brief``: HTML and PDF from a stored (synthetic) scenarios sweep, and its errors."""

from __future__ import annotations

import contextlib
import json
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from experiments.brief.assumptions import load_assumptions
from experiments.brief.content import build_blocks, finding_sentence
from experiments.brief.data import load_scenario_sweep
from experiments.brief.html import render_html
from experiments.cli import main
from tests.brief_fixtures import fake_sweep_folder

CHARTS = ("over_time", "difference", "provinces", "who_gains", "cost_effectiveness")


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    return fake_sweep_folder(tmp_path_factory)


@pytest.fixture(scope="module")
def results(sweep_dir):
    return load_scenario_sweep(sweep_dir)


@pytest.fixture(scope="module")
def written_brief(sweep_dir, tmp_path_factory):
    """One full brief (English) written through the CLI from the stored sweep, from a folder
    without ``docs/figures/sobol`` (so without the optional "How sure are we?" section, which
    tests/test_sobol.py covers)."""
    out = tmp_path_factory.mktemp("brief") / "en"
    with contextlib.chdir(tmp_path_factory.mktemp("elsewhere")):
        assert main(["brief", "--from", str(sweep_dir), "--lang", "en", "--out", str(out)]) == 0
    return out


def test_brief_folder_holds_html_pdf_and_every_figure(written_brief):
    for stem in CHARTS:
        assert (written_brief / "figures" / f"{stem}.png").is_file()
        assert (written_brief / "figures" / f"{stem}.svg").is_file()
    assert (written_brief / "brief.html").is_file() and (written_brief / "brief.pdf").is_file()


def test_html_is_self_contained_with_every_chart_and_the_findings_table(written_brief):
    text = (written_brief / "brief.html").read_text(encoding="utf-8")
    images = re.findall(r'<img alt="([a-z_]+)" src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}"', text)
    assert sorted(images) == sorted(CHARTS)
    assert '<table class="findings">' in text
    for title in ("The manifesto", "Money only", "Social contract only"):
        assert f"<th>{title}</th>" in text
    assert not re.search(r'src="(?!data:)', text) and "<link" not in text  # nothing external
    assert "How this was computed" in text and "master seed 5" in text


def test_pdf_is_a4_with_two_to_four_pages(written_brief):
    reader = PdfReader(written_brief / "brief.pdf")
    assert 2 <= len(reader.pages) <= 4
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert "Key findings" in reader.pages[0].extract_text()


def test_dutch_and_english_briefs_differ_in_text(results):
    en = render_html(build_blocks(results, "en", {}, {}, today=date(2026, 11, 28)), "en")
    nl = render_html(build_blocks(results, "nl", {}, {}, today=date(2026, 11, 28)), "nl")
    assert '<html lang="nl">' in nl and "Belangrijkste uitkomsten" in nl and "Key findings" not in nl
    assert '<html lang="en">' in en and "Key findings" in en and "Belangrijkste uitkomsten" not in en


@pytest.mark.parametrize("lang, none, up", [
    ("en", "no clear effect", "higher than under \u2018Today's policy\u2019"),
    ("nl", "geen duidelijk effect", "hoger dan in \u2018Huidig beleid\u2019"),
])
def test_findings_follow_the_numbers(results, lang, none, up):
    blocks = build_blocks(results, lang, {}, {}, today=date(2026, 11, 28))
    sentences = next(b.items for b in blocks if b.kind == "bullets")
    contract_trust = [s for s in sentences if ("Social contract only" in s or "Alleen een sociaal contract" in s)
                      and ("national government" in s or "rijksoverheid" in s)]
    manifesto_trust = [s for s in sentences if ("The manifesto" in s or "Het manifest" in s) and
                       ("national government" in s or "rijksoverheid" in s)]
    assert not any(n in s for s in sentences for n in ("baseline", "contract-only", "investment-only"))
    assert len(contract_trust) == 1 and none in contract_trust[0]  # interval crosses zero
    assert len(manifesto_trust) == 1 and up in manifesto_trust[0] and none not in manifesto_trust[0]
    table = next(b.table for b in blocks if b.kind == "table")
    trust_row = next(i for i, r in enumerate(table["rows"]) if "rijksoverheid" in r[0] or "national" in r[0])
    column = table["header"].index("Social contract only" if lang == "en" else "Alleen een sociaal contract")
    manifesto = table["header"].index("The manifesto" if lang == "en" else "Het manifest")
    assert table["unclear"][trust_row][column] and not table["unclear"][trust_row][manifesto]


def test_a_hand_made_interval_across_zero_says_no_clear_effect(results):
    row = {"scenario": "x", "outcome": "access", "median": 0.4, "low": -0.1, "high": 0.9, "clear": False}
    assert "no clear effect" in finding_sentence(results, row, "en", 1)
    assert "geen duidelijk effect" in finding_sentence(results, row, "nl", 1)
    row.update(median=-0.5, low=-0.9, high=-0.1, clear=True)
    assert "0,5 procentpunt lager" in finding_sentence(results, row, "nl", 1)


def test_assumptions_are_shipped_in_plain_words_in_both_languages():
    import fnmatch
    import tomllib

    items = load_assumptions()
    assert len(items) >= 5
    for a in items:
        for lang in ("en", "nl"):
            for text in (a.lead[lang], a.text[lang]):
                assert text.endswith(".") and "`" not in text and ".md" not in text
                assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text  # no code identifiers
                assert "domain" not in text and "defect" not in text
    assert len({a.lead["nl"] for a in items}) == len(items)
    # Package data, so that `pip install .` (not editable) ships it.
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    globs = tomllib.loads(pyproject.read_text())["tool"]["setuptools"]["package-data"]["experiments"]
    assert any(fnmatch.fnmatch("brief/assumptions.toml", g) for g in globs)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_brief_lists_every_assumption_whatever_the_working_folder(results, in_tmp, lang):
    blocks = build_blocks(results, lang, {}, {})
    block = next(b for b in blocks if b.kind == "assumptions")
    assert block.short == [a.lead[lang] for a in load_assumptions()]
    assert all(item.startswith(a.lead[lang]) for item, a in zip(block.items, load_assumptions(), strict=True))
    html = render_html(blocks, lang)
    assert "docs/ODD.md" not in html and "nog niet" not in html and "not yet" not in html


@pytest.mark.parametrize("argv, message", [
    (["brief", "--scenarios", "baseline,utopia"], "unknown scenario 'utopia'"),
    (["brief", "--lang", "de"], "unknown language 'de'"),
    (["brief", "--scenarios", "baseline"], "at least two"),
    (["brief", "--set", "population_scale=0"], "population_scale"),
    (["brief", "--replications", "1"], "at least 2"),
    (["brief", "--from", "nowhere"], "no such folder"),
])
def test_bad_options_exit_2_with_one_line_and_write_nothing(in_tmp, capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("samen: error:") and message in err and err.count("\n") == 1
    assert not (in_tmp / "results").exists()


def test_from_a_folder_that_is_not_a_scenarios_sweep_exits_2(in_tmp, capsys, sweep_dir):
    plain = in_tmp / "plain"
    plain.mkdir()
    assert main(["brief", "--from", str(plain)]) == 2
    lhs = in_tmp / "lhs"
    lhs.mkdir()
    manifest = json.loads((sweep_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["spec"]["design"] = "lhs"
    (lhs / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["brief", "--from", str(lhs)]) == 2
    assert "'lhs' sweep" in capsys.readouterr().err
    assert main(["brief", "--from", str(sweep_dir), "--replications", "3"]) == 2
    assert not (in_tmp / "results").exists()


def test_whole_numbers_group_thousands_in_the_readers_language():
    from experiments.i18n import whole_number

    assert whole_number(1234567, "en") == "1,234,567"
    assert whole_number(1234567.4, "nl") == "1.234.567"
    assert whole_number(-2500, "nl") == "-2.500"
