"""Main-text extraction from web pages: boilerplate out, article in order, metadata found, bad HTML survived."""

from __future__ import annotations

import time

import pytest

from indexer.ingest import htmltext
from indexer.ingest.htmltext import HtmlText, extract

NAV = """
<div id="topnav"><ul>
  <li><a href="/">首页</a></li><li><a href="/news">新闻</a></li><li><a href="/union">工会动态</a></li>
  <li><a href="/law">政策法规</a></li><li><a href="/service">职工服务</a></li>
</ul></div>
<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/news">新闻</a> &gt; 正文</div>
"""
RELATED = """
<div class="related"><h3>相关新闻</h3><ul>
  <li><a href="/a1.html">市总工会召开全委会议，部署全年重点工作任务</a></li>
  <li><a href="/a2.html">户外劳动者驿站建设加快推进，新建驿站五十个</a></li>
  <li><a href="/a3.html">金秋助学活动启动，资助困难职工子女三百余名</a></li>
</ul></div>
"""
FOOTER = """
<div id="footer"><p><a href="/about">关于我们</a> | <a href="/contact">联系我们</a></p>
<p>版权所有：济宁市总工会 鲁ICP备05001234号</p></div>
"""
ARTICLE_LINES = [
    "济宁市总工会开展金秋助学活动",
    "2018年9月1日，济宁市总工会举行金秋助学金发放仪式，为326名困难职工子女发放助学金98万元。",
    "一、精准识别帮扶对象",
    "各级工会深入基层走访，逐户核实困难职工家庭情况，确保助学金发放到最需要的家庭。",
    "二、健全长效帮扶机制",
    "市总工会负责人表示，将持续做好困难职工帮扶工作，推动帮扶工作制度化、常态化。",
]
NEWS_PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>济宁市总工会开展金秋助学活动_工会新闻_齐鲁工会网</title>
<style>.article {{ color: red; }}</style>
<script>var tracker = "alert('tracked')";</script></head>
<body>{NAV}
<div class="article">
  <h1>{ARTICLE_LINES[0]}</h1>
  <div class="info">2018-09-01 10:30 来源：济宁日报 作者：张三</div>
  <p>{ARTICLE_LINES[1]}</p>
  <h2>{ARTICLE_LINES[2]}</h2>
  <p>{ARTICLE_LINES[3]}</p>
  <h2>{ARTICLE_LINES[4]}</h2>
  <p>{ARTICLE_LINES[5]}</p>
  <div class="share"><a href="javascript:share('weibo')">分享到微博</a> <a href="#">分享到微信</a></div>
</div>
{RELATED}
<div id="comments"><h3>网友评论</h3>
  <p>网友甲：这个活动非常好，希望每年都能坚持办下去，帮助更多的困难职工家庭。</p>
