"""Articles, headers, paragraphs with heading paths, and passages with offsets into the article text."""

from __future__ import annotations

import pytest

from indexer.ingest.structure import (
    Header,
    Paragraph,
    PassageSpan,
    article_text,
    heading_level,
    paragraphs,
    passages,
    split_articles,
    split_header,
)

COMPILATION = [
    "全市工会资料汇编",
    "第一篇：市总工会召开全委会",
    "会议在市工人文化宫举行。",
    "第二篇:市总工会全委会主持词",
    "同志们：",
    "现在开会。",
    "第三篇 市总工会工作报告",
    "一、过去一年的工作",
    "全市工会组织不断壮大。",
    "职工权益得到维护。",
]


def test_split_articles_at_article_marks():
    articles = split_articles(COMPILATION)
    assert [(title, len(lines)) for title, lines in articles] == [
        ("市总工会召开全委会", 1),
        ("市总工会全委会主持词", 2),
        ("市总工会工作报告", 3),
    ]
    assert articles[2][1] == ["一、过去一年的工作", "全市工会组织不断壮大。", "职工权益得到维护。"]


def test_split_articles_keeps_a_long_preface_as_its_own_article():
    preface = ["编者按：" + "本汇编收录全市工会近年来的重要文件和讲话。" * 12]
    articles = split_articles(preface + COMPILATION[1:])
    assert [(title, len(lines)) for title, lines in articles] == [
        ("", 1),
        ("市总工会召开全委会", 1),
        ("市总工会全委会主持词", 2),
        ("市总工会工作报告", 3),
    ]


@pytest.mark.parametrize(
    "lines",
    [
        ["第一篇：唯一的一篇", "正文。"],  # one mark is not a compilation
        ["市总工会工作报告", "正文中提到第一篇文章。", "第二篇的内容。"],  # not at line start with a title
        [],
    ],
)
def test_split_articles_leaves_a_single_document_whole(lines):
    assert split_articles(lines) == [("", lines)]


REPORT_OPENING = [
    "适应新常态 彰显新作为",
    "组织动员全市广大职工为建设贡献智慧和力量",
    "——在市总工会十四届四次全委（扩大）会议上的工作报告",
    "（2015年2月6日，审议稿）",
    "王向群",
    "同志们：",
    "这次会议的主要任务是总结工作。",
]


@pytest.mark.parametrize(
    ("lines", "header", "body"),
    [
        (
            REPORT_OPENING,
            Header(
                ("适应新常态 彰显新作为", "组织动员全市广大职工为建设贡献智慧和力量"),
                "在市总工会十四届四次全委（扩大）会议上的工作报告",
                ("（2015年2月6日，审议稿）",),
                ("王向群",),
            ),
            ["同志们：", "这次会议的主要任务是总结工作。"],
        ),
        (
            [
                "精准服务职工真情温暖人心",
                "本报通讯员 常伟刚",
                "日期:2012-2-14 10:50:53",
                "尊敬的各位领导、各位来宾：",
                "正文。",
            ],
            Header(("精准服务职工真情温暖人心",), "", ("日期:2012-2-14 10:50:53",), ("本报通讯员 常伟刚",)),
            ["尊敬的各位领导、各位来宾：", "正文。"],
        ),
        (
            ["市总工会召开全委会", "一、会议概况", "正文。"],  # a heading starts the body
            Header(("市总工会召开全委会",), "", (), ()),
            ["一、会议概况", "正文。"],
        ),
        (
            ["中华人民共和国工会法", "第一条 为了保障工会的地位，制定本法。"],  # so does a law article
            Header(("中华人民共和国工会法",), "", (), ()),
            ["第一条 为了保障工会的地位，制定本法。"],
        ),
        (
            ["全市各级工会认真贯彻落实上级工会的决策部署，取得明显成效。"],  # a sentence is body
            Header((), "", (), ()),
            ["全市各级工会认真贯彻落实上级工会的决策部署，取得明显成效。"],
        ),
    ],
)
def test_split_header(lines, header, body):
    assert split_header(lines) == (header, body)


@pytest.mark.parametrize("title", ["工会章程", "工会法"])
def test_split_header_short_title_is_not_a_byline(title):
    lines = [title, "第一条 中国工会是职工自愿结合的工人阶级群众组织。"]
    assert split_header(lines) == (Header((title,), "", (), ()), lines[1:])


