"""/ops in a real browser: Debian's chromium (``/usr/bin/chromium``, installed by ``.ci/ensure_chromium.sh``)
driven by playwright against the real brain. Signs in through the form (wrong token first), watches
three real websocket calls appear and leave on the self-refreshing page, sees the stop switch, and
writes a screenshot under the test's tmp dir."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from contracts.layout import DataLayout
from tests.support.brain import RunningBrain
from tests.support.ops import OPS_TOKEN
from tests.support.retell_caller import RetellCall

CHROMIUM = os.environ.get("EVE_CHROMIUM", "/usr/bin/chromium")
DNC_LINE = "Please stop calling us and put us on your do not call list."
CALLER_LINE = "Hi, this is the front desk of Lumen Aesthetics, who is calling?"

pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK),
    reason=f"{CHROMIUM} is missing and could not be installed (see .ci/ensure_chromium.sh output)",
)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        try:
            yield browser
        finally:
            await browser.close()


async def test_page_is_404_in_the_browser_when_off(brain_with: Callable[..., RunningBrain], browser: Browser) -> None:
    brain = brain_with(brain_ops_token=None)
    page = await browser.new_page()
    response = await page.goto(f"http://127.0.0.1:{brain.port}/ops")
    assert response is not None and response.status == 404


async def test_calls_appear_and_leave_in_chromium(ops_brain: RunningBrain, browser: Browser, tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{ops_brain.port}"
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    response = await page.goto(f"{base}/ops")
    assert response is not None and response.status == 401
    await page.fill("#token", "a-wrong-token-for-sure")
    async with page.expect_navigation():
        await page.click("button[type=submit]")
    assert await page.locator("#login-error").inner_text() == "That token is not right."
    assert not await context.cookies()

    await page.fill("#token", OPS_TOKEN)
    async with page.expect_navigation():
        await page.click("button[type=submit]")
    assert page.url == f"{base}/ops"
    await page.wait_for_selector("#no-live-calls")
    errors.clear()  # the two 401 answers of the sign-in above are expected; none from here on
    assert OPS_TOKEN not in page.url and OPS_TOKEN not in await page.content()

    calls = [await RetellCall.open(ops_brain.ws_base, f"call_browser_{i}") for i in range(3)]
    for call in calls:
        await call.say(CALLER_LINE)
    for call in calls:
        await page.wait_for_selector(f'tr[data-call-id="{call.call_id}"]', timeout=15_000)
    await page.wait_for_selector('#live-count[data-count="3"]', timeout=15_000)
    assert "Lumen Aesthetics" not in await page.content()

    layout = DataLayout(ops_brain.app.state.settings.data_dir)
    layout.campaigns.mkdir(parents=True, exist_ok=True)
    layout.campaign_stop.write_text("")
    await page.wait_for_selector('#stop-state[data-stop="set"]', timeout=15_000)
    screenshot = tmp_path / "ops-live.png"
    await page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000

    assert (await calls[0].say(DNC_LINE)).end_call
    for call in calls:
        await call.close()
    for call in calls:
        await page.wait_for_selector(f'tr[data-call-id="{call.call_id}"]', state="detached", timeout=15_000)
        await page.wait_for_selector(f'tr[data-record-id="{call.call_id}"]', timeout=15_000)
    await page.wait_for_selector("#no-live-calls")
    assert await page.locator("#panel-latency svg rect").count() > 0
    assert await page.locator("#panel-outcomes svg rect").count() > 0
    await page.screenshot(path=str(tmp_path / "ops-after.png"), full_page=True)
    assert not errors, errors  # no CSP violation, no script error

    await page.click("header button[type=submit]")  # sign out
    await page.wait_for_selector("#token")
    assert (await page.goto(f"{base}/ops")).status == 401  # type: ignore[union-attr]
