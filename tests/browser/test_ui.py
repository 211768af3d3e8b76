"""The search and document pages in a real browser (Chromium through Playwright)."""

from __future__ import annotations

import csv
import io

import pytest

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def _search(page, server_url: str, query: str) -> None:
    page.goto(server_url + "/")
    page.fill("input[name=q]", query)
    page.press("input[name=q]", "Enter")
    page.wait_for_selector(".summary")


def _facet_count(page, facet: str, value: str) -> int:
    link = page.locator(f'section[data-facet="{facet}"] a[data-value="{value}"] .count')
    return int(link.inner_text())


def test_typing_a_query_shows_highlighted_snippets(page, server_url):
    _search(page, server_url, "工资集体协商")
    marks = page.locator(".snippet mark")
    assert marks.count() > 0
    assert "集体协商" in marks.first.inner_text()
    assert "命中" in page.locator(".document .hits").first.inner_text()


def test_ticking_two_facet_values_changes_results_and_counts(page, server_url):
    _search(page, server_url, "工会")
    total_before = int(page.locator(".summary .total").inner_text())
    linyi = _facet_count(page, "city", "临沂市")
    page.click('section[data-facet="city"] a[data-value="临沂市"]')
    page.wait_for_load_state()
    total_linyi = int(page.locator(".summary .total").inner_text())
    assert total_linyi == linyi < total_before
    assert page.locator(".chip").count() == 1
    jining = _facet_count(page, "city", "济宁市")  # the other values keep their counts
    page.click('section[data-facet="city"] a[data-value="济宁市"]')
    page.wait_for_load_state()
    total_both = int(page.locator(".summary .total").inner_text())
    assert total_both == linyi + jining
    metas = page.locator(".document .meta").all_inner_texts()
    assert metas and all("临沂市" in meta or "济宁市" in meta for meta in metas)
    assert "city=%E4%B8%B4%E6%B2%82%E5%B8%82" in page.url and "city=%E6%B5%8E%E5%AE%81%E5%B8%82" in page.url
    page.click(".chip >> nth=0")  # remove one chip
    page.wait_for_load_state()
    assert page.locator(".chip").count() == 1


def test_opening_a_document_shows_the_highlighted_passage_in_view(page, server_url):
    _search(page, server_url, "户外劳动者驿站")
    page.click(".passage-actions a >> nth=0")
    page.wait_for_selector(".document-view")
    target = page.locator(".passage-block.target")
    assert target.count() == 1
    assert target.locator("mark").count() > 0
    box = target.bounding_box()
    viewport = page.viewport_size
    assert box is not None and 0 <= box["y"] < viewport["height"]
    assert page.locator(".related li").count() > 0


def test_export_csv_downloads_the_results(page, server_url):
    _search(page, server_url, "送温暖")
    with page.expect_download() as download_info:
        page.click("a.export-csv")
    path = download_info.value.path()
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["标题", "文种", "省份", "城市"]
    assert len(rows) > 1 and any("送温暖" in row[8] for row in rows[1:])


def test_a_hostile_query_fires_no_dialog_and_is_shown_as_text(page, server_url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _search(page, server_url, "<script>alert(1)</script><img src=x onerror=alert(2)>")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("main img").count() == 0
    assert page.input_value("input[name=q]").startswith("<script>")


def test_copy_citation_puts_title_and_text_on_the_clipboard(browser, server_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        _search(page, server_url, "金秋助学")
        page.click("button.copy >> nth=0")
        page.wait_for_selector("button.copy.done")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("《") and "金秋助学" in copied
    finally:
        context.close()


def test_narrow_screen_has_no_horizontal_scroll(browser, server_url):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        _search(page, server_url, "工资集体协商")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def test_figures_tab_shows_values_with_their_sentences(page, server_url):
    page.goto(server_url + "/")
    page.fill("input[name=q]", "建会率")
    page.press("input[name=q]", "Enter")
    page.click("nav.tabs a:has-text('指标')")
    page.wait_for_selector("table.figures")
    values = page.locator("table.figures td.value").all_inner_texts()
    assert "70.13 %" in values
    assert page.locator("table.figures td.sentence mark").count() > 0
    page.click("table.figures th a:has-text('数值')")
    page.wait_for_selector("table.figures")
    assert "sort=value" in page.url


def test_figures_page_reflows_on_a_phone_and_pairs_targets_with_actuals(browser, server_url):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto(server_url + "/figures?q=建会率")
        page.wait_for_selector("table.figures")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        # Each figure is a card: the value and its labelled fields stacked, the header row hidden.
        assert not page.locator("table.figures thead").is_visible()
        assert "70.13 %" in page.locator("table.figures td.value").all_inner_texts()
        # 滨州's 2019 target beside the 2019 result (both in the seeds).
        pair = page.locator("section.pairs table.pairs tbody tr").first.inner_text()
        assert "滨州" in pair and "2019" in pair and "70.13 %" in pair
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "figures-phone.png"), full_page=True)
    finally:
        context.close()


