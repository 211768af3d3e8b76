"""Browser fixtures: a real waitress server over a built index, and Debian's Chromium driven by Playwright.

Screenshots of failing tests are saved in tests/screenshots/.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from indexer.store.build import build
from tests.conftest import ROOT, SEEDS, write_designed

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "screenshots"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def server_url(tmp_path_factory) -> str:
    """Start ``python -m webapp`` (waitress) over the seeds plus the designed documents; yield its URL."""
    base = tmp_path_factory.mktemp("browser")
    documents = base / "documents"
    shutil.copytree(SEEDS, documents)
    write_designed(documents / "designed")
    (documents / "hostile.txt").write_text(
        "带标记的文件\n工会文件里出现标记<script>alert('doc')</script><img src=x onerror=alert(7)>"
        "<b onmouseover=alert(8)>HOSTILEDOC</b>，不应被执行。\n",
        encoding="utf-8",
    )
    (documents / "law.md").write_text(
        "# 中华人民共和国劳动合同法\n\n"
        "第八十二条 用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，"
        "应当向劳动者每月支付二倍的工资。\n\n"
        "第八十三条 用人单位违反本法规定与劳动者约定试用期的，由劳动行政部门责令改正。\n"
        "第八十四条 用人单位违反本法规定，扣押劳动者居民身份证等证件的，由劳动行政部门责令限期退还劳动者本人。\n",
        encoding="utf-8",
    )
    build(documents, base / "index")
    port = _free_port()
    log = (base / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "webapp", "--index", str(base / "index"), "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/help", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("web server did not start: " + (base / "server.log").read_text()) from None
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium headless through Playwright (no browser download)."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install chromium chromium-driver (make test does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """Open a fresh page; save a screenshot when the test fails."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
