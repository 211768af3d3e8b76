"""Figure extraction: one designed sentence per rule, then the hand-checked seed sample and recall labels."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path

import pytest

from indexer.ingest.figures import ACTUAL, TARGET, Figure, extract_figures, figures_by_passage, section_kind

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
A, T = ACTUAL, TARGET


def rows(text: str, **options) -> list[tuple]:
    """Return (indicator, value, unit, approx, kind) of every figure in text."""
    return [(f.indicator, f.value, f.unit, f.approx, f.kind) for f in extract_figures(text, **options)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全市提供免费就业服务1.1万人次。", [("免费就业服务", 11000, "人次", "", A)]),
        ("为困难职工发放慰问金三千元。", [("慰问金", 3000, "元", "", A)]),
        ("帮扶困难职工两万余人。", [("帮扶困难职工", 20000, "人", "余", A)]),
        ("慰问金总额两万元。", [("慰问金总额", 2, "万元", "", A)]),  # money keeps 万元
        (
            "截至目前，全市共建立工会组织19286个、发展会员150.1万人。",
            [("工会组织", 19286, "个", "", A), ("发展会员", 1501000, "人", "", A)],
        ),
        ("协调各类资金5.051亿元。", [("协调资金", 5.051, "亿元", "", A)]),
        ("建会率为97.01%。", [("建会率", 97.01, "%", "", A)]),
        (
            "实名采集会员数344904，实名会员采集率75.57%。",
            [("实名采集会员数", 344904, "", "", A), ("实名会员采集率", 75.57, "%", "", A)],
        ),
        ("十几万职工受益工资集体协商。", [("职工受益工资集体协商", 100000, "人", "多", A)]),
        ("召开全市职工代表大会，会期2天。", [("会期", 2, "天", "", A)]),
        ("资助困难职工一百零五人。", [("资助困难职工", 105, "人", "", A)]),  # 零 for a skipped place
        ("各项存款余额超过万亿元。", [("存款余额", 10000, "亿元", "超过", A)]),  # 万亿 is 10000 亿, not 10001
    ],
)
def test_numbers_and_units(text, expected):
    assert rows(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "深入学习党的十九大精神。",  # 十九大: a name
        "2015年，全市工会工作取得新进展。",  # a year
        "10月30日，会议在沾化召开。",  # a date
        "市总工会召开第三届职工代表大会。",  # an ordinal
        "认真贯彻落实省总十四届四次全委会精神。",  # session numbers
        "根据鲁工发〔2015〕12号文件要求。",  # a document number
        "咨询电话：0543-3186123。",  # a phone number
        "服务热线13905431234。",
        "庆祝“五一”国际劳动节，表彰全国五一劳动奖章获得者。",  # 五一: a name
        "开通12351职工服务热线。",  # a hotline number
        "开展“1+3”集体合同集中签约，推行1+3模式。",
        "庆祝新中国成立70周年。",  # an anniversary
        "第一书记帮包村工作扎实开展，一是加强学习。",
        "市、县两级工会组织开展“百千万”活动，走访万家企业。",  # 万家: an idiom
        "严格落实中央八项规定。",  # 八项规定: a name
        "学习、贯彻、落实这两个会议精神。",  # a reference back, not a count
        "应当自收到要约书之日起十个工作日内给予答复。",  # a time limit
        "凝聚亿万人民的智慧和力量。",  # 亿万: an idiom, no numeral
        "四万万人团结起来。",  # 万万: not read as a numeral (it was 50000 人)
    ],
)
def test_not_figures(text):
    assert rows(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "为137名同学发放每人3000元到5000元不等的助学金。",
            [
                ("同学", 137, "名", "", A),
                ("每人助学金（下限）", 3000, "元", "", A),
                ("每人助学金（上限）", 5000, "元", "", A),
            ],
        ),
        (
            "对困难职工子女每人资助3000—5000元。",
            [("每人资助（下限）", 3000, "元", "", A), ("每人资助（上限）", 5000, "元", "", A)],
        ),
        (
            "发动工会干部每人联系帮扶2--4户困难农民工家庭。",
            [("帮扶困难农民工家庭（下限）", 2, "户", "", A), ("帮扶困难农民工家庭（上限）", 4, "户", "", A)],
        ),
    ],
)
def test_ranges_are_two_figures(text, expected):
    assert rows(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("签订率和覆盖率分别为85%和92%。", [("签订率", 85, "%", "", A), ("覆盖率", 92, "%", "", A)]),
        (
            "全市建会率和入会率分别为70.13%和74.87%。",
            [("建会率", 70.13, "%", "", A), ("入会率", 74.87, "%", "", A)],
        ),
        (
            "工会组建率和职工入会率均达到98%以上。",
            [("工会组建率", 98, "%", "以上", A), ("职工入会率", 98, "%", "以上", A)],
        ),
        (
            "分别给予1.5万元、1万元、0.6万元的资金补助。",
            [("资金补助", 1.5, "万元", "", A), ("资金补助", 1, "万元", "", A), ("资金补助", 0.6, "万元", "", A)],
        ),
    ],
)
def test_lists(text, expected):
    assert rows(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "建会率和入会率分别为70.13%和74.87%，超过了省总提出的65%的要求。",
            [("建会率", 70.13, "%", "", A), ("入会率", 74.87, "%", "", A), ("建会率和入会率", 65, "%", "", T)],
        ),
        (
            "全市职工入会率达到72%，高于上级要求的60%。",
            [("职工入会率", 72, "%", "", A), ("职工入会率", 60, "%", "", T)],
        ),
    ],
)
def test_requirements_quoted_as_benchmarks_are_targets(text, expected):
    assert rows(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全市集中签约企业650余家。", [("集中签约企业", 650, "家", "余", A)]),
        ("共4个项目近200人参赛。", [("项目", 4, "个", "", A), ("参赛", 200, "人", "近", A)]),
        ("提出合理化建议2万多条。", [("合理化建议", 20000, "条", "多", A)]),
        ("约3000名职工受益。", [("职工受益", 3000, "名", "约", A)]),
        ("厂务公开、职代会建制率均超过85%。", [("厂务公开、职代会建制率", 85, "%", "超过", A)]),
        ("工会组建率达到98%以上。", [("工会组建率", 98, "%", "以上", A)]),
        ("全年拟宣传40人左右。", [("宣传", 40, "人", "约", T)]),
    ],
)
def test_approximations(text, expected):
    assert rows(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("职工入会率比上年提高2.3个百分点。", [("职工入会率比上年提高", 2.3, "个百分点", "", A)]),
        (
            "投入资金54万元，同比增长31%。",
            [("投入资金", 54, "万元", "", A), ("投入资金同比增长", 31, "%", "", A)],
        ),
    ],
)
def test_changes(text, expected):
    assert rows(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "全市703家百人以上企业中已建立工会组织的682家，建会率为97.01%。",
            [
                ("百人以上企业", 703, "家", "", A),
                ("建立工会组织的企业", 682, "家", "", A),
                ("建会率", 97.01, "%", "", A),
            ],
        ),
        (
            "签订工资集体协议9529份，覆盖企业13687家、职工116万人。",
            [("工资集体协议", 9529, "份", "", A), ("覆盖企业", 13687, "家", "", A), ("覆盖职工", 1160000, "人", "", A)],
        ),
        ("组建20支职工技术服务队。", [("职工技术服务队", 20, "支", "", A)]),
        (
            "慰问困难企业321家，覆盖职工135470人。",
            [("慰问困难企业", 321, "家", "", A), ("覆盖职工", 135470, "人", "", A)],
        ),
        (
            "发放慰问金180万元，筹集慰问款物总额1078.46万元。",
            [("慰问金", 180, "万元", "", A), ("慰问款物总额", 1078.46, "万元", "", A)],
        ),
        (
            "命名44家“工友创业园”，命名41名“农民工之星”。",
            [("工友创业园", 44, "家", "", A), ("农民工之星", 41, "名", "", A)],
        ),
        (
            "新建工会361家，涵盖653家，新发展会员2.6万名。",
            [("新建工会", 361, "家", "", A), ("新建工会涵盖", 653, "家", "", A), ("发展会员", 26000, "名", "", A)],
        ),
        (
            "举办各类活动88场次5.35万人次。",
            [("举办活动", 88, "场次", "", A), ("举办活动", 53500, "人次", "", A)],
        ),
        (
            "全市1个市级、7个县级职工服务中心按照标准年内完成省级达标工作。",
            [("市级职工服务中心", 1, "个", "", T), ("县级职工服务中心", 7, "个", "", T)],
        ),
    ],
)
def test_each_figure_gets_its_own_indicator(text, expected):
    assert rows(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("力争全年新建工会50家。", [("新建工会", 50, "家", "", T)]),
        ("确保年底前建会率达到95%。", [("建会率", 95, "%", "", T)]),
        ("拟评选表彰先进集体20个。", [("先进集体", 20, "个", "", T)]),
        ("全年完成建设30家服务站的目标任务。", [("服务站", 30, "家", "", T)]),
        ("确保21家尚未建会的完成建会任务。", [("尚未建会", 21, "家", "", T)]),
        ("加大劳模创新工作室创建力度，评选挂牌市级创新工作室10个。", [("市级创新工作室", 10, "个", "", T)]),
        ("每方协商代表人数不得少于三人。", [("每方协商代表人数", 3, "人", "", T)]),  # a rule is a requirement
        (  # 确保 in a later clause of a sentence told in the past does not make a plan
            "2017年7月，市总工会组成5个“送清凉”小组，看望慰问了一线职工，并叮嘱大家确保生产安全。",
            [("送清凉小组", 5, "个", "", A)],
        ),
    ],
)
def test_kind(text, expected):
    assert rows(text) == expected


def test_a_baseline_in_a_plan_is_actual():
    text = "在省直机关工会工委授予的10个劳模创新工作室基础上，再授予5个劳模创新工作室。"
    assert rows(text, default_kind=TARGET) == [("劳模创新工作室", 10, "个", "", A), ("劳模创新工作室", 5, "个", "", T)]


def test_default_kind_comes_from_the_section():
    text = "联合市委组织部等举办2-3期工会骨干能力提升培训班。"
    assert rows(text, default_kind=TARGET) == [
        ("工会骨干能力提升培训班（下限）", 2, "期", "", T),
        ("工会骨干能力提升培训班（上限）", 3, "期", "", T),
    ]
    assert [kind for *_, kind in rows(text)] == [A, A]


@pytest.mark.parametrize(
    ("section", "kind"),
    [
        ("二、2015年的主要工作安排", TARGET),
        ("二、2015年的主要工作安排 › （二）积极服务发展大局", TARGET),
        ("二、**年主要工作任务", TARGET),
        ("一、2015年主要工作回顾 › 1、创新思路，自觉在服务中心工作中定向定位", ACTUAL),
        ("一、2014年的全市工会工作", ACTUAL),
        ("■ 阵地建设全面提档升级", None),
        ("", None),
    ],
)
def test_section_kind(section, kind):
    assert section_kind(section) == kind


@dataclasses.dataclass(frozen=True)
class FakePassage:
    section: str
    text: str


def test_figures_by_passage_carries_a_plan_heading_to_the_sections_under_it():
    passages = [
        FakePassage("一、2015年主要工作回顾", "全年投入资金54万元。"),
        FakePassage("二、2016年主要工作安排", "要抓好以下工作。"),
        FakePassage("三、固本强基，切实加强基层工会组织建设", "组织30个单位开展交流。"),
    ]
    found = figures_by_passage(passages)
    assert [[(f.indicator, f.kind) for f in figures] for figures in found] == [
        [("投入资金", A)],
        [],
        [("单位开展交流", T)],
    ]


def test_offsets_point_at_the_quantity_in_the_text():
    text = "同志们：\n全市提供免费就业服务1.1万人次，慰问困难企业650余家。建会率为70.13%；近200人参赛。"
    found = extract_figures(text)
    assert [text[f.start : f.end] for f in found] == ["1.1万人次", "650余家", "70.13%", "200人"]
    assert found[0].sentence == "全市提供免费就业服务1.1万人次，慰问困难企业650余家。"
    assert found[2].sentence == "建会率为70.13%；"


def test_figure_is_frozen():
    figure = extract_figures("发放慰问金180万元。")[0]
    assert isinstance(figure, Figure)
    with pytest.raises(dataclasses.FrozenInstanceError):
        figure.value = 1  # type: ignore[misc]


# ------------------------------------------------------------------ measured on the seed reports


def _bench():
    spec = importlib.util.spec_from_file_location("figures_bench", ROOT / "bench" / "figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _bench()


@pytest.fixture(scope="module")
def seed_figures(bench):
    return bench.folder_figures(ROOT / "documents")


def _records(name: str) -> list[dict]:
    path = DATA / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_sample_covers_all_five_seed_reports():
    sample = _records("figures_sample.jsonl")
    assert len(sample) >= 60
    assert len({row["source"] for row in sample}) == 5
    for row in sample:
        assert set(row) >= {"source", "sentence", "indicator", "value", "unit", "approx", "kind", "correct"}
        assert row["correct"] or row.get("note"), row


def test_precision_on_the_hand_checked_sample(bench, seed_figures):
    report = bench.check_sample(_records("figures_sample.jsonl"), seed_figures)
    # a verdict counts only while the extractor still gives that figure; a changed one needs a new look
    assert report["checked"] >= 60, (report["changed"], report["gone"])
    assert report["precision"] >= bench.TARGETS["precision"], report["wrong"]


def test_recall_on_the_labelled_reports(bench, seed_figures):
    labels = _records("figures_recall.jsonl")
    assert {label["source"][:3] for label in labels} == {"000", "004"}
    report = bench.check_recall(labels, seed_figures)
    assert report["recall"] >= bench.TARGETS["recall"], report["misses"]