def test_split_header_looks_at_no_more_than_max_lines():
    lines = [f"标题第{number}行" for number in range(5)]
    assert split_header(lines, max_lines=2) == (Header(("标题第0行", "标题第1行"), "", (), ()), lines[2:])


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("一、2014年的全市工会工作", 1),
        ("十一、其他工作", 1),
        ("■ 各种竞赛活动扎实开展", 1),
        ("第一章 总则", 1),
        ("第一章", 1),
        ("第二部分 主要任务", 1),
        ("（一）加强宣传引导", 2),
        ("(二)强化服务", 2),
        ("第二节 工会组织", 2),
        ("1、创新思路", 3),
        ("12、职工之家建设", 3),
        ("3.深化改革", 3),
        ("第一，加强学习", 3),
        ("一、加强领导。全市各级工会要加强组织领导。", 1),  # heading with body after its first 。
        ("第一条 为了保障工会的地位，制定本法。", 0),  # a law article, not a heading
        ("一是有效组织帮扶活动", 0),
        ("2015年全市工会工作", 0),
        ("2.5万名职工参加", 0),
        ("（1）加强领导", 0),
        ("第一章节的内容", 0),
        ("全市工会工作", 0),
        ("一、" + "全市各级工会认真贯彻落实上级工会的决策部署" * 3, 0),  # first sentence too long
    ],
)
def test_heading_level(line, level):
    assert heading_level(line) == level


@pytest.mark.parametrize(("line", "level"), [("第一章总则", 1), ("第二节工会组织", 2)])
def test_heading_level_of_chapter_without_space(line, level):
    assert heading_level(line) == level


def test_paragraphs_carry_their_heading_path():
    lines = [
        "一、过去一年的工作",
        "（一）加强宣传引导",
        "1、深化主题教育",
        "全市工会开展主题教育活动，覆盖职工十万人。",
        "二、今年的主要任务",
        "全市工会要推进工资集体协商，扩大覆盖面。",
    ]
    assert paragraphs(lines) == [
        Paragraph("一、过去一年的工作", "一、过去一年的工作", is_heading=True),
        Paragraph("（一）加强宣传引导", "一、过去一年的工作 › （一）加强宣传引导", is_heading=True),
        Paragraph("1、深化主题教育", "一、过去一年的工作 › （一）加强宣传引导 › 1、深化主题教育", is_heading=True),
        Paragraph(
            "全市工会开展主题教育活动，覆盖职工十万人。", "一、过去一年的工作 › （一）加强宣传引导 › 1、深化主题教育"
        ),
        Paragraph("二、今年的主要任务", "二、今年的主要任务", is_heading=True),
        Paragraph("全市工会要推进工资集体协商，扩大覆盖面。", "二、今年的主要任务"),
    ]


def test_heading_line_with_body_is_split_into_heading_and_paragraph():
    lines = ["一、加强领导。全市各级工会要加强组织领导，", "确保各项工作落到实处。", "二、强化服务"]
    assert paragraphs(lines) == [
        Paragraph("一、加强领导。", "一、加强领导。", is_heading=True),
        Paragraph("全市各级工会要加强组织领导，确保各项工作落到实处。", "一、加强领导。"),
        Paragraph("二、强化服务", "二、强化服务", is_heading=True),
    ]


def test_wrapped_lines_are_joined_into_one_paragraph():
    lines = [
        "全市各级工会认真贯彻落实中央决策部署，紧紧围绕",
        "全市工作大局，立足本职、积极作为，各项工作实现",
        "了新发展、新突破。",
        "第二段开始了，这是第二段。",
    ]
    assert paragraphs(lines) == [
        Paragraph(
            "全市各级工会认真贯彻落实中央决策部署，紧紧围绕全市工作大局，立足本职、积极作为，各项工作实现了新发展、新突破。",
            "",
        ),
        Paragraph("第二段开始了，这是第二段。", ""),
    ]


def test_short_line_without_punctuation_is_a_heading():
    lines = ["职工之家建设", "全市新建职工之家五十个。", "观摩职工服务中心大厅。"]
    assert paragraphs(lines) == [
        Paragraph("职工之家建设", "", is_heading=True),
        Paragraph("全市新建职工之家五十个。", ""),
        Paragraph("观摩职工服务中心大厅。", ""),
    ]


LAW = [
    "第一章 总则",
    "第一条 为了保障工会在国家政治、经济和社会生活中的地位，确定工会的权利与义务，制定本法。",
    "第二条 工会是职工自愿结合的工人阶级的群众组织。",
    "第三条 工会履行下列职责：",
    "（一）维护职工合法权益；",
    "（二）组织职工参加民主管理。",
    "第二章 工会组织",
    "第四条 工会组织按照民主集中制原则建立。",
]


def test_law_articles_are_kept_whole_with_items_inside():
    assert paragraphs(LAW) == [
        Paragraph("第一章 总则", "第一章 总则", is_heading=True),
        Paragraph(LAW[1], "第一章 总则 › 第一条", law_article="第一条"),
        Paragraph(LAW[2], "第一章 总则 › 第二条", law_article="第二条"),
        Paragraph("\n".join(LAW[3:6]), "第一章 总则 › 第三条", law_article="第三条"),
        Paragraph("第二章 工会组织", "第二章 工会组织", is_heading=True),
        Paragraph(LAW[7], "第二章 工会组织 › 第四条", law_article="第四条"),
    ]


