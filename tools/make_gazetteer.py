#!/usr/bin/env python3
"""Generate indexer/data/gazetteer.csv, the province / prefecture gazetteer.

Source data: ``adcodes.csv`` from the MIT-licensed PyPI package ``cpca``
(Copyright (c) 2018 QinYuan Du), fetched with

    pip download --no-deps -d /tmp/cpca cpca==0.5.5

Usage:

    python tools/make_gazetteer.py /tmp/cpca/cpca-0.5.5-py3-none-any.whl
    python tools/make_gazetteer.py path/to/cpca-0.5.5.tar.gz
    python tools/make_gazetteer.py path/to/adcodes.csv [-o OUTPUT]

The output (UTF-8, ``\\n`` line endings) has the columns

    adcode,province,province_short,city,city_short,status

* ``adcode``   six-digit GB/T 2260 code; empty for most former units.
* ``province`` full name of the province-level unit.
* ``city``     full name of the prefecture-level (or directly administered
               county-level) unit; empty on the 34 province rows.
* ``*_short``  everyday short forms, ``|``-separated, most common first.
               No one-character forms; no form equal to a division's full
               name (see ``_clean_shorts``).
* ``status``   ``current``      province rows, current prefecture-level units,
                                and the municipality-as-city rows;
               ``county-level`` county-level units directly under a province
                                (省直辖县级行政单位);
               ``former``       prefecture-level units abolished or renamed
                                between 1990 and 2023.

Row order is deterministic: rows with an adcode in ascending adcode order,
then former units without an adcode ordered by (province adcode, name).

cpca 0.5.5's table is a snapshot of roughly 2017; ``ABOLISHED_SINCE_SOURCE``
and ``ADDED_SINCE_SOURCE`` bring it up to the 2023 division list (333
prefecture-level units).  The former-unit list (``FORMER``) is hand-curated.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tarfile
import zipfile
from pathlib import Path

HEADER = ["adcode", "province", "province_short", "city", "city_short", "status"]

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "indexer" / "data" / "gazetteer.csv"

# cpca placeholder rows at the prefecture level (not real divisions).
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

MUNICIPALITIES = {"11": "北京市", "12": "天津市", "31": "上海市", "50": "重庆市"}

# 定州市 / 辛集市 appear in cpca under a 河北 "139000 省直辖县级行政区划"
# placeholder (a statistical code).  Officially they are county-level cities
# of 保定市 (130682) and 石家庄市 (130181), so they are not listed here.
SKIP_DIRECT_COUNTY_PROVINCES = {"13"}

# Units in cpca 0.5.5 that no longer exist (2023): code -> name (checked).
ABOLISHED_SINCE_SOURCE = {
    "371200": "莱芜市",  # 2019: merged into 济南市 (莱城区 / 钢城区)
    "542400": "那曲地区",  # 2017/18: became 那曲市 (540600)
}

# Units missing from cpca 0.5.5: (adcode, name, status).
ADDED_SINCE_SOURCE = [
    ("540600", "那曲市", "current"),
    ("659005", "北屯市", "county-level"),  # 2011
    ("659007", "双河市", "county-level"),  # 2014
    ("659008", "可克达拉市", "county-level"),  # 2015
    ("659009", "昆玉市", "county-level"),  # 2016
    ("659010", "胡杨河市", "county-level"),  # 2019
    ("659011", "新星市", "county-level"),  # 2021
    ("659012", "白杨市", "county-level"),  # 2023
]

# Prefecture-level units that existed at some point between 1990 and 2020
# and have since been abolished or renamed.  (province, name, successor);
# the successor is documentation only.  Province = the province the unit
# belonged to while it existed (万县/涪陵/黔江 were in 四川 until 1997).
FORMER = [
    # 河北
    ("河北省", "石家庄地区", "石家庄市 1993"),
    ("河北省", "邯郸地区", "邯郸市 1993"),
    ("河北省", "邢台地区", "邢台市 1993"),
    ("河北省", "张家口地区", "张家口市 1993"),
    ("河北省", "承德地区", "承德市 1993"),
    ("河北省", "沧州地区", "沧州市 1993"),
    ("河北省", "保定地区", "保定市 1994"),
    ("河北省", "衡水地区", "衡水市 1996"),
    # 山西
    ("山西省", "雁北地区", "大同市 / 朔州市 1993"),
    ("山西省", "晋中地区", "晋中市 1999"),
    ("山西省", "忻州地区", "忻州市 2000"),
    ("山西省", "临汾地区", "临汾市 2000"),
    ("山西省", "运城地区", "运城市 2000"),
    ("山西省", "吕梁地区", "吕梁市 2003"),
    # 内蒙古
    ("内蒙古自治区", "哲里木盟", "通辽市 1999"),
    ("内蒙古自治区", "呼伦贝尔盟", "呼伦贝尔市 2001"),
    ("内蒙古自治区", "伊克昭盟", "鄂尔多斯市 2001"),
    ("内蒙古自治区", "巴彦淖尔盟", "巴彦淖尔市 2003"),
    ("内蒙古自治区", "乌兰察布盟", "乌兰察布市 2003"),
    # 辽宁
    ("辽宁省", "锦西市", "葫芦岛市 1994"),
    # 吉林
    ("吉林省", "白城地区", "白城市 1993"),
    ("吉林省", "浑江市", "白山市 1994"),
    # 黑龙江
    ("黑龙江省", "黑河地区", "黑河市 1993"),
    ("黑龙江省", "松花江地区", "哈尔滨市 1996"),
    ("黑龙江省", "绥化地区", "绥化市 1999"),
    # 江苏
    ("江苏省", "淮阴市", "淮安市 2001"),
    # 浙江
    ("浙江省", "台州地区", "台州市 1994"),
    ("浙江省", "丽水地区", "丽水市 2000"),
    # 安徽
    ("安徽省", "滁县地区", "滁州市 1992"),
    ("安徽省", "阜阳地区", "阜阳市 1996"),
    ("安徽省", "宿县地区", "宿州市 1998"),
    ("安徽省", "巢湖地区", "巢湖市 1999"),
    ("安徽省", "六安地区", "六安市 1999"),
    ("安徽省", "宣城地区", "宣城市 2000"),
    ("安徽省", "池州地区", "池州市 2000"),
    ("安徽省", "巢湖市", "合肥市 / 芜湖市 / 马鞍山市 2011"),
    # 福建
    ("福建省", "南平地区", "南平市 1994"),
    ("福建省", "龙岩地区", "龙岩市 1996"),
    ("福建省", "宁德地区", "宁德市 1999"),
    # 江西
    ("江西省", "赣州地区", "赣州市 1998"),
    ("江西省", "宜春地区", "宜春市 2000"),
    ("江西省", "上饶地区", "上饶市 2000"),
    ("江西省", "吉安地区", "吉安市 2000"),
    ("江西省", "抚州地区", "抚州市 2000"),
    # 山东 (莱芜市 comes from the source table, see ABOLISHED_SINCE_SOURCE)
    ("山东省", "惠民地区", "滨州地区 1992"),
    ("山东省", "滨州地区", "滨州市 2000"),
    ("山东省", "临沂地区", "临沂市 1994"),
    ("山东省", "德州地区", "德州市 1994"),
    ("山东省", "聊城地区", "聊城市 1997"),
    ("山东省", "菏泽地区", "菏泽市 2000"),
    # 河南
    ("河南省", "南阳地区", "南阳市 1994"),
    ("河南省", "商丘地区", "商丘市 1997"),
    ("河南省", "信阳地区", "信阳市 1998"),
    ("河南省", "周口地区", "周口市 2000"),
    ("河南省", "驻马店地区", "驻马店市 2000"),
    # 湖北
    ("湖北省", "宜昌地区", "宜昌市 1992"),
    ("湖北省", "孝感地区", "孝感市 1993"),
    ("湖北省", "鄂西土家族苗族自治州", "恩施土家族苗族自治州 1993"),
    ("湖北省", "郧阳地区", "十堰市 1994"),
    ("湖北省", "荆州地区", "荆沙市 1994"),
    ("湖北省", "沙市市", "荆沙市 1994"),
    ("湖北省", "荆沙市", "荆州市 1996"),
    ("湖北省", "黄冈地区", "黄冈市 1995"),
    ("湖北省", "咸宁地区", "咸宁市 1998"),
    ("湖北省", "襄樊市", "襄阳市 2010"),
    # 湖南
    ("湖南省", "大庸市", "张家界市 1994"),
    ("湖南省", "益阳地区", "益阳市 1994"),
    ("湖南省", "郴州地区", "郴州市 1994"),
    ("湖南省", "零陵地区", "永州市 1995"),
    ("湖南省", "怀化地区", "怀化市 1997"),
    ("湖南省", "娄底地区", "娄底市 1999"),
    # 广西
    ("广西壮族自治区", "钦州地区", "钦州市 1994"),
    ("广西壮族自治区", "玉林地区", "玉林市 1997"),
    ("广西壮族自治区", "梧州地区", "贺州地区 1997"),
    ("广西壮族自治区", "桂林地区", "桂林市 1998"),
    ("广西壮族自治区", "贺州地区", "贺州市 2002"),
    ("广西壮族自治区", "南宁地区", "崇左市 等 2002"),
    ("广西壮族自治区", "柳州地区", "来宾市 等 2002"),
    ("广西壮族自治区", "河池地区", "河池市 2002"),
    ("广西壮族自治区", "百色地区", "百色市 2002"),
    # 四川 (incl. the parts that became 重庆市 in 1997)
    ("四川省", "万县地区", "万县市 1992"),
    ("四川省", "万县市", "重庆市 1997"),
    ("四川省", "涪陵地区", "涪陵市 1995"),
    ("四川省", "涪陵市", "重庆市 1997"),
    ("四川省", "黔江地区", "重庆市 1997"),
    ("四川省", "达县地区", "达川地区 1993"),
    ("四川省", "达川地区", "达州市 1999"),
    ("四川省", "南充地区", "南充市 / 广安地区 1993"),
    ("四川省", "广安地区", "广安市 1998"),
    ("四川省", "巴中地区", "巴中市 2000"),
    ("四川省", "宜宾地区", "宜宾市 1996"),
    ("四川省", "眉山地区", "眉山市 2000"),
    ("四川省", "资阳地区", "资阳市 2000"),
    ("四川省", "雅安地区", "雅安市 2000"),
    # 贵州
    ("贵州省", "遵义地区", "遵义市 1997"),
    ("贵州省", "安顺地区", "安顺市 2000"),
    ("贵州省", "铜仁地区", "铜仁市 2011"),
    ("贵州省", "毕节地区", "毕节市 2011"),
    # 云南
    ("云南省", "曲靖地区", "曲靖市 1997"),
    ("云南省", "玉溪地区", "玉溪市 1997"),
    ("云南省", "东川市", "昆明市 1998"),
    ("云南省", "保山地区", "保山市 2000"),
    ("云南省", "昭通地区", "昭通市 2001"),
    ("云南省", "丽江地区", "丽江市 2002"),
    ("云南省", "思茅地区", "思茅市 2003"),
    ("云南省", "临沧地区", "临沧市 2003"),
    ("云南省", "思茅市", "普洱市 2007"),
    # 西藏 (那曲地区 comes from the source table)
    ("西藏自治区", "日喀则地区", "日喀则市 2014"),
    ("西藏自治区", "昌都地区", "昌都市 2014"),
    ("西藏自治区", "林芝地区", "林芝市 2015"),
    ("西藏自治区", "山南地区", "山南市 2016"),
    # 陕西
    ("陕西省", "渭南地区", "渭南市 1994"),
    ("陕西省", "汉中地区", "汉中市 1996"),
    ("陕西省", "延安地区", "延安市 1996"),
    ("陕西省", "榆林地区", "榆林市 1999"),
    ("陕西省", "安康地区", "安康市 2000"),
    ("陕西省", "商洛地区", "商洛市 2001"),
    # 甘肃
    ("甘肃省", "武威地区", "武威市 2001"),
    ("甘肃省", "张掖地区", "张掖市 2002"),
    ("甘肃省", "酒泉地区", "酒泉市 2002"),
    ("甘肃省", "平凉地区", "平凉市 2002"),
    ("甘肃省", "庆阳地区", "庆阳市 2002"),
    ("甘肃省", "定西地区", "定西市 2003"),
    ("甘肃省", "陇南地区", "陇南市 2004"),
    # 青海
    ("青海省", "海东地区", "海东市 2013"),
    # 宁夏
    ("宁夏回族自治区", "银南地区", "吴忠市 1998"),
    ("宁夏回族自治区", "固原地区", "固原市 2001"),
    # 新疆
    ("新疆维吾尔自治区", "吐鲁番地区", "吐鲁番市 2015"),
    ("新疆维吾尔自治区", "哈密地区", "哈密市 2016"),
]

# Full names of historical divisions not present in the source table.  They
# only serve the "no short form equals a division's full name" rule: e.g. the
# county 达县 (until 2013) blocks "达县" as a short form of 达县地区.
HISTORICAL_FULL_NAMES = {"万县", "达县", "宿县", "滁县"}

PROVINCE_SHORT = {
    "内蒙古自治区": ["内蒙古", "内蒙"],
    "广西壮族自治区": ["广西"],
    "西藏自治区": ["西藏"],
    "宁夏回族自治区": ["宁夏"],
    "新疆维吾尔自治区": ["新疆"],
}

# Extra colloquial forms appended after the regular ones (or put first when
# listed in LEADING_SHORT).
EXTRA_SHORT = {
    "呼和浩特市": ["呼市"],
    "乌鲁木齐市": ["乌市"],
    "哈尔滨市": ["哈市"],
    "锡林郭勒盟": ["锡盟"],
    "阿拉善盟": ["阿盟"],
    "西双版纳傣族自治州": ["版纳"],
    "哲里木盟": ["哲盟"],
    "伊克昭盟": ["伊盟"],
    "呼伦贝尔盟": ["呼盟"],
    "巴彦淖尔盟": ["巴盟"],
    "乌兰察布盟": ["乌盟"],
}

# Autonomous prefectures whose usual short form is not "<stem>州".
REPLACE_SHORT = {
    "博尔塔拉蒙古自治州": ["博州", "博尔塔拉"],
    "巴音郭楞蒙古自治州": ["巴州", "巴音郭楞"],
    "克孜勒苏柯尔克孜自治州": ["克州", "克孜勒苏"],
}

# The 55 minority nationalities, for stripping from autonomous-unit names.
ETHNIC = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
]


# --------------------------------------------------------------------------
# reading the source


def read_adcodes_text(source: Path) -> str:
    """Return the text of cpca's adcodes.csv from a wheel, sdist or the csv."""
    name = source.name
    if name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(source) as zf:
            members = [m for m in zf.namelist() if m.endswith("/adcodes.csv")]
            if len(members) != 1:
                raise SystemExit(f"{source}: expected one adcodes.csv, found {members}")
            return zf.read(members[0]).decode("utf-8-sig")
    if name.endswith((".tar.gz", ".tgz", ".tar")):
        with tarfile.open(source) as tf:
            members = [m for m in tf.getmembers() if m.isfile() and m.name.endswith("/adcodes.csv")]
            if len(members) != 1:
                raise SystemExit(f"{source}: expected one adcodes.csv, found {[m.name for m in members]}")
            fh = tf.extractfile(members[0])
            assert fh is not None
            return fh.read().decode("utf-8-sig")
    return source.read_text(encoding="utf-8-sig")


