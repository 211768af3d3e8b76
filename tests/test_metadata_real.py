"""Metadata on files shaped like the real corpus: government work reports, laws, central documents.

Each fixture is composed here, in the layout of one source of ../shared/corpus (YAML front
matter, LawRefBook's ``<!-- INFO END -->`` block, a report's ——在…会议上 occasion line), and
written to tmp_path. The slow test at the end scores the whole corpus with bench/ingest.py.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from indexer.ingest.documents import load_documents
from indexer.ingest.metadata import (
    Place,
    document_year,
    find_cites,
    find_doc_number,
    find_effective_date,
    find_stamp_date,
    issuer_from_enactment,
    issuer_from_head,
    issuer_from_title,
    issuer_from_value,
    issuer_place,
    latest_enactment_date,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"

REVIEW = (
    "2022年是极不平凡的一年。全市经济运行稳中向好，地区生产总值增长4.1%，城镇新增就业5.2万人。"
    "我们深化与九江、赣州、上饶的协作，南昌都市圈建设取得新进展。\n"
)


def _load(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_documents(path, tmp_path)[0]


def _metadata(document) -> tuple:
    return (document.province, document.city, document.date, document.year, document.issuer)


# ---------------------------------------------------------------- government work reports

CITY_REPORT = (
    "---\ntitle: 政府工作报告\n---\n\n"
    "——2022年12月22日在南昌市第十六届人民代表大会第三次会议上\n\n"
    "南昌市人民政府市长 万广明\n\n"
    "各位代表：\n\n"
    "现在，我代表市人民政府，向大会报告工作，请予审议，并请各位政协委员和列席会议的同志提出意见。\n\n"
    "**一、2022年工作回顾**\n\n" + REVIEW * 3
)


def test_city_report_takes_its_place_from_the_opening_lines_and_its_year_from_a_december_delivery(tmp_path):
    document = _load(tmp_path, "report.md", CITY_REPORT)
    assert _metadata(document) == ("江西省", "南昌市", "2022-12-22", 2023, "南昌市人民政府")


def test_city_report_named_in_the_front_matter_title(tmp_path):
    text = (
        "---\ntitle: 2023年南昌市政府工作报告\n---\n\n"
        "市长 万广明\n\n各位代表：\n\n现在，我代表市人民政府向大会报告工作，请予审议。\n\n" + REVIEW * 3
    )
    document = _load(tmp_path, "report.md", text)
    assert _metadata(document) == ("江西省", "南昌市", "", 2023, "南昌市人民政府")


def test_report_title_year_wins_over_a_december_delivery(tmp_path):
    text = (
        "1964年政府工作报告\n"
        "（一九六四年十二月二十一日）\n"
        "各位代表：\n"
        "现在，我代表国务院，向大会作政府工作报告。1964年国民经济全面好转，工业总产值比1963年增长15%。\n"
    )
    document = _load(tmp_path, "national.txt", text)
    assert _metadata(document) == ("", "", "1964-12-21", 1964, "国务院")


STATE_COUNCIL_REPORT = (
    "**政府工作报告**\n"
    "——2023年3月5日在第十四届全国人民代表大会第一次会议上\n\n"
    "国务院总理　李克强\n\n"
    "各位代表：\n\n"
    "现在，我代表国务院，向大会报告工作，请予审议，并请全国政协委员提出意见。\n\n"
    "## 一、过去一年和五年工作回顾\n\n"
    + "支持香港、澳门发展经济、改善民生，保持香港、澳门长期繁荣稳定。西藏、新疆各族群众生活持续改善。"
    "坚持一个中国原则，推动两岸关系和平发展，台湾同胞共享发展机遇。\n\n" * 3
)


def test_state_council_report_is_national(tmp_path):
    document = _load(tmp_path, "national.md", STATE_COUNCIL_REPORT)
    assert _metadata(document) == ("", "", "2023-03-05", 2023, "国务院")


PROVINCIAL_REPORT = (
    "---\ntitle: 福建省人民政府工作报告\n---\n\n"
    "——2024年1月23日在福建省第十四届人民代表大会第二次会议上\n\n"
    "福建省人民政府省长 赵龙\n\n"
    "各位代表：\n\n"
    "现在，我代表省人民政府向大会报告工作，请予审议。\n\n"
    + "全省地区生产总值增长4.5%。福州、厦门、泉州三市经济总量占全省六成，福州都市圈、厦漳泉都市圈建设加快，"
    "福州地铁4号线、厦门翔安机场建设顺利推进。\n\n" * 4
)


def test_provincial_report_keeps_no_city_however_often_its_cities_are_named(tmp_path):
    document = _load(tmp_path, "province.md", PROVINCIAL_REPORT)
    assert _metadata(document) == ("福建省", "", "2024-01-23", 2024, "福建省人民政府")


# ---------------------------------------------------------------- laws and regulations

CITY_REGULATION = (
    "# 宁波市企业工资集体协商条例\n\n"
    "2013年10月29日 宁波市第十四届人民代表大会常务委员会第十二次会议通过\n\n"
    "2014年3月27日 浙江省第十二届人民代表大会常务委员会第九次会议批准\n\n"
    "2014年5月1日 施行\n\n"
    "<!-- INFO END -->\n\n"
    "## 第一章 总则\n\n"
    "第一条 为了规范企业工资集体协商，维护职工和企业的合法权益，根据《中华人民共和国劳动法》"
    "《中华人民共和国工会法》等法律、法规，结合本市实际，制定本条例。\n\n"
    "第二条 本市行政区域内的企业和职工，适用本条例。杭州、温州的经验可供借鉴。\n\n"
    "第三条 市和区县（市）人力资源和社会保障部门负责本条例的实施。\n"
)


def test_city_regulation_has_its_province_and_its_city(tmp_path):
    document = _load(tmp_path, "law.md", CITY_REGULATION)
    assert _metadata(document) == ("浙江省", "宁波市", "2014-03-27", 2014, "宁波市人民代表大会常务委员会")
    assert document.cites == ("中华人民共和国劳动法", "中华人民共和国工会法")


PROVINCIAL_REGULATION = (
    "# 泰山风景名胜区保护管理条例\n\n"
    "2000年10月26日 山东省第九届人民代表大会常务委员会第十七次会议通过\n\n"
    "2020年11月27日 山东省第十三届人民代表大会常务委员会第二十四次会议《关于修改〈山东省清洁生产促进条例〉"
    "等六件地方性法规的决定》第三次修正\n\n"
    "<!-- INFO END -->\n\n"
    "第一条 为加强泰山风景名胜区管理，有效保护和合理开发利用风景名胜资源，制定本条例。\n\n"
    "第二条 泰山风景名胜区的规划、建设、保护和管理，适用本条例。泰安市人民政府负责组织实施。\n\n"
    "第三条 泰安市、济南市有关部门按照各自职责做好保护工作。\n"
)


def test_provincial_regulation_without_a_place_in_its_title_is_placed_by_its_enacting_body(tmp_path):
    document = _load(tmp_path, "law.md", PROVINCIAL_REGULATION)
    assert _metadata(document) == ("山东省", "", "2020-11-27", 2020, "山东省人民代表大会常务委员会")


NATIONAL_LAW = (
    "# 中华人民共和国工会法\n\n"
    "1992年4月3日 第七届全国人民代表大会第五次会议通过\n\n"
    "2021年12月24日 第十三届全国人民代表大会常务委员会第三十二次会议《关于修改〈中华人民共和国工会法〉的决定》"
    "第三次修正\n\n"
    "<!-- INFO END -->\n\n"
    "## 第一章 总则\n\n"
    "第一条 为保障工会在国家政治、经济和社会生活中的地位，确定工会的权利与义务，根据宪法，制定本法。\n\n"
    "第二条 工会是中国共产党领导的职工自愿结合的工人阶级群众组织。\n\n"
    "第三条 在中国境内的企业、事业单位、机关中以工资收入为主要生活来源的劳动者，都有依法参加和组织工会的权利。\n"
)


def test_national_law_is_national_and_dated_by_its_latest_amendment(tmp_path):
    document = _load(tmp_path, "law.md", NATIONAL_LAW)
    assert _metadata(document) == ("", "", "2021-12-24", 2021, "全国人民代表大会")


def test_regulation_with_only_an_effective_date_takes_that_year(tmp_path):
    text = (
        "# 上海市促进就业若干规定\n\n<!-- INFO END -->\n\n"
        "第一条 为了促进劳动者就业，结合本市实际，制定本规定。\n\n"
        "第二条 本市行政区域内促进劳动者就业的活动，适用本规定。\n\n"
        "第三条 本规定自二〇〇六年三月一日起施行。\n"
    )
    document = _load(tmp_path, "law.md", text)
    assert _metadata(document) == ("上海市", "上海市", "", 2006, "")


# ---------------------------------------------------------------- central documents

CENTRAL_DOCUMENT = (
    "---\n"
    "title: 中共中央办公厅　国务院办公厅关于深入推进深圳综合改革试点深化改革创新扩大开放的意见（2024年）\n"
    "authors:\n  - 中共中央办公厅\n  - 国务院办公厅\n"
    "date: '2024-08-30'\n"
    "---\n\n"
    "> （中办发〔2024〕45号 2024年8月30日）\n\n"
    "**中共中央办公厅　国务院办公厅关于深入推进深圳综合改革试点深化改革创新扩大开放的意见**\n\n"
    + "深圳是改革开放后党和人民一手缔造的崭新城市。深圳市要按照《深圳建设中国特色社会主义先行示范区综合改革"
    "试点实施方案（2020－2025年）》的部署，全市上下深化改革，广东省要加强指导。\n\n" * 3
)


def test_central_document_is_national_whatever_places_it_names(tmp_path):
    document = _load(tmp_path, "central.md", CENTRAL_DOCUMENT)
    assert _metadata(document) == ("", "", "2024-08-30", 2024, "中共中央办公厅、国务院办公厅")
    assert document.doc_number == "中办发〔2024〕45号"
    # the display text folds the full-width dash
    assert document.cites == ("深圳建设中国特色社会主义先行示范区综合改革试点实施方案（2020-2025年）",)


def test_central_document_dated_in_december_keeps_its_year(tmp_path):
    text = (
        "---\ntitle: 中共中央办公厅　国务院办公厅关于完善价格治理机制的意见（2024年）\n"
        "authors:\n  - 中共中央办公厅\n  - 国务院办公厅\ndate: '2024-12-05'\n---\n\n"
        "价格机制是市场机制的核心。现就完善价格治理机制提出如下意见。\n"
    )
    assert _metadata(_load(tmp_path, "central.md", text)) == (
        "",
        "",
        "2024-12-05",
        2024,
        "中共中央办公厅、国务院办公厅",
    )


def test_reference_page_with_no_self_reference_has_no_place(tmp_path):
    text = (
        "---\ntitle: 民主党派\nauthors:\n  - 佚名\ndate: '2025-06-30'\n---\n\n"
        "八个民主党派\n\n- 中国民主同盟\n- 九三学社\n- 台湾民主自治同盟\n\n"
        + "台湾民主自治同盟由台湾省籍人士组成，总部设在北京。台湾同胞是我们的骨肉兄弟。\n\n"
        * 3
    )
    assert _metadata(_load(tmp_path, "page.md", text)) == ("", "", "2025-06-30", 2025, "")


# ---------------------------------------------------------------- the parts, one by one


@pytest.mark.parametrize(
    ("lines", "text", "number"),
    [
        (["总工发〔2023〕12号"], "", "总工发〔2023〕12号"),
        (["国发[2015]33号"], "", "国发〔2015〕33号"),
        (["国发［2015］33号"], "", "国发〔2015〕33号"),
        (["鲁政发（2019）5号"], "", "鲁政发〔2019〕5号"),
        (["鲁政发(2019)5号"], "", "鲁政发〔2019〕5号"),
        (["鲁政发【2019】5号"], "", "鲁政发〔2019〕5号"),
        (["（中办发〔2009〕18号 2009年4月14日）"], "", "中办发〔2009〕18号"),
        (["国务院关于印发促进大数据发展行动纲要的通知（国发〔2015〕50号）"], "", "国发〔2015〕50号"),
        ([], "发文字号：\t吉政明电〔2022〕1号\t发布日期：2022-01-27", "吉政明电〔2022〕1号"),
        (["根据《关于加强党建带团建工作的意见》（中办发〔2007〕11号）要求"], "", ""),
        (["《关于加强党建带团建工作的意见》（中办发〔2007〕11号）"], "", ""),
        (["按照国发〔2015〕33号文件精神，结合本省实际"], "", ""),
        ([], "严格执行中办发〔1999〕23号文件的有关规定。", ""),
        (["电话：0539-8888888"], "", ""),
    ],
)
def test_find_doc_number(lines, text, number):
    assert find_doc_number(lines, text=text) == number


def test_find_cites_keeps_order_drops_repeats_and_its_own_title():
    text = "根据《工会法》和《劳动法》，落实《工会法》。本意见即《关于加强工会工作的意见》。《 劳动 合同法 》"
    assert find_cites(text, own_title="关于加强工会工作的意见") == ("工会法", "劳动法", "劳动合同法")


def test_find_cites_knows_its_own_title_without_the_year_in_brackets():
    text = "《关于深入开展“小金库”治理工作的意见》已经中央同意。依照《中华人民共和国政府信息公开条例》公开。"
    assert find_cites(text, own_title="关于深入开展“小金库”治理工作的意见（2009年）") == (
        "中华人民共和国政府信息公开条例",
    )


def test_find_cites_stops_at_the_limit():
    text = "".join(f"《第{number}号文件》" for number in range(80))
    assert find_cites(text) == tuple(f"第{number}号文件" for number in range(50))


@pytest.mark.parametrize(
    ("lines", "occasion", "title", "opening", "issuer"),
    [
        (["南昌市人民政府市长万广明"], "", "", [], "南昌市人民政府"),
        (["济南市市长于海田"], "", "", [], "济南市人民政府"),
        (["代市长侯刚"], "2023年2月13日在南宁市第十五届人民代表大会第四次会议上", "", [], "南宁市人民政府"),
        (["省长陈豪"], "2016年1月24日在云南省第十二届人民代表大会第四次会议上", "", [], "云南省人民政府"),
        (["自治区主席 陈武"], "在广西壮族自治区第十二届人民代表大会第五次会议上", "", [], "广西壮族自治区人民政府"),
        (["国务院总理 李克强"], "", "", [], "国务院"),
        (["临沂市总工会 2015年2月6日"], "", "", [], "临沂市总工会"),
        ([], "", "2013年政府工作报告", ["现在，我代表宁波市人民政府向大会报告工作。"], "宁波市人民政府"),
        ([], "", "2024年湖南省政府工作报告", ["各位代表："], "湖南省人民政府"),
        (["市长 郑建新"], "", "2023年政府工作报告", ["现在，我代表市人民政府向大会报告工作。"], ""),
        (["副市长在全市工会工作会议上的讲话"], "", "", [], ""),
    ],
)
def test_issuer_from_head(lines, occasion, title, opening, issuer):
    assert issuer_from_head(lines, occasion=occasion, title=title, opening=opening) == issuer


@pytest.mark.parametrize(
    ("title", "issuer"),
    [
        ("中共中央办公厅 国务院办公厅关于健全社会信用体系的意见", "中共中央办公厅、国务院办公厅"),
        (
            "中共中央纪委、中共中央宣传部、监察部关于严禁冒充中央国家机关人员骗钱的通知",
            "中共中央纪委、中共中央宣传部、监察部",
        ),
        ("中办印发《关于做好“七一勋章”提名工作的通知》", "中办"),
        ("山东省人民代表大会常务委员会关于加强新时代检察机关法律监督工作的决议", "山东省人民代表大会常务委员会"),
        ("济宁市总工会开展金秋助学活动", "济宁市总工会"),
        ("关于党的基层组织任期的意见", ""),
        ("上海市工会条例", ""),
    ],
)
def test_issuer_from_title(title, issuer):
    assert issuer_from_title(title) == issuer


@pytest.mark.parametrize(
    ("value", "issuer"),
    [
        (["中共中央办公厅", "国务院办公厅"], "中共中央办公厅、国务院办公厅"),
        ("中华全国总工会", "中华全国总工会"),
        (["佚名"], ""),
        ("张三", ""),
        ("王会", ""),
        (None, ""),
    ],
)
def test_issuer_from_value(value, issuer):
    assert issuer_from_value(value) == issuer


@pytest.mark.parametrize(
    ("lines", "title", "issuer"),
    [
        (
            ["2021年6月29日 深圳市第七届人民代表大会常务委员会第二次会议通过"],
            "深圳经济特区数据条例",
            "深圳市人民代表大会常务委员会",
        ),
        (["1992年4月3日 第七届全国人民代表大会第五次会议通过"], "中华人民共和国工会法", "全国人民代表大会"),
        (["2020年12月23日 最高人民法院审判委员会第1823次会议通过"], "", "最高人民法院审判委员会"),
        (
            ["2013年10月29日 市十四届人民代表大会常务委员会第十二次会议通过"],
            "宁波市企业工资集体协商条例",
            "宁波市人民代表大会常务委员会",
        ),
        (["2003年4月27日 中华人民共和国国务院令第375号公布"], "工伤保险条例", "中华人民共和国国务院"),
        (["2014年5月1日 施行"], "宁波市企业工资集体协商条例", ""),
    ],
)
def test_issuer_from_enactment(lines, title, issuer):
    assert issuer_from_enactment(lines, title=title) == issuer


@pytest.mark.parametrize(
    ("issuer", "place"),
    [
        ("中共中央办公厅、国务院办公厅", Place()),
        ("中华人民共和国人事部", Place()),
        ("财政部", Place()),
        ("全国人民代表大会常务委员会", Place()),
        ("深圳市人民代表大会常务委员会", Place("广东省", "深圳市")),
        ("辽宁省直机关工会", Place("辽宁省", "")),
        ("省委组织部", None),
        ("市总工会", None),
        ("", None),
    ],
)
def test_issuer_place(issuer, place):
    assert issuer_place(issuer) == place


@pytest.mark.parametrize(
    ("lines", "date"),
    [
        (
            [
                "1994年9月8日 北京市第十届人民代表大会常务委员会第十二次会议通过",
                "2015年11月27日 北京市第十四届人民代表大会常务委员会修订",
            ],
            "2015-11-27",
        ),
        (["2017年9月30日 浙江省人大常委会通过根据2020年9月24日浙江省人大常委会决定修正"], "2020-09-24"),
        (["2010年11月25日 浙江省人大常委会公告第58号公布", "2011年1月1日 施行"], "2010-11-25"),
        (["劳部发〔1994〕489号", "一九九四年十二月六日"], "1994-12-06"),
        ([], None),
    ],
)
def test_latest_enactment_date(lines, date):
    assert latest_enactment_date(lines) == date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("·2005年12月 (100)\n·2005年11月 (15)\n2005-04-05 06:40更新 来源：转载", "2005-04-05"),
        ("AUTO.SOHU.COM 2005年05月13日14:15", "2005-05-13"),
        ("发表时间：06/02/2022 - 13:48", "2022-02-06"),
        ("12/01/2004 - 01/01/2005", None),
        ("2005年5月13日", None),
    ],
)
def test_find_stamp_date(text, date):
    assert find_stamp_date(text) == date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("第二十五条 本规定自2006年3月1日起施行。", "2006-03-01"),
        ("第四十条 本条例自二〇二〇年五月一日起施行。", "2020-05-01"),
        ("自2006年3月1日起，职工可以申请。", None),
    ],
)
def test_find_effective_date(text, date):
    assert find_effective_date(text) == date


@pytest.mark.parametrize(
    ("date", "title", "head", "doc_number", "text", "year"),
    [
        ("2022-12-22", "政府工作报告", "在南昌市第十六届人民代表大会第三次会议上", "", "", 2023),
        ("2022-11-28", "政府工作报告", "在某市第十届人民代表大会第一次会议上", "", "", 2023),
        ("2022-12-26", "2023年政府工作报告", "", "", "", 2023),
        ("2017-01-16", "2016年四川省人民政府工作报告", "", "", "", 2016),
        ("2016-01-24", "政府工作报告（省十二届人大第五次会议 2016年）", "", "", "", 2016),
        ("", "2 0 1 4 年 政府工作报告", "", "", "", 2014),
        ("2024-12-05", "关于完善价格治理机制的意见（2024年）", "", "", "", 2024),
        ("2015-12-28", "在市总工会全委会上的工作报告", "", "", "", 2015),
        ("", "全国党员教育培训工作规划（2024—2028年）", "", "", "总结2023年的工作。", 2023),
        ("", "关于职工全年月平均工作时间和工资折算问题的通知", "", "劳社部发〔2008〕3号", "2000年以来", 2008),
        ("", "上海市促进就业若干规定", "", "", "本规定自2006年3月1日起施行。", 2006),
        ("", "", "", "", "没有年份。", None),
    ],
)
def test_document_year(date, title, head, doc_number, text, year):
    assert document_year(date=date, title=title, head=head, text=text, doc_number=doc_number) == year


# ---------------------------------------------------------------- the real corpus


def _ingest_bench():
    spec = importlib.util.spec_from_file_location("ingest_bench", ROOT / "bench" / "ingest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.skipif(not (CORPUS / "manifest.csv").exists(), reason=f"real corpus not found at {CORPUS}")
def test_metadata_on_the_real_corpus_meets_the_targets():
    bench = _ingest_bench()
    report = bench.evaluate(CORPUS)
    place, year = report.overall.accuracy("place"), report.overall.accuracy("year")
    misses = [f"{miss.field} {miss.file}: expected {miss.expected}, got {miss.got}" for miss in report.misses]
    assert place >= bench.TARGETS["place"], misses
    assert year >= bench.TARGETS["year"], misses
