"""Document metadata (date, year, place, type) and ``load_documents`` over designed files and the five seeds."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from indexer.ingest.documents import load_documents, make_doc_id
from indexer.ingest.metadata import (
    Place,
    date_from_value,
    find_date,
    find_doc_type,
    find_place,
    guess_year,
    place_mentions,
)
from indexer.text.places import normalise_place

SEEDS = Path(__file__).resolve().parent.parent / "documents"
FILLER = "全市各级工会认真贯彻落实上级工会的决策部署，扎实推进各项工作取得新成效。"


@pytest.mark.parametrize(
    ("lines", "date"),
    [
        (["（2015年2月6日）"], "2015-02-06"),
        (["（2015年2月6日，审议稿）"], "2015-02-06"),
        (["日期:2012-2-14 10:50:53 字体:【小 中 大】"], "2012-02-14"),
        (["2015 年 3 月 1 日"], "2015-03-01"),
        (["2015.3.1"], "2015-03-01"),
        (["2015/03/01"], "2015-03-01"),
        (["2015年2月"], "2015-02"),
        (["王向群", "（2016年3月18日）"], "2016-03-18"),  # first line with a date wins
        (["（2016年3月18日）", "2015年2月6日"], "2016-03-18"),
        (["2015年13月1日"], None),
        (["1899年1月1日"], None),
        (["电话：2015-1234"], None),
        (["电话：3186761"], None),
        ([], None),
    ],
)
def test_find_date(lines, date):
    assert find_date(lines) == date


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("二〇一五年三月一日", "2015-03-01"),
        ("二○一六年十二月二十日", "2016-12-20"),
        ("一九九八年十月二十七日", "1998-10-27"),
        ("二〇一五年三月", "2015-03"),
        ("二〇一五年十月", "2015-10"),
        ("二〇一五年一二月三日", None),  # no month: left as written (it used to raise KeyError)
    ],
)
def test_find_date_in_chinese_numerals(line, date):
    assert find_date([line]) == date


@pytest.mark.parametrize(
    ("value", "date"),
    [
        (datetime.date(2015, 2, 6), "2015-02-06"),
        (datetime.datetime(2015, 2, 6, 10, 50), "2015-02-06"),
        (2015, "2015"),
        ("2015年2月6日", "2015-02-06"),
        ("2015", "2015"),
        ("2015年度", "2015"),
        (1800, None),
        (datetime.date(1900, 1, 1), None),
        ("去年", None),
        (None, None),
    ],
)
def test_date_from_value(value, date):
    assert date_from_value(value) == date


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("总结2014年的工作，部署2015年的任务。", 2015),
        ("总结2014年的工作，到2020年实现全覆盖。", 2014),
        ("总结2014年的工作，力争2025年建成职工之家。", 2014),
        ("2013年工作总结和2014—2018年五年规划。", 2013),
        ("2013年工作总结和2014-2018年规划。", 2013),
        ("2013年工作总结和2014年至2018年规划。", 2014),
        ("二〇一五年工作要点", 2015),
        ("20世纪90年代以来，1990年代的经验。", None),
        ("计划2030年完成。", None),
        ("市总荣获2013市直机关部门最佳满意单位称号。", 2013),  # a year written without 年 before a name
        ("全市2013名职工参加。", None),  # a count, not a year
        ("没有年份。", None),
    ],
)
def test_guess_year(text, year):
    assert guess_year(text) == year


def test_guess_year_reads_as_of_as_past():
    assert guess_year("2014年开展劳动竞赛。截至2015年底，全市建会率达到95%。") == 2015


LONG_BODY = FILLER * 30 + "组织劳模赴大连疗休养。" + FILLER * 30


@pytest.mark.parametrize(
    ("strong", "body", "place"),
    [
        (["临沂市总工会工作报告"], "", Place("山东省", "临沂市")),
        (["延边州总工会召开全委会"], "", Place("吉林省", "延边朝鲜族自治州")),
        (["济宁市总工会开展金秋助学活动"], FILLER, Place("山东省", "济宁市")),
        (
            ["凝心聚力 奋发有为", "在辽宁新一轮振兴发展中建功立业", "在省直机关工会工作会议上的工作报告"],
            FILLER + "组织干部赴大连市总工会学习考察，省直机关各单位积极参与。" * 3,
            Place("辽宁省", ""),
        ),
        (
            ["在辽宁新一轮振兴发展中建功立业", "在省直机关工会工作会议上的工作报告"],
            FILLER * 5 + "组织干部赴大连学习考察。",
            Place("辽宁省", ""),
        ),
        (["全市工会工作报告"], LONG_BODY, Place()),  # one passing mention is not where a document is from
        ([], "临沂市总工会召开全委会。临沂市总工会部署工作。" + FILLER, Place("山东省", "临沂市")),  # issuer ×2
        (["关于开展“安康杯”竞赛活动的通知"], "各级工会深入开展安康杯竞赛。安康杯竞赛成效明显。" * 3, Place()),
        (["安康市总工会开展安康杯竞赛"], "", Place("陕西省", "安康市")),
        (["长治久安的和谐劳动关系"], "", Place()),
        (["山东省总工会工作报告"], FILLER, Place("山东省", "")),
        # a province named up front with no city: the cities its body lists are its parts
        (
            ["2016年1月24日在云南省第十二届人民代表大会第四次会议上", "省长陈豪"],
            "昆明市、曲靖市、玉溪市经济增长较快，昆明市滇中新区建设加快，昆明市地铁开通。" * 3,
            Place("云南省", ""),
        ),
        # body mentions alone, and the text never speaks of itself as local: places it talks about
        ([], "台湾同胞是我们的骨肉兄弟，台湾问题事关大局，台湾省籍人士踊跃参加。" * 3, Place()),
        ([], "全省各级工会深入开展劳动竞赛，山东省总工会部署工作，济南、青岛经验得到推广。" * 2, Place("山东省", "")),
    ],
)
def test_find_place(strong, body, place):
    assert find_place(strong=strong, body=body) == place


def test_find_place_takes_a_hinted_place_as_given():
    hinted = Place("山东省", "济宁市")
    assert find_place(strong=["临沂市总工会工作报告"], body="", hinted=hinted) == hinted


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("安康杯竞赛", []),
        ("长治久安", []),
        ("安康市总工会", [("陕西省", "安康市")]),
        ("吉林市和吉林省", [("吉林省", "吉林市"), ("吉林省", "")]),
        ("延边州与临沂", [("吉林省", "延边朝鲜族自治州"), ("山东省", "临沂市")]),
        # The county-level city that seats a prefecture not named 市 stands for that prefecture.
        ("文山市政府工作报告", [("云南省", "文山壮族苗族自治州")]),
        ("和田市", [("新疆维吾尔自治区", "和田地区")]),
    ],
)
def test_place_mentions(text, places):
    assert [(place.province, place.city) for place in place_mentions(text)] == places


@pytest.mark.parametrize(
    ("value", "place"),
    [
        ("济宁", Place("山东省", "济宁市")),
        ("临沂市", Place("山东省", "临沂市")),
        (" 延边州 ", Place("吉林省", "延边朝鲜族自治州")),
        ("山东", Place("山东省", "")),
        ("辽宁省", Place("辽宁省", "")),
        ("吉林", Place("吉林省", "")),
        ("吉林市", Place("吉林省", "吉林市")),
        ("火星", Place()),
        ("", Place()),
    ],
)
def test_normalise_place(value, place):
    assert normalise_place(value) == place


@pytest.mark.parametrize(("value", "place"), [("安康", Place("陕西省", "安康市")), ("大同", Place("山西省", "大同市"))])
def test_normalise_place_of_an_ambiguous_short_name(value, place):
    assert normalise_place(value) == place


@pytest.mark.parametrize(
    ("title", "head", "body_start", "doc_type"),
    [
        ("适应新常态 彰显新作为", "在市总工会十四届四次全委（扩大）会议上的工作报告", "同志们：", "工作报告"),
        ("在全市工会工作会议上的讲话", "", "同志们：", "讲话"),
        ("在职工运动会开幕式上的致辞", "", "", "讲话"),
        ("市总工会全委会主持词", "", "同志们：", "主持词"),
        ("市总工会打造四季服务工作品牌活动纪实", "", "", "纪实"),
        ("山东省工会劳动法律监督条例", "", "第一条", "条例"),
        ("中华人民共和国工会法", "", "", "法律"),
        ("关于开展2015年金秋助学活动的通知", "", "各县区总工会：", "通知"),
        ("关于召开全委会的通知（第二号）", "", "", "通知"),
        ("全国总工会关于加强劳动保护工作的决定", "", "", "决定"),
        ("全市工会工作会议召开", "本报记者 张三", "", "新闻"),
        ("全市工会工作会议召开", "", "本报讯 日前，全市工会工作会议召开。", "新闻"),
        ("职工之家建设", "", "职工之家是职工的家。", "其他"),
    ],
)
def test_find_doc_type(title, head, body_start, doc_type):
    assert find_doc_type(title=title, head=head, body_start=body_start) == doc_type


def test_find_doc_type_notice_about_a_speech():
    title = "关于认真学习贯彻习近平总书记重要讲话精神的通知"
    assert find_doc_type(title=title, head="", body_start="各县区总工会：") == "通知"


# ---------------------------------------------------------------- load_documents on designed files

MARKDOWN = (
    "---\ntitle: 济宁市总工会金秋助学活动纪实\ndate: 2018-09-01\ncity: 济宁\n---\n"
    "# 一、活动概况\n"
    "2018年9月1日，市总工会举行金秋助学金发放仪式，为326名困难职工子女发放助学金98万元。\n"
    "# 二、下一步打算\n"
    "市总工会负责人表示，将持续做好困难职工帮扶工作，到2020年实现帮扶全覆盖。\n"
)


def test_load_markdown_takes_front_matter_first(tmp_path: Path):
    path = tmp_path / "news" / "jining.md"
    path.parent.mkdir()
    path.write_text(MARKDOWN, encoding="utf-8")
    [document] = load_documents(path, tmp_path)
    assert (document.source, document.article, document.doc_id) == (
        "news/jining.md",
        0,
        make_doc_id("news/jining.md", 0),
    )
    assert (document.title, document.date, document.year) == ("济宁市总工会金秋助学活动纪实", "2018-09-01", 2018)
    assert (document.province, document.city, document.doc_type) == ("山东省", "济宁市", "纪实")
    assert [(passage.section, passage.text) for passage in document.passages] == [
        (
            "一、活动概况",
            "一、活动概况\n2018年9月1日，市总工会举行金秋助学金发放仪式，为326名困难职工子女发放助学金98万元。",
        ),
        ("二、下一步打算", "二、下一步打算\n市总工会负责人表示，将持续做好困难职工帮扶工作，到2020年实现帮扶全覆盖。"),
    ]


GBK_COMPILATION = (
    "第一篇：临沂市总工会召开全委会\n"
    "（2015年2月6日）\n"
    "临沂市总工会召开十四届四次全委会议，总结２０１４年工作，部署2015 年任务，全市职工踊跃参与劳动竞赛。\n"
    "第二篇：临沂市总工会工作报告\n"
    "同志们：\n"
    "一、2014年的全市工会工作\n"
    "全市各级工会认真贯彻中央决策部署，签订集体合同3120份，覆盖职工52.6 万人。\n"
)


def test_load_gbk_compilation_gives_one_document_per_article(tmp_path: Path):
    path = tmp_path / "linyi.txt"
    path.write_bytes(GBK_COMPILATION.encode("gbk"))
    documents = load_documents(path, tmp_path)
    assert [
        (document.article, document.title, document.date, document.year, document.province, document.city)
        for document in documents
    ] == [
        (0, "临沂市总工会召开全委会", "2015-02-06", 2015, "山东省", "临沂市"),
        (1, "临沂市总工会工作报告", "", 2014, "山东省", "临沂市"),
    ]
    assert {document.encoding for document in documents} == {"gb18030"}
    assert (
        documents[0].text
        == "临沂市总工会召开十四届四次全委会议，总结2014年工作，部署2015年任务，全市职工踊跃参与劳动竞赛。"
    )
    assert documents[1].passages[-1].text == (
        "一、2014年的全市工会工作\n全市各级工会认真贯彻中央决策部署，签订集体合同3120份，覆盖职工52.6万人。"
    )
    assert documents[1].passages[-1].section == "一、2014年的全市工会工作"


def test_file_outside_root_is_named_by_its_file_name(tmp_path: Path):
    path = tmp_path / "elsewhere" / "report.txt"
    path.parent.mkdir()
    path.write_text("临沂市总工会工作报告\n全市各级工会认真贯彻中央决策部署，签订集体合同3120份。\n", encoding="utf-8")
    [document] = load_documents(path, tmp_path / "documents")
    assert (document.source, document.title) == ("report.txt", "临沂市总工会工作报告")


def test_a_one_line_file_is_title_and_text(tmp_path: Path):
    path = tmp_path / "title.txt"
    path.write_text("临沂市总工会工作报告\n", encoding="utf-8")
    [document] = load_documents(path, tmp_path)
    assert document.title == "临沂市总工会工作报告"
    assert [passage.text for passage in document.passages] == ["临沂市总工会工作报告"]


LAW_FILE = (
    "中华人民共和国工会法\n"
    "第一章 总则\n"
    "第一条 为了保障工会在国家政治、经济和社会生活中的地位，确定工会的权利与义务，制定本法。\n"
    "第二条 工会是职工自愿结合的工人阶级的群众组织。\n"
    "第三条 工会履行下列职责：\n"
    "（一）维护职工合法权益；\n"
    "（二）组织职工参加民主管理。\n"
    "第二章 工会组织\n"
    "第四条 工会组织按照民主集中制原则建立。\n"
)


def test_load_law_keeps_chapters_as_sections(tmp_path: Path):
    path = tmp_path / "law.txt"
    path.write_text(LAW_FILE, encoding="utf-8")
    [document] = load_documents(path, tmp_path)
    assert (document.title, document.doc_type) == ("中华人民共和国工会法", "法律")
    assert [passage.section for passage in document.passages] == [
        "第一章 总则 › 第一条",
        "第一章 总则 › 第二条",
        "第一章 总则 › 第三条",
        "第二章 工会组织 › 第四条",
    ]
    assert (
        document.passages[2].text == "第三条 工会履行下列职责：\n（一）维护职工合法权益；\n（二）组织职工参加民主管理。"
    )


def test_load_short_title(tmp_path: Path):
    path = tmp_path / "charter.txt"
    path.write_text(
        "工会章程\n"
        "第一条 中国工会是中国共产党领导的职工自愿结合的工人阶级群众组织。\n"
        "第二条 中国工会以宪法为根本活动准则。\n"
        "第三条 凡在中国境内的企业职工，均可加入工会。\n",
        encoding="utf-8",
    )
    [document] = load_documents(path, tmp_path)
    assert (document.title, document.doc_type) == ("工会章程", "章程")


# ---------------------------------------------------------------- load_documents on the five seeds


def _seed(prefix: str) -> Path:
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return path


@pytest.mark.parametrize(
    ("prefix", "article", "expected"),
    [
        (
            "000",
            0,
            (
                "适应新常态 彰显新作为——组织动员全市广大职工为加快推进“大临沂、新临沂”建设贡献智慧和力量",
                "2015-02-06",
                2015,
                "山东省",
                "临沂市",
                "工作报告",
            ),
        ),
        (
            "001",
            0,
            ('精准服务职工真情温暖人心——市总工会打造"四季服务"工作品牌活动纪实', "", 2017, "山东省", "济宁市", "纪实"),
        ),
        ("002", 0, ("张家口市总工会召开二十三届六次全委会专题", "2012-02-14", 2012, "河北省", "张家口市", "新闻")),
        # Reviews 2013 (荣获2013…称号) and plans the next year: a union's work report is for the year it plans.
        ("002", 4, ("市总工会全委会工作报告", "", 2014, "浙江省", "衢州市", "工作报告")),
        ("003", 0, ("凝心聚力 奋发有为——在辽宁新一轮振兴发展中建功立业", "2016-03-18", 2016, "辽宁省", "", "工作报告")),
        ("004", 0, ("挂图作战领导包县——滨州工会强力推进重点工作走在全省前列", "", 2019, "山东省", "滨州市", "新闻")),
    ],
)
def test_seed_metadata(prefix, article, expected):
    document = load_documents(_seed(prefix), SEEDS)[article]
    assert (
        document.title,
        document.date,
        document.year,
        document.province,
        document.city,
        document.doc_type,
    ) == expected


def test_seed_compilation_gives_five_documents():
    documents = load_documents(_seed("002"), SEEDS)
    assert [(document.article, document.title) for document in documents] == [
        (0, "张家口市总工会召开二十三届六次全委会专题"),
        (1, "总工会全委会主持词"),
        (2, "总工会全委会讲话"),
        (3, "区总工会全委会主持词"),
        (4, "市总工会全委会工作报告"),
    ]
    assert len({document.doc_id for document in documents}) == 5


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_passages_point_into_their_document(prefix):
    path = _seed(prefix)
    documents = load_documents(path, SEEDS)
    passage_ids = [passage.id for document in documents for passage in document.passages]
    assert len(passage_ids) == len(set(passage_ids))
    for document in documents:
        assert document.source == path.name
        assert document.passages
        assert [passage.ordinal for passage in document.passages] == list(range(len(document.passages)))
        for passage in document.passages:
            assert passage.doc_id == document.doc_id
            assert passage.id == f"{document.doc_id}-{passage.ordinal}"
            assert document.text[passage.start : passage.start + len(passage.text)] == passage.text
            assert len(passage.text) <= 960


def test_the_topic_trie_finds_what_the_plain_alternation_finds():
    import re

    from indexer.ingest.metadata import classify
    from indexer.text.normalise import search_form

    pattern, topics_by_phrase = classify._topic_pattern()
    plain = re.compile("|".join(re.escape(phrase) for phrase in sorted(topics_by_phrase, key=len, reverse=True)))
    texts = [
        passage.text
        for path in sorted(SEEDS.glob("*.txt"))
        for d in load_documents(path, SEEDS)
        for passage in d.passages
    ]
    phrases = sorted(topics_by_phrase)
    texts.append("".join(phrases))  # phrases back to back, longer ones holding shorter ones
    texts.append("、".join(phrase[:-1] for phrase in phrases))  # cut short: prefixes only
    assert len(texts) > 200
    found = 0
    for text in texts:
        form = search_form(text)
        theirs = [(match.start(), match.group()) for match in plain.finditer(form)]
        assert [(match.start(), match.group()) for match in pattern.finditer(form)] == theirs
        found += len(theirs)
    assert found > 500
    assert classify._trie_pattern(["工会", "工会经费", "工资"]) == "工(?:会(?:经费|)|资)"
