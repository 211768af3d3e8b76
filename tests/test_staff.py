"""Staff writes over HTTP: upload, correct, delete and restore documents with a token; every bad input refused."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest

from webapp import create_app

from .conftest import build_from

TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DOCUMENTS = {
    "linyi.txt": "临沂市总工会工作报告\n（2016年2月20日）\n全市建会率达到70.13%，推进工资集体协商。\n",
}


@pytest.fixture
def staff(tmp_path):
    """Return (client, documents folder, app) over a small index with writes on."""
    index = build_from(tmp_path, DOCUMENTS)
    token_file = tmp_path / "admin-token"
    token_file.write_text(TOKEN, encoding="utf-8")
    app = create_app(
        {
            "TESTING": True,
            "INDEX_DIR": str(index),
            "DOCUMENTS_DIR": str(tmp_path / "documents"),
            "ADMIN_TOKEN_FILE": str(token_file),
            "MAX_UPLOAD_MB": 1,
        }
    )
    assert app.extensions["staff"]["jobs"].wait(60)  # the catch-up build at start
    return app.test_client(), tmp_path / "documents", app


def _wait(app) -> None:
    assert app.extensions["staff"]["jobs"].wait(60)


def _docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_heading("济南市总工会关于职工书屋建设的通知", level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _files(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def test_every_write_needs_the_token_and_changes_nothing_without_it(staff):
    client, documents, _ = staff
    before = _files(documents)
    data = {"file": (io.BytesIO("标题\n正文".encode()), "a.txt")}
    for headers in ({}, {"Authorization": "Bearer wrong-token-000000000000"}, {"Authorization": TOKEN}):
        assert client.post("/api/documents", data=data, headers=headers).status_code == 401
        assert client.patch("/api/documents/x", json={"year": 2020}, headers=headers).status_code == 401
        assert client.delete("/api/documents/x", headers=headers).status_code == 401
        data = {"file": (io.BytesIO("标题\n正文".encode()), "a.txt")}
    assert _files(documents) == before


def test_uploaded_files_are_searchable_after_their_job(staff):
    client, documents, app = staff
    gbk = "济宁市总工会金秋助学纪实\n济宁市总工会为困难职工子女发放金秋助学金98万元。\n".encode("gbk")
    response = client.post(
        "/api/documents",
        data={
            "file": [(io.BytesIO(gbk), "助学.txt"), (io.BytesIO(_docx_bytes("全市建成职工书屋120家。")), "书屋.docx")]
        },
        headers=AUTH,
    )
    assert response.status_code == 202
    body = response.get_json()
    assert [item["stored_as"] for item in body["accepted"]] == ["助学.txt", "书屋.docx"] and body["rejected"] == []
    _wait(app)
    job = client.get(f"/api/jobs/{body['job']}", headers=AUTH).get_json()
    assert job["state"] == "done" and job["summary"]["read"] >= 2
    assert client.get("/api/search", query_string={"q": "金秋助学金"}).get_json()["total"] >= 1
    assert client.get("/api/search", query_string={"q": "职工书屋"}).get_json()["total"] >= 1
    log = [json.loads(line) for line in (documents / ".audit.log").read_text(encoding="utf-8").splitlines()]
    assert log[-1]["action"] == "upload" and log[-1]["who"] == "token" and TOKEN not in json.dumps(log)


def test_bad_files_are_refused_with_the_reason_and_names_made_safe(staff):
    client, documents, _ = staff
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (5 * 1024 * 1024))
    files = [
        (io.BytesIO(b"\x00\x01\x02binary" * 100), "notes.txt"),  # a binary named .txt
        (io.BytesIO(bomb.getvalue()), "bomb.docx"),  # unpacks 5 MB from a few KB
        (io.BytesIO(_encrypted_pdf()), "secret.pdf"),
        (io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64), "old.doc"),
        (io.BytesIO("标题一\n正文一".encode()), "../../escape.txt"),
        (io.BytesIO("标题二\n正文二".encode()), "nul\x00name.txt"),
        (io.BytesIO("标题三\n正文三".encode()), "长" * 300 + ".txt"),
        (io.BytesIO("标题四\n正文四".encode()), "ＷＩＤＥ.txt"),
        (io.BytesIO("标题五\n正文五".encode()), "WIDE.txt"),  # differs from the one before only in width
    ]
    body = client.post("/api/documents", data={"file": files}, headers=AUTH).get_json()
    reasons = {item["name"]: item["error"] for item in body["rejected"]}
    assert set(reasons) == {"notes.txt", "bomb.docx", "secret.pdf", "old.doc"}
    assert "binary" in reasons["notes.txt"] and "zip bomb" in reasons["bomb.docx"]
    assert "encrypted" in reasons["secret.pdf"] and ".docx" in reasons["old.doc"]
    stored = [item["stored_as"] for item in body["accepted"]]
    assert stored[:2] == ["escape.txt", "nulname.txt"]
    assert len(stored[2]) <= 120 and stored[3:] == ["WIDE.txt", "WIDE-2.txt"]
    assert all((documents / name).is_file() for name in stored)
    assert not any(path.name == "escape.txt" for path in documents.parent.glob("*.txt"))  # nothing outside


def test_a_copy_is_reported_and_too_large_an_upload_refused(staff):
    client, documents, _ = staff
    again = client.post(
        "/api/documents", data={"file": (io.BytesIO(DOCUMENTS["linyi.txt"].encode()), "again.txt")}, headers=AUTH
    ).get_json()
    assert again["accepted"] == [] and "linyi.txt" in again["rejected"][0]["error"]
    boundary = "----limit"
    payload = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'.encode()
        + b"a" * (2 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    big = client.post(
        "/api/documents", data=payload, content_type=f"multipart/form-data; boundary={boundary}", headers=AUTH
    )
    assert big.status_code == 413 and "1 MB" in big.get_json()["error"]
    assert not (documents / "again.txt").exists() and not (documents / "big.txt").exists()


def test_corrections_are_validated_kept_as_data_and_change_the_facets(staff):
    client, documents, app = staff
    doc_id = client.get("/api/search", query_string={"q": "建会率"}).get_json()["results"][0]["doc_id"]
    for change, field in (({"colour": "red"}, "colour"), ({"year": 3000}, "year"), ({"city": "火星市"}, "city")):
        response = client.patch(f"/api/documents/{doc_id}", json=change, headers=AUTH)
        assert response.status_code == 400 and response.get_json()["field"] == field
    assert client.patch("/api/documents/nosuchdoc", json={"year": 2020}, headers=AUTH).status_code == 404
    assert (
        client.patch(f"/api/documents/{doc_id}", json={"city": "济宁", "year": 2017}, headers=AUTH).status_code == 202
    )
    _wait(app)
    facets = client.get("/api/search", query_string={"q": "建会率"}).get_json()["facets"]
    assert [item["value"] for item in facets["city"]] == ["济宁市"] and facets["year"][0]["value"] == "2017"
    kept = json.loads((documents / ".corrections.json").read_text(encoding="utf-8"))
    assert kept[doc_id] == {"source": "linyi.txt", "city": "济宁市", "year": 2017, "province": "山东省"}
    assert client.patch(f"/api/documents/{doc_id}", json={"city": None, "province": None, "year": None}, headers=AUTH)
    _wait(app)
    assert client.get("/api/search", query_string={"q": "建会率"}).get_json()["facets"]["city"][0]["value"] == "临沂市"


def test_delete_moves_the_file_to_the_trash_and_restore_brings_it_back(staff):
    client, documents, app = staff
    doc_id = client.get("/api/search", query_string={"q": "建会率"}).get_json()["results"][0]["doc_id"]
    deleted = client.delete(f"/api/documents/{doc_id}", headers=AUTH)
    assert deleted.status_code == 202 and deleted.get_json()["trash"] == "linyi.txt"
    _wait(app)
    assert (documents / ".trash" / "linyi.txt").is_file() and not (documents / "linyi.txt").exists()
    assert client.get("/api/search", query_string={"q": "建会率"}).get_json()["total"] == 0
    assert client.get("/api/trash", headers=AUTH).get_json()["files"] == ["linyi.txt"]
    bad = client.post("/api/trash/restore", json={"file": "../../etc/passwd"}, headers=AUTH)
    assert bad.status_code == 400 and bad.get_json()["field"] == "file"
    restored = client.post("/api/trash/restore", json={"file": "linyi.txt"}, headers=AUTH)
    assert restored.status_code == 202
    _wait(app)
    assert client.get("/api/search", query_string={"q": "建会率"}).get_json()["total"] >= 1
    actions = [
        json.loads(line)["action"] for line in (documents / ".audit.log").read_text(encoding="utf-8").splitlines()
    ]
    assert actions[-2:] == ["delete", "restore"]


def test_without_a_token_file_the_server_is_read_only(designed_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(designed_index)}).test_client()
    assert client.post("/api/documents", data={}).status_code in (404, 405)
    assert client.delete("/api/documents/x").status_code in (404, 405)


def test_the_admin_page_needs_a_login_and_every_form_its_csrf_token(staff):
    client, documents, _ = staff
    assert client.get("/admin").status_code == 302  # to the login page
    login = client.get("/admin/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', login)[1]
    assert client.post("/admin/login", data={"token": TOKEN}).status_code == 401  # no CSRF token: refused
    assert client.post("/admin/login", data={"token": "wrong", "csrf": csrf}).status_code == 401
    assert client.post("/admin/login", data={"token": TOKEN, "csrf": csrf}).status_code == 302
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Strict"
    page = client.get("/admin").get_data(as_text=True)
    assert "文档管理" in page and "linyi.txt" in page
    assert re.search(r"linyi\.txt</a></td>\s*<td>1</td>\s*<td>1</td>", page)  # its passages and figures (70.13%)
    session_csrf = re.search(r'data-csrf="([^"]+)"', page)[1]
    doc_id = re.search(r'data-doc="([^"]+)"', page)[1]
    # A change from the session without its CSRF token is refused and changes nothing.
    refused = client.patch(f"/api/documents/{doc_id}", json={"year": 2015})
    assert refused.status_code == 403 and not (documents / ".corrections.json").exists()
    accepted = client.patch(f"/api/documents/{doc_id}", json={"year": 2015}, headers={"X-CSRF-Token": session_csrf})
    assert accepted.status_code == 202
    assert client.get(f"/api/jobs/{accepted.get_json()['job']}").status_code == 200  # reading needs no CSRF token
    lines = [json.loads(line) for line in (documents / ".audit.log").read_text(encoding="utf-8").splitlines()]
    assert [line["who"] for line in lines[-2:]] == ["session", "session"]  # login, correct


def test_hostile_bodies_and_names_get_a_4xx_and_nothing_moves_outside(staff):
    client, documents, app = staff
    doc_id = client.get("/api/search", query_string={"q": "建会率"}).get_json()["results"][0]["doc_id"]
    assert client.delete(f"/api/documents/{doc_id}", headers=AUTH).status_code == 202
    _wait(app)
    outside = documents.parent / ".trash"
    for body in ({"file": "../.trash/linyi.txt"}, {"file": "/etc/passwd"}, {"file": "a" * 300}, [1], "x", 5):
        response = client.post("/api/trash/restore", json=body, headers=AUTH)
        assert response.status_code == 400, body
    assert not outside.exists() and (documents / ".trash" / "linyi.txt").is_file()
    deep = client.patch(f"/api/documents/{doc_id}", data="[" * 50_000, content_type="application/json", headers=AUTH)
    assert deep.status_code in (400, 404)
    assert (
        client.post("/api/trash/restore", data="[" * 50_000, content_type="application/json", headers=AUTH).status_code
        == 400
    )
    files = [
        (io.BytesIO(b"<html>" + bytes(range(256)) * 10), "a.html"),  # markup around binary bytes
        (io.BytesIO(b"PK\x03\x04" + b"\x00" * 100), "broken.docx"),  # not a readable zip
        (io.BytesIO(b"%PDF-1.4\n" + b" " * 10_000), "broken.pdf"),  # no PDF inside
    ]
    body = client.post("/api/documents", data={"file": files}, headers=AUTH).get_json()
    assert body["accepted"] == [] and len(body["rejected"]) == 3
    with (documents / ".audit.log").open("a", encoding="utf-8") as log:
        log.write('{"cut by a crash')
    login = client.get("/admin/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', login)[1]
    client.post("/admin/login", data={"token": TOKEN, "csrf": csrf})
    assert client.get("/admin").status_code == 200  # a broken audit line does not break the page
    big_form = client.post("/admin/login", data=b"x" * (70 * 1024), content_type="application/x-www-form-urlencoded")
    assert big_form.status_code == 413  # outside uploads, request bodies keep their 64 KB
