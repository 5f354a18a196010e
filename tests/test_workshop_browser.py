"""The workshop dashboard in a real browser: `samen workshop` served on a free loopback
port, driven by Playwright through Debian's Chromium (/usr/bin/chromium, installed by
`make test` via scripts/ensure-chromium.sh; $SAMEN_CHROMIUM overrides the path).

These tests fail, never skip, when Chromium is missing. Waits are Playwright's
auto-waiting on a state the page must reach (a step number, a submission), never a
duration that is asserted. Screenshots of the main views go to $SAMEN_SCREENSHOTS or the
test's temporary folder (not git).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = os.environ.get("SAMEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: Longest wait for one state change in the page (a step renders three figures; CI
#: machines may be busy). Not a performance assertion.
WAIT_MS = 60_000
SERVER_START_S = 90


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _samen() -> str:
    exe = Path(sys.executable).parent / "samen"
    assert exe.exists(), f"the installed entry point {exe} is missing (pip install -e .)"
    return str(exe)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("SAMEN_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`samen workshop` on a free loopback port, with its own round store."""
    folder = tmp_path_factory.mktemp("workshop")
    port = _free_port()
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen([_samen(), "workshop", "--host", "127.0.0.1", "--port", str(port), "--lang", "en",
                             "--rounds", str(folder / "rounds.json")],
                            stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + SERVER_START_S
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"samen workshop exited with {proc.returncode}: {(folder / 'server.log').read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"samen workshop did not answer on {url}: {(folder / 'server.log').read_text()}")
            time.sleep(0.3)
        printed = re.search(r"Facilitator code: (\S+)", (folder / "server.log").read_text())
        assert printed, "samen workshop printed no facilitator code"
        yield {"url": url, "store": folder / "rounds.json", "port": port, "code": printed.group(1),
               "log": folder / "server.log"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/ensure-chromium.sh` (make test does)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Console:
    """Errors the page reported: console.error messages and uncaught exceptions."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


def _open(browser, url: str):
    # tall enough that a screenshot shows the whole dashboard (charts, map and village)
    context = browser.new_context(viewport={"width": 1440, "height": 1700})
    page = context.new_page()
    console = Console(page)
    page.goto(url)
    expect(page.locator("[data-testid=chart]")).to_be_visible(timeout=WAIT_MS)
    return context, page, console


def _step_to(page: Page, step: int) -> None:
    page.locator(".btn-step").click()
    expect(page.locator("[data-testid=year]")).to_have_attribute("data-step", str(step), timeout=WAIT_MS)


def _digest(page: Page, testid: str) -> str:
    return page.locator(f"[data-testid={testid}]").get_attribute("data-digest")


def test_card_lever_steps_charts_map_and_languages(server, browser, shots):
    context, page, console = _open(browser, server["url"])
    try:
        year = page.locator("[data-testid=year]")
        expect(year).to_have_attribute("data-step", "0")
        page.locator(".card-manifesto").click()
        expect(page.locator(".card-text-manifesto")).to_be_visible(timeout=WAIT_MS)
        value = page.locator("[data-testid=sim-value-partnership]")
        expect(value).to_have_attribute("data-value", "0.8", timeout=WAIT_MS)  # the card's value

        thumb = page.locator(".sim-lever-partnership [role=slider]")
        thumb.focus()
        for _ in range(5):
            thumb.press("ArrowRight")
        expect(value).to_have_attribute("data-value", "0.85", timeout=WAIT_MS)
        page.locator(".sim-lever-partnership").get_by_text("0.85").wait_for(timeout=WAIT_MS)

        chart0, map0, village0 = _digest(page, "chart"), _digest(page, "map"), _digest(page, "village")
        start_year = float(year.get_attribute("data-year"))
        for step in range(1, 5):
            _step_to(page, step)
        assert float(year.get_attribute("data-year")) == start_year + 1
        expect(year).to_contain_text("2025")
        expect(page.locator("[data-testid=chart]")).to_have_attribute("data-step", "4", timeout=WAIT_MS)
        expect(page.locator("[data-testid=map]")).to_have_attribute("data-step", "4", timeout=WAIT_MS)
        assert _digest(page, "chart") != chart0
        assert _digest(page, "map") != map0
        assert page.locator("[data-testid=village]").is_visible() and village0
        page.screenshot(path=str(shots / "simulation-en.png"), full_page=True)

        # play runs on by itself until paused
        page.locator(".btn-play").click()
        page.wait_for_function("() => +document.querySelector('[data-testid=year]').dataset.step >= 6",
                               timeout=WAIT_MS)
        page.locator(".btn-play").click()
        expect(page.locator(".btn-play")).to_contain_text("Play", timeout=WAIT_MS)

        # reset applies the levers to a fresh run at the start year
        page.locator(".btn-reset").click()
        expect(year).to_have_attribute("data-step", "0", timeout=WAIT_MS)

        page.locator(".lang-toggle").get_by_text("nl", exact=True).click()
        expect(page.get_by_role("heading", name="Samen: werkplaats")).to_be_visible(timeout=WAIT_MS)
        expect(page.locator(".btn-step")).to_contain_text("Stap")
        expect(page.locator(".card-text-manifesto")).to_contain_text("Het manifest")
        # units and the allocation rule's options in Dutch too
        expect(page.locator(".sim-lever-allocation")).to_contain_text("per inwoner")
        expect(page.locator(".sim-lever-investment_eur")).to_contain_text("euro (totaal over de looptijd)")
        expect(page.locator(".sim-lever-partnership")).to_contain_text("0,85")
        for step in range(1, 3):
            _step_to(page, step)
        expect(year).to_contain_text("Jaar 2024")
        page.screenshot(path=str(shots / "simulation-nl.png"), full_page=True)
        assert console.errors == []
    finally:
        context.close()


def test_a_table_without_the_facilitator_code_cannot_open_a_round(server, browser):
    context, page, console = _open(browser, server["url"])
    try:
        page.get_by_role("tab", name="Rounds").click()
        page.locator(".round-title input").fill("A table's own round")
        page.locator(".facilitator-code input").fill("WRONG1")
        page.locator(".btn-open-round").click()
        expect(page.locator(".round-error")).to_contain_text("Only the facilitator", timeout=WAIT_MS)
        expect(page.get_by_text("No round has been opened yet.")).to_be_visible()
        assert not server["store"].exists() or "A table's own round" not in server["store"].read_text()
        assert console.errors == []
    finally:
        context.close()


def test_round_with_two_tables_survives_reload(server, browser, shots):
    facilitator, page_a, console_a = _open(browser, server["url"])
    table, page_b, console_b = _open(browser, server["url"])
    try:
        page_a.get_by_role("tab", name="Rounds").click()
        page_a.locator(".facilitator-code input").fill(server["code"])
        page_a.locator(".round-title input").fill("Workshop test round")
        page_a.locator(".round-years input").fill("1")
        page_a.locator(".round-seeds input").fill("1")
        page_a.locator(".btn-open-round").click()
        expect(page_a.locator("[data-testid=round-heading]")).to_contain_text("Workshop test round",
                                                                             timeout=WAIT_MS)

        page_b.get_by_role("tab", name="Rounds").click()
        expect(page_b.locator("[data-testid=round-heading]")).to_contain_text("Workshop test round",
                                                                             timeout=WAIT_MS)
        page_b.locator(".table-name input").fill("Table North")
        thumb = page_b.locator(".round-lever-regulatory_burden [role=slider]")
        thumb.focus()
        for _ in range(10):
            thumb.press("ArrowLeft")
        expect(page_b.locator("[data-testid=round-value-regulatory_burden]")).to_have_attribute(
            "data-value", "0.4", timeout=WAIT_MS)
        page_b.locator(".btn-submit").click()
        expect(page_b.locator("[data-testid=submission][data-table='Table North']")).to_be_visible(timeout=WAIT_MS)

        # the facilitator's session sees the other browser's submission without a reload
        expect(page_a.locator("[data-testid=submission][data-table='Table North']")).to_be_visible(timeout=WAIT_MS)
        page_a.locator(".table-name input").fill("Table South")
        page_a.locator(".btn-submit").click()
        expect(page_b.locator("[data-testid=submission][data-table='Table South']")).to_be_visible(timeout=WAIT_MS)

        # a reload loses nothing: submissions live on the server (and in the store file)
        page_b.reload()
        page_b.get_by_role("tab", name="Rounds").click()
        expect(page_b.locator("[data-testid=submission]")).to_have_count(2, timeout=WAIT_MS)
        assert "Table North" in server["store"].read_text(encoding="utf-8")

        page_a.locator(".btn-compare").click()
        expect(page_a.locator("[data-testid=rank-row]")).to_have_count(2, timeout=WAIT_MS)
        expect(page_a.locator("[data-testid=comparison]")).to_be_visible()
        expect(page_b.locator("[data-testid=rank-row]")).to_have_count(2, timeout=WAIT_MS)
        page_a.screenshot(path=str(shots / "rounds-en.png"), full_page=True)
        page_b.locator(".lang-toggle").get_by_text("nl", exact=True).click()
        expect(page_b.get_by_role("heading", name="Rangschikking")).to_be_visible(timeout=WAIT_MS)
        page_b.screenshot(path=str(shots / "rounds-nl.png"), full_page=True)
        assert console_a.errors == [] and console_b.errors == []
        # the facilitator's terminal stays readable: no cookie warnings for 127.0.0.1 pages
        assert "samesite" not in server["log"].read_text().lower()
    finally:
        facilitator.close()
        table.close()