</div>
{FOOTER}
</body></html>"""


def test_news_page_keeps_the_article_in_order_and_drops_page_furniture():
    # The title heading is apart from the text, above the byline; it is the page's title.
    assert extract(NEWS_PAGE).text.splitlines() == ARTICLE_LINES[1:]


def test_news_page_metadata():
    page = extract(NEWS_PAGE)
    assert (page.title, page.date, page.author) == ("济宁市总工会开展金秋助学活动", "2018-09-01 10:30", "张三")


def test_article_in_a_layout_table_cell_loses_the_link_list_after_it():
    paragraphs = [
        "本报讯 昨日，市总工会召开户外劳动者驿站建设推进会，总结去年工作，部署今年任务。",
        "会议指出，驿站建设要坚持实用、便利原则，让环卫工人、快递员等户外劳动者有地方歇脚。",
    ]
    links = "".join(f'<a href="/n{number}.html">·第{number}条相关新闻标题在这里</a><br>' for number in range(8))
    html = f"""<html><body><table><tr>
      <td width="150"><a href="/">首页</a><br><a href="/a">工会要闻</a><br><a href="/b">基层动态</a></td>
      <td width="600"><b>驿站建设推进会召开</b><p>{paragraphs[0]}<p>{paragraphs[1]}<p>相关报道：<br>{links}</td>
    </tr></table></body></html>"""
    assert extract(html).text.splitlines() == paragraphs


def test_forum_thread_keeps_the_first_post_not_the_replies():
    first_post = [
        "各位工友好，我想问一下，公司连续三个月拖欠工资，工会能不能出面帮我们协调解决？",
        "我们车间有三十多个人都没有拿到工资，已经向公司反映过好几次了，一直没有答复。",
    ]
    replies = "".join(
        f"<div class='post'><div>回复人：网友{number} 发表于 2019-03-0{number} 10:1{number}</div>"
        f"<p>可以先找企业工会反映情况，也可以向当地劳动监察大队投诉，保留好考勤和工资条等证据材料。第{number}楼。</p></div>"
        for number in range(1, 5)
    )
    html = f"""<html><body><div class="thread">
      <div class='post'><div>楼主：工友小李 发表于 2019-03-01 09:00</div><p>{first_post[0]}</p><p>{first_post[1]}</p></div>
      {replies}</div></body></html>"""
    assert extract(html).text.splitlines() == first_post


def test_hidden_elements_are_not_text():
    html = """<html><body><div>
      <p>工会经费按照全部职工工资总额的百分之二向工会拨缴，用于为职工服务和工会活动。</p>
      <div style="display: none">隐藏的广告文字，不应出现。</div><p hidden>也是隐藏的文字，不应出现。</p>
    </div></body></html>"""
    assert extract(html).text == "工会经费按照全部职工工资总额的百分之二向工会拨缴，用于为职工服务和工会活动。"


ARTICLE = (
    "<p>全市各级工会深入推进工资集体协商，签订集体合同3120份，覆盖职工52.6万人，建会率达到70.13%。</p>"
    "<p>开展送温暖活动，慰问困难职工1200户，发放慰问金180万元，帮助困难职工解决实际问题。</p>"
)
ASIDE = "本栏目的这段说明文字也带有标点符号，但它不属于正文内容。"


@pytest.mark.parametrize(
    ("attributes", "dropped"),
    [
        ('id="topnav"', True),
        ('class="main-menu"', True),
        ('class="comment-list"', True),
        ('id="sidebarRight"', True),
        ('class="ad"', True),
        ('class="share-box"', True),
        ('class="xgxw"', True),
        ('class="padding-big-top"', False),
        ('class="shadow"', False),
        ('class="headline"', False),
    ],
)
def test_blocks_named_as_furniture_are_dropped(attributes, dropped):
    html = f"<html><body><div>{ARTICLE}<div {attributes}><p>{ASIDE}</p></div></div></body></html>"
    assert (ASIDE not in extract(html).text) == dropped


def test_copyright_and_reprint_notices_are_not_text():
    html = f"""<html><body><div>{ARTICLE}
      <p>本文版权归工人日报所有，未经许可不得转载。</p><p>Copyright © 2005 SINA Corporation, All Rights Reserved</p>
    </div></body></html>"""
    assert extract(html).text.splitlines() == [
        "全市各级工会深入推进工资集体协商，签订集体合同3120份，覆盖职工52.6万人，建会率达到70.13%。",
        "开展送温暖活动，慰问困难职工1200户，发放慰问金180万元，帮助困难职工解决实际问题。",
    ]


def test_a_documents_closing_signature_is_kept():
    html = """<html><body><div class="content">
      <p>各市（州）总工会：</p><p>为做好今年职工疗休养工作，现将有关事项通知如下，请认真贯彻执行。</p><p>特此通知。</p>
      <p>吉林省总工会</p><p>2022年1月27日</p></div>
      <div><a href="/print">打印本页</a> <a href="/close">关闭窗口</a></div></body></html>"""
    assert extract(html).text.splitlines()[-2:] == ["吉林省总工会", "2022年1月27日"]


def test_a_block_repeated_for_phones_comes_out_once():
    header = "".join(f"<tr><td>字段{number}：</td><td>值{number}</td></tr>" for number in range(4))
    html = f"""<html><body><div class="content">{ARTICLE}
      <table class="pc">{header}</table><table class="mobile">{header}</table>{ARTICLE}</div></body></html>"""
    assert extract(html).text.count("字段0：") == 1


def test_text_after_a_stray_closing_html_tag_is_found():
    html = """<html><body><div><a href="/">首页</a></div></body></html>
      <div class="content"><p>职工代表大会是企业实行民主管理的基本形式，是职工行使民主管理权力的机构。</p></div>"""
    assert extract(html).text == "职工代表大会是企业实行民主管理的基本形式，是职工行使民主管理权力的机构。"


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        ("<title>四年前中500万现穷困潦倒_商贸_产业资讯_新浪网</title>", "", "四年前中500万现穷困潦倒"),
        ("<title>从上海车展看在华布局 - 搜狐汽车</title>", "", "从上海车展看在华布局"),
        ("<title>工商部门初定SKII广告属于虚假宣传-搜狐财经</title>", "", "工商部门初定SKII广告属于虚假宣传"),
        ("<title>SK-II 广告被认定虚假宣传</title>", "", "SK-II 广告被认定虚假宣传"),
        ("<title>新闻中心 | 网站</title>", "<h1>工会法修正案通过</h1>", "新闻中心"),
        (
            "<title>工会法修正案通过 - 太原晚报</title>",
            "<h3>太原晚报</h3><h1>工会法修正案通过</h1>",
            "工会法修正案通过",
        ),
        ("<title>金锺国 - 维基百科，自由的百科全书</title>", "<h1>金锺国</h1>", "金锺国"),
        ('<meta property="og:title" content="劳动合同法解读"><title>首页</title>', "", "劳动合同法解读"),
        ("", "<h1>没有title标签的页面</h1>", "没有title标签的页面"),
    ],
)
def test_title(head, body, title):
    html = f"<html><head>{head}</head><body>{body}<p>正文第一段，内容足够长，带有标点符号。</p></body></html>"
    assert extract(html).title == title


@pytest.mark.parametrize(
    ("byline", "date", "author"),
    [
        ("2005-07-31 12:30 来源：新华网 作者：樊亮", "2005-07-31 12:30", "樊亮"),
        ("发布时间：2012年3月5日 记者 王建宏 张文攀", "2012年3月5日", "王建宏 张文攀"),
        ("文/李四 2020/11/26", "2020/11/26", "李四"),
        ("2021-1-29 13:18 楼主：放飞 心情", "2021-1-29 13:18", "放飞 心情"),
        ("来源：人民网", "", ""),
    ],
)
def test_date_and_author_from_the_byline(byline, date, author):
    html = f"""<html><body><h1>标题</h1><div>{byline}</div>
      <p>正文第一段，市总工会召开会议，部署今年的重点工作。</p><p>正文第二段，会议要求各级工会扎实工作。</p>
    </body></html>"""
    page = extract(html)
    assert (page.date, page.author) == (date, author)


def test_author_in_brackets_inside_prose():
    html = "<html><body><p>新华社北京2月13日电（记者唐霁）全总今天召开新闻发布会，介绍有关情况。</p></body></html>"
    assert extract(html).author == "唐霁"


def test_scripts_styles_and_event_handlers_never_reach_the_text():
    html = """<html><head><script>document.write("<p>evil()</p>")</script></head><body>
      <style>p { background: url(javascript:alert(1)) }</style>
      <div onclick="alert('click')" onmouseover="steal()"><p>工会会员享有选举权、被选举权和表决权，有权对工会工作提出批评和建议。</p>
      <a href="javascript:alert('link')">点击</a><noscript>请启用脚本</noscript>
      <iframe src="javascript:alert(2)">框架内容</iframe><template><p>模板内容</p></template>
      <form><input value="输入框内容"><textarea>文本框内容</textarea><select><option>选项内容</option></select></form>
      <!-- 注释内容 --><![CDATA[ 数据内容 ]]></div></body></html>"""
    text = extract(html).text
    assert text == "工会会员享有选举权、被选举权和表决权，有权对工会工作提出批评和建议。"
    for leaked in (
        "alert",
        "evil",
        "steal",
        "javascript",
        "<",
        "脚本",
        "框架",
        "模板",
        "输入框",
        "文本框",
        "选项",
        "注释",
    ):
        assert leaked not in text


def test_deeply_nested_html_finishes_with_its_text():
    html = (
        "<html><body>"
        + "<div>" * 5000
        + "<p>深层嵌套的段落，仍然要被提取出来。</p>"
        + "</div>" * 5000
        + "</body></html>"
    )
    started = time.perf_counter()
    page = extract(html)
    assert time.perf_counter() - started < 5
    assert page.text == "深层嵌套的段落，仍然要被提取出来。"


def test_unclosed_deep_nesting_finishes():
    html = "<html><body>" + "<div><span><b>" * 5000 + "未闭合标签里的文字，也要提取出来。"
    assert extract(html).text == "未闭合标签里的文字，也要提取出来。"


def test_recursion_error_falls_back_to_the_whole_page(monkeypatch):
    def too_deep(soup):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(htmltext, "flatten", too_deep)
    html = "<html><body><script>x()</script><div>第一段</div><p>第二段 &amp; 更多</p></body></html>"
    assert extract(html) == HtmlText(title="", text="第一段\n第二段 & 更多", date="", author="")


def test_a_page_too_large_to_parse_is_stripped_of_tags(monkeypatch):
    monkeypatch.setattr(htmltext, "_MAX_PARSED_CHARS", 100)
    html = (
        "<html><head><style>p {}</style></head><body><!-- 注释 --><p>第一段</p><div>第二段</div>"
        "<script>var a = '<p>脚本</p>';</script><p>第三段" + " " * 100 + "<script>unclosed"
    )
    assert extract(html) == HtmlText(title="", text="第一段\n第二段\n第三段", date="", author="")


WORD_PARAGRAPHS = [
    "中华人民共和国工会法",
    "第一章 总则",
    "第一条 为保障工会在国家政治、经济和社会生活中的地位，制定本法。",
    "第二条 工会是职工自愿结合的工人阶级的群众组织。",
    "第二章 工会组织",
    "第九条 工会各级组织按照民主集中制原则建立。",
]
WORD_PAGE = f"""<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta name=ProgId content=Word.Document><meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
<style><!-- p.MsoNormal {{mso-style-parent:""; margin:0cm;}} --></style></head>
<body lang=ZH-CN style='tab-interval:21.0pt'><div class=WordSection1>
<p class=MsoNormal align=center><b><span style='font-size:18.0pt'>{WORD_PARAGRAPHS[0]}<o:p></o:p></span></b></p>
<p class=MsoToc1><a href="#_Toc1">第一章 总则</a></p><p class=MsoToc1><a href="#_Toc2">第二章 工会组织</a></p>
<h2><a name="_Toc1"></a><![if !supportLists]><![endif]>{WORD_PARAGRAPHS[1]}<o:p></o:p></h2>
<p class=MsoNormal>{WORD_PARAGRAPHS[2]}<o:p></o:p></p>
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
<p class=MsoNormal>{WORD_PARAGRAPHS[3]}<o:p></o:p></p>
<!--[if supportFields]><span style='mso-element:field-end'></span><![endif]-->
<h2><a name="_Toc2"></a>{WORD_PARAGRAPHS[4]}<o:p></o:p></h2>
<p class=MsoNormal>{WORD_PARAGRAPHS[5]}<o:p></o:p></p>
</div></body></html>"""


def test_word_export_keeps_every_paragraph_heading_and_its_table_of_contents():
    page = extract(WORD_PAGE)
    assert page.text.splitlines() == [WORD_PARAGRAPHS[0], "第一章 总则", "第二章 工会组织", *WORD_PARAGRAPHS[1:]]
    assert page.title == "中华人民共和国工会法"
    for junk in ("mso", "[if", "endif", "o:p", "Print"):
        assert junk not in page.text


def test_word_export_without_generator_is_known_by_its_section_div():
    body = "".join(f"<p class=MsoNormal>{paragraph}</p>" for paragraph in WORD_PARAGRAPHS)
    html = f"<html><head><title>工会法</title></head><body>\n<div class=WordSection1>{body}</div></body></html>"
    assert extract(html).text.splitlines() == WORD_PARAGRAPHS


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n\t",
        "<html></html>",
        "<html><head><title></title></head><body></body></html>",
        "<!-- only a comment -->",
        "<script>alert(1)</script><style>p{}</style>",
        "<<<>>></></>",
        "<?xml version='1.0'?><!DOCTYPE html>",
        "\x00\x01\x02",
    ],
)
def test_empty_or_invalid_html_gives_empty_text(html):
    assert extract(html).text == ""


@pytest.mark.parametrize(
    "html",
    [
        "<p>未闭合",
        "<table><tr><td>单元格</td>",
        "<a href='x'><a href='y'>嵌套链接</a>",
        "<div <p>>奇怪</p>",
        "&#xFFFFFF;&bogus;文字",
    ],
)
def test_malformed_html_does_not_raise(html):
    assert isinstance(extract(html), HtmlText)


def test_lone_surrogates_become_replacement_characters():
    # Text decoded with errors="surrogateescape" holds lone surrogates, which lxml cannot encode.
    assert extract("<p>工会\udce5法，第一条。</p>").text == "工会\ufffd法，第一条。"


def test_a_large_page_is_fast():
    paragraphs = "".join(
        f"<p>第{number}段：各级工会要把维护职工合法权益作为基本职责，积极参与协调劳动关系。</p>"
        for number in range(2000)
    )
    links = '<li><a href="/n.html">相关新闻标题</a></li>' * 200
    html = f"<html><body><ul>{links}</ul><div>{paragraphs}</div><ul>{links}</ul></body></html>"
    assert len(html) > 100_000
    extract(html)  # warm-up: imports and regular expressions
    started = time.perf_counter()
    page = extract(html)
    assert time.perf_counter() - started < 1.0
    assert len(page.text.splitlines()) == 2000
