"""Display text (width folding, OCR-space repair) and the aligned search form."""

from __future__ import annotations

import pytest

from indexer.text.normalise import fold, normalise_line, normalise_query, normalise_text, repair_spaces, search_form


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("２０１４年", "2014年"),
        ("ＡＢＣ工会", "ABC工会"),
        ("ｗｗｗ．ａｃｆｔｕ．ｏｒｇ", "www.acftu.org"),
        ("增长１．５％", "增长1.5%"),
        ("工会，职工：权益；好！吗？（一）", "工会，职工：权益；好！吗？（一）"),  # Chinese punctuation kept
        ("。、“”《》【】", "。、“”《》【】"),  # NFKC leaves these alone anyway
        ("\u2f2f会", "工会"),  # Kangxi radical ⼯ (OCR) → 工
        ("\u2fa6融", "金融"),  # Kangxi radical ⾦ → 金
        ("第\uf9d1条", "第六条"),  # compatibility ideograph F9D1 → 六
        ("\uf9b2点", "零点"),  # compatibility ideograph F9B2 → 零
        ("第Ⅱ部分", "第II部分"),
        ("全\u3000市", "全 市"),  # ideographic space becomes a plain space (repair_spaces then decides)
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ("十九 大", "十九大"),
        ("着 力点", "着力点"),
        ("96.9 %", "96.9%"),
        ("96 .9%", "96.9%"),
        ("100 ‰", "100‰"),
        ("2015 年", "2015年"),
        ("2015 年 2 月 6 日", "2015年2月6日"),
        ("全市 2000 名职工", "全市2000名职工"),
        ("“工会” 职工", "“工会”职工"),
        ("适应新常态  彰显新作为", "适应新常态 彰显新作为"),  # a deliberate gap stays, as one space
        ("凝心聚力\t\t奋发有为", "凝心聚力 奋发有为"),
        ("Hello World", "Hello World"),
        ("Hello  World", "Hello World"),
        ("工会 Hello World 职工", "工会 Hello World 职工"),
        ("GDP 增长", "GDP 增长"),
        ("1 000人", "1 000人"),  # a thousands gap is not an OCR space before a unit
    ],
)
def test_repair_spaces(text, repaired):
    assert repair_spaces(text) == repaired


@pytest.mark.parametrize(
    ("line", "display"),
    [
        ("\u3000\u3000全市工会签订集体合同３１２０份 ", "全市工会签订集体合同3120份"),
        ("王 向 群", "王向群"),
        ("总结 ２０１４ 年的工作", "总结2014年的工作"),
        ("覆盖率达到 96.9 %", "覆盖率达到96.9%"),
        ("零\u200b宽\ufeff字符\x07", "零宽字符"),
        ("        凝心聚力  奋发有为  ", "凝心聚力 奋发有为"),
        ("", ""),
    ],
)
def test_normalise_line(line, display):
    assert normalise_line(line) == display


def test_normalise_text_keeps_one_line_per_line():
    text = "标题\r\n  第一段 内容。\r第二段\n\n（２０１５年２月６日）"
    assert normalise_text(text) == "标题\n第一段内容。\n第二段\n\n（2015年2月6日）"


def test_search_form_maps_traditional_and_upper_case_character_for_character():
    display = "勞動競賽ABC工会，職工權益 Hello 2015年"
    form = search_form(display)
    assert form == "劳动竞赛abc工会，职工权益 hello 2015年"
    assert len(form) == len(display)


@pytest.mark.parametrize(
    ("display", "form"),
    [
        ("İstanbul 勞動 ß ﬁ", "İstanbul 劳动 ß ﬁ"),  # str.lower() would lengthen İ; only ASCII is lowered
        ("會議紀要：工會經費審查委員會", "会议纪要：工会经费审查委员会"),
        ("", ""),
    ],
)
def test_search_form_has_the_length_of_its_input(display, form):
    assert search_form(display) == form
    assert len(form) == len(display)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("  勞動競賽 ", "劳动竞赛"),
        ("ＡＰＰ平台", "app平台"),
        ("十九 大", "十九大"),
        ("工会法  第三条", "工会法 第三条"),
    ],
)
def test_normalise_query(query, form):
    assert normalise_query(query) == form