def load_divisions(text: str) -> dict[str, str]:
    """Map six-digit adcode -> name."""
    out: dict[str, str] = {}
    for rec in csv.DictReader(io.StringIO(text)):
        code = rec["adcode"].strip()
        if len(code) == 12:
            if code[6:] != "000000":
                continue  # township level; not expected in cpca but harmless
            code = code[:6]
        if len(code) != 6 or not code.isdigit():
            raise SystemExit(f"unexpected adcode {rec['adcode']!r}")
        name = rec["name"].strip()
        if code in out and out[code] != name:
            raise SystemExit(f"adcode {code} has two names: {out[code]} / {name}")
        out[code] = name
    return out


# --------------------------------------------------------------------------
# short forms


def _strip_ethnic(stem: str) -> str:
    """'红河哈尼族彝族' -> '红河'; '伊犁哈萨克' -> '伊犁'."""
    names = sorted(ETHNIC, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for eth in names:
            for suffix in (eth + "族", eth if len(eth) >= 2 else None):
                if suffix and stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
                    stem = stem[: -len(suffix)]
                    changed = True
                    break
            if changed:
                break
    return stem


def province_shorts(name: str) -> list[str]:
    if name in PROVINCE_SHORT:
        return list(PROVINCE_SHORT[name])
    for suffix in ("特别行政区", "省", "市"):
        if name.endswith(suffix):
            return [name[: -len(suffix)]]
    raise SystemExit(f"unknown province-level name {name}")


def city_shorts(name: str, province_short_forms: set[str]) -> list[str]:
    if name in REPLACE_SHORT:
        forms = list(REPLACE_SHORT[name])
    elif name.endswith("自治州"):
        stem = _strip_ethnic(name[: -len("自治州")])
        forms = [stem + "州"]
        # "海南藏族自治州" is 海南州, never plain 海南 (= 海南省).
        if stem not in province_short_forms:
            forms.append(stem)
    elif name.endswith("自治县"):
        forms = [_strip_ethnic(name[: -len("自治县")])]
    else:
        for suffix in ("地区", "林区", "盟", "市", "县"):
            if name.endswith(suffix):
                forms = [name[: -len(suffix)]]
                break
        else:
            raise SystemExit(f"no short-form rule for {name}")
    return forms + EXTRA_SHORT.get(name, [])


def _clean_shorts(forms: list[str], own_name: str, full_names: set[str]) -> str:
    seen: list[str] = []
    for f in forms:
        if len(f) < 2 or f == own_name or f in full_names or f in seen:
            continue
        seen.append(f)
    return "|".join(seen)


# --------------------------------------------------------------------------
# building the table


def build_rows(divs: dict[str, str]) -> list[dict[str, str]]:
    for code, name in ABOLISHED_SINCE_SOURCE.items():
        if code in divs and divs[code] != name:
            raise SystemExit(f"source has {code}={divs[code]}, expected {name}")

    provinces = {c[:2]: n for c, n in divs.items() if c[2:] == "0000"}
    if len(provinces) != 34:
        raise SystemExit(f"expected 34 province-level units, got {len(provinces)}")
    prov_code_by_name = {n: c for c, n in provinces.items()}

    entries: list[tuple[str, str, str, str]] = []  # (adcode, province, city, status)
    for pc, pname in provinces.items():
        entries.append((pc + "0000", pname, "", "current"))
    for pc, pname in MUNICIPALITIES.items():
        if provinces.get(pc) != pname:
            raise SystemExit(f"municipality {pname} missing from source")
        entries.append((pc + "0100", pname, pname, "current"))

    for code, name in divs.items():
        pc, mid, low = code[:2], code[2:4], code[4:]
        if mid == "00" or pc in MUNICIPALITIES or name in PLACEHOLDERS:
            continue
        if mid == "90":  # 省直辖县级行政单位
            if low == "00" or pc in SKIP_DIRECT_COUNTY_PROVINCES:
                continue
            entries.append((code, provinces[pc], name, "county-level"))
        elif low == "00":
            status = "former" if ABOLISHED_SINCE_SOURCE.get(code) == name else "current"
            entries.append((code, provinces[pc], name, status))

    have = {e[0] for e in entries}
    for code, name, status in ADDED_SINCE_SOURCE:
        if code in have:
            continue
        entries.append((code, provinces[code[:2]], name, status))

    known = {(e[1], e[2]) for e in entries}
    for pname, name, _successor in FORMER:
        if pname not in prov_code_by_name:
            raise SystemExit(f"unknown province {pname} for {name}")
        if (pname, name) in known:
            raise SystemExit(f"former unit {name} duplicates an existing row")
        entries.append(("", pname, name, "former"))

    full_names = set(divs.values()) | {e[2] for e in entries} | set(provinces.values())
    full_names |= HISTORICAL_FULL_NAMES

    pshort = {n: province_shorts(n) for n in provinces.values()}
    all_province_shorts = {f for forms in pshort.values() for f in forms}

    rows = []
    for code, pname, cname, status in entries:
        row = {
            "adcode": code,
            "province": pname,
            "province_short": _clean_shorts(pshort[pname], pname, full_names),
            "city": cname,
            "city_short": (_clean_shorts(city_shorts(cname, all_province_shorts), cname, full_names) if cname else ""),
            "status": status,
        }
        rows.append(row)

    rows.sort(
        key=lambda r: (
            r["adcode"] == "",
            r["adcode"],
            prov_code_by_name[r["province"]],
            r["city"],
        )
    )
    return rows


def write_rows(rows: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="cpca wheel / sdist, or its adcodes.csv")
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = ap.parse_args(argv)

    rows = build_rows(load_divisions(read_adcodes_text(args.source)))
    write_rows(rows, args.output)

    counts: dict[str, int] = {}
    for r in rows:
        kind = "province" if not r["city"] else r["status"]
        counts[kind] = counts.get(kind, 0) + 1
    summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    print(f"wrote {len(rows)} rows to {args.output} ({summary})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