def test_places_view_counts_filters_and_compares(page, server_url):
    import json
    import urllib.parse
    import urllib.request

    query = "工资集体协商"
    with urllib.request.urlopen(f"{server_url}/api/places?q={urllib.parse.quote(query)}") as response:
        api = json.load(response)
    page.goto(server_url + "/?q=" + urllib.parse.quote(query))
    page.click("nav.tabs a:has-text('按地区')")
    page.wait_for_selector("ol.places")
    assert page.locator(".total-places").inner_text() == str(api["total_places"])
    assert page.locator("li.place").count() == min(60, api["total_places"])
    assert page.locator(".tilemap rect").count() == 34
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "places.png"), full_page=True)
    # Two places ticked → side by side.
    boxes = page.locator("li.place input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("form.places-form button[type=submit]")
    page.wait_for_selector(".compare-column")
    columns = page.locator(".compare-column")
    assert columns.count() == 2
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + first["width"] - 2
    page.screenshot(path=str(SCREENSHOTS / "compare.png"), full_page=True)
    # A click on a place filters the results to it.
    page.go_back()
    page.wait_for_selector("ol.places")
    name = page.locator("li.place h3 label").first.inner_text().strip()
    page.locator("li.place a.filter").first.click()
    page.wait_for_selector(".results-area")
    assert "city=" in page.url or "province=" in page.url
    assert name in page.locator(".results-area").inner_text()


def test_places_and_compare_have_no_sideways_scroll_on_a_phone(browser, server_url):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto(server_url + "/places?q=工资集体协商")
        page.wait_for_selector("ol.places")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        keys = page.locator("li.place input[type=checkbox]").evaluate_all("boxes => boxes.map(box => box.value)")
        query = "&".join(f"place={key}" for key in keys[:2])
        page.goto(server_url + "/compare?q=工资集体协商&" + query)
        page.wait_for_selector(".compare-column")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=str(SCREENSHOTS / "compare-phone.png"), full_page=True)
    finally:
        context.close()


def test_markup_inside_a_document_is_shown_as_text_never_run(page, server_url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _search(page, server_url, "HOSTILEDOC")
    assert "<img src=x" in page.locator(".snippet").first.inner_text()
    page.click(".passage-actions a >> nth=0")
    page.wait_for_selector(".document-view")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("main img, main b[onmouseover], main script").count() == 0
    assert "<script>" in page.locator(".document-view").inner_text()


def test_a_question_shows_what_was_understood_and_an_expansion_goes_in_one_click(page, server_url):
    _search(page, server_url, "老板不跟我签劳动合同，能不能要二倍工资？")
    understood = page.locator(".understood")
    assert "理解为" in understood.inner_text() and "法规条文问题" in understood.inner_text()
    assert "能不能" in page.locator(".understood .ignored").inner_text()
    assert page.locator(".passage .article").first.inner_text() == "《中华人民共和国劳动合同法》第八十二条"
    assert "命中" in page.locator(".passage .matched").first.inner_text()
    expansions = page.locator(".understood a.expansion")
    assert expansions.count() > 0
    word = expansions.first.inner_text().rstrip(" ✕")
    page.screenshot(path=str(SCREENSHOTS / "understood.png"), full_page=True)
    expansions.first.click()
    page.wait_for_load_state()
    assert "without=" in page.url
    assert word in page.locator(".understood .removed").inner_text()  # and a link puts it back
    page.click(".understood .removed a >> nth=0")
    page.wait_for_load_state()
    assert "without=" not in page.url