def test_each_law_article_is_one_passage():
    items = paragraphs(LAW)
    assert [(span.section, span.text) for span in passages(items)] == [
        ("第一章 总则 › 第一条", LAW[1]),
        ("第一章 总则 › 第二条", LAW[2]),
        ("第一章 总则 › 第三条", "\n".join(LAW[3:6])),
        ("第二章 工会组织 › 第四条", LAW[7]),
    ]


def test_with_fewer_than_three_law_articles_items_are_headings():
    lines = ["第一条 总则。", "第二条 附则。", "（一）加强领导"]  # two 第X条 lines: not law text
    assert [(item.text, item.is_heading) for item in paragraphs(lines)] == [
        ("第一条 总则。", False),
        ("第二条 附则。", False),
        ("（一）加强领导", True),
    ]


def test_tiny_paragraphs_of_one_section_are_merged():
    lines = [
        "一、工作回顾",
        "签订集体合同三千份。",
        "慰问困难职工一千户。",
        "新建职工之家五十个。",
        "二、主要任务",
        "推进集体协商。",
    ]
    items = paragraphs(lines)
    assert passages(items) == [
        PassageSpan(
            0, "一、工作回顾", "一、工作回顾\n签订集体合同三千份。\n慰问困难职工一千户。\n新建职工之家五十个。", 0
        ),
        PassageSpan(1, "二、主要任务", "二、主要任务\n推进集体协商。", 40),
    ]


def test_merging_stops_once_a_passage_is_long_enough():
    first = (
        "全市各级工会深入推进工资集体协商，签订集体合同三千一百二十份，覆盖职工五十二万人，建会率达到百分之七十。"  # 52
    )
    second = "开展送温暖活动，慰问困难职工一千二百户。"  # 20: together 72 ≥ 60
    third = "新建户外劳动者驿站五十个，方便职工。"
    items = [Paragraph(first, ""), Paragraph(second, ""), Paragraph(third, "")]
    assert passages(items) == [
        PassageSpan(0, "", first + "\n" + second, 0),
        PassageSpan(1, "", third, len(first) + len(second) + 2),
    ]


SENTENCE = "全市各级工会认真贯彻落实上级工会的决策部署，扎实推进各项工作取得新成效。"  # 36 characters


@pytest.mark.parametrize(
    ("text", "lengths"),
    [
        (SENTENCE * 13, [468]),  # 468 ≤ 480: left whole
        (SENTENCE * 40, [288, 288, 288, 288, 288]),  # cut at sentence ends near 320
        ("职工积极参与技能竞赛活动，" * 200, [468, 468, 468, 468, 728]),  # no sentence end: cut after a comma
        ("全" * 2500, [480, 480, 480, 480, 580]),  # no comma either: cut hard
    ],
)
def test_long_paragraph_is_cut_and_nothing_is_lost(text, lengths):
    spans = passages([Paragraph(text, "一、总体要求")])
    assert [len(span.text) for span in spans] == lengths
    assert "".join(span.text for span in spans) == text
    assert all(len(span.text) <= 960 for span in spans)
    assert [span.start for span in spans] == [sum(lengths[:number]) for number in range(len(lengths))]
    assert {span.section for span in spans} == {"一、总体要求"}


def test_headings_open_the_passage_that_follows_them():
    items = paragraphs(["一、工作回顾", "（一）组织建设", "新建职工之家五十个。", "二、主要任务"])
    assert [(span.section, span.text) for span in passages(items)] == [
        ("一、工作回顾 › （一）组织建设", "一、工作回顾\n（一）组织建设\n新建职工之家五十个。"),
        ("二、主要任务", "二、主要任务"),  # trailing headings are text too: nothing is lost
    ]


ARTICLE = [
    "同志们：",
    "一、过去一年的工作。全市工会围绕中心、服务大局，",
    "各项工作取得新进展。",
    "（一）加强宣传引导",
    "签订集体合同三千份。",
    "慰问困难职工一千户。",
    SENTENCE * 30,
    "二、今年的主要任务",
    "1、推进集体协商",
    "全市工会要推进工资集体协商，扩大覆盖面，提高协商质量，推动建立职工工资正常增长机制，切实维护职工合法权益。",
]


@pytest.mark.parametrize("lines", [ARTICLE, LAW, COMPILATION])
def test_passage_offsets_point_into_the_article_text(lines):
    items = paragraphs(lines)
    text = article_text(items)
    spans = passages(items)
    assert spans
    assert [span.ordinal for span in spans] == list(range(len(spans)))
    for span in spans:
        assert text[span.start : span.start + len(span.text)] == span.text
