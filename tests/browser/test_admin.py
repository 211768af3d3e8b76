"""Staff in the browser: log in, upload by drag and drop, watch the job, correct a city, delete and restore; and a
crash (SIGKILL) during an upload's build loses nothing."""

from __future__ import annotations

import base64
import io
import json
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import docx
import pytest

from indexer.store.build import build
from tests.conftest import ROOT, SEEDS

from .conftest import SCREENSHOTS, _free_port

TOKEN = "browser-admin-token-0123456789"


class _Server:
    """``python -m webapp`` with writes on, over a documents folder and its index."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = None

    def start(self) -> None:
        self.log = log = (self.base / "server.log").open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "webapp", "--index", str(self.base / "index"), "--port", str(self.port),
             "--documents", str(self.base / "documents"), "--admin-token-file", str(self.base / "token")],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url + "/help", timeout=2):
                    return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError((self.base / "server.log").read_text()) from None
                time.sleep(0.2)

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=20)
        if self.log:
            self.log.close()

    def total(self, query: str) -> int:
        with urllib.request.urlopen(f"{self.url}/api/search?q={urllib.parse.quote(query)}", timeout=20) as response:
            return json.load(response)["total"]


@pytest.fixture
def admin_server(tmp_path):
    (tmp_path / "documents").mkdir()
    shutil.copy(next(SEEDS.glob("004_*.txt")), tmp_path / "documents")
    (tmp_path / "token").write_text(TOKEN, encoding="utf-8")
    build(tmp_path / "documents", tmp_path / "index")
    server = _Server(tmp_path)
    server.start()
    yield server
    server.stop()


def _docx_base64() -> str:
    document = docx.Document()
    document.add_heading("济南市总工会职工书屋建设通知", level=1)
    document.add_paragraph("全市新建职工书屋示范点120家，覆盖职工8万人。")
    buffer = io.BytesIO()
    document.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


def _wait_until(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.3)


def test_staff_upload_correct_delete_and_restore_in_the_browser(page, admin_server):
    url = admin_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(url + "/admin")
    page.fill("input[name=token]", TOKEN)
    page.click("form button[type=submit]")
    page.wait_for_selector("#drop")
    gbk = base64.b64encode("济宁市总工会金秋助学纪实\n为困难职工子女发放金秋助学金98万元。\n".encode("gbk")).decode()
    files = [{"name": "助学纪实.txt", "b64": gbk}, {"name": "书屋通知.docx", "b64": _docx_base64()}]
    transfer = page.evaluate_handle(
        """files => { const transfer = new DataTransfer();
            for (const file of files) {
              const bytes = Uint8Array.from(atob(file.b64), c => c.charCodeAt(0));
              transfer.items.add(new File([bytes], file.name));
            }
            return transfer; }""",
        files,
    )
    page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
    page.wait_for_selector(".uploads .job-state[data-state=done]", timeout=60_000)
    assert admin_server.total("金秋助学金") >= 1 and admin_server.total("职工书屋示范点") >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-upload.png"), full_page=True)
    # Correct the city of the uploaded GBK story; the facet follows.
    page.reload()
    row = page.locator("tr[data-doc]", has_text="助学纪实.txt")
    row.locator("input[name=city]").fill("济宁")
    row.locator("button.save").click()
    row.locator(".status span[data-state=done]").wait_for(timeout=60_000)
    page.goto(f"{url}/?q=金秋助学金")  # the results page's city facet follows the correction
    assert "济宁市" in page.locator('.facet[data-facet="city"]').inner_text()
    page.goto(url + "/admin")
    # Delete the docx, then restore it from the trash.
    page.reload()
    page.locator("tr[data-doc]", has_text="书屋通知.docx").locator("button.delete").click()
    page.locator("tr[data-doc]", has_text="书屋通知.docx").locator(".status span[data-state=done]").wait_for(
        timeout=60_000
    )
    assert admin_server.total("职工书屋示范点") == 0
    page.reload()
    page.locator("li[data-file='书屋通知.docx'] button.restore").click()
    page.locator("li[data-file='书屋通知.docx'] .status span[data-state=done]").wait_for(timeout=60_000)
    assert admin_server.total("职工书屋示范点") >= 1
    page.reload()
    assert "恢复" in page.locator("ol.audit").inner_text()  # the audit log, on the page


@pytest.mark.slow
def test_a_crash_during_an_uploads_build_loses_nothing(admin_server):
    before = admin_server.total("工资集体协商")
    assert before >= 1
    boundary = "----crash"
    parts = []
    for path in sorted(SEEDS.glob("*.txt"))[:4]:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n\r\n'.encode()
            + path.read_bytes()
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        admin_server.url + "/api/documents",
        data=body,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": f"multipart/form-data; boundary={boundary}"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        accepted = json.load(response)["accepted"]
    assert len(accepted) == 4
    time.sleep(0.5)  # the build is running
    admin_server.stop(signal.SIGKILL)
    documents = admin_server.base / "documents"
    admin_server.start()  # the catch-up build indexes what the killed one had not
    _wait_until(lambda: admin_server.total("适应新常态") >= 1)
    assert admin_server.total("工资集体协商") >= before
    assert {item["stored_as"] for item in accepted} <= {path.name for path in documents.iterdir()}
    assert not list(documents.glob(".*.part"))  # a half-written upload is removed at start
