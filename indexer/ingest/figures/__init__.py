"""Quantitative indicators (figures) in union report text: 建会率 70.13 %, 慰问金 180 万元.

Modules, in the order they run:

* ``extract`` — cuts a passage into sentences (。！？； and line ends; a figure keeps its
  sentence) and runs the rest over each; ``figures_by_passage`` gives each passage its stance
  (``timing``: review or plan, from its headings — ``kind.heading_kind``: 工作安排 → target,
  工作回顾 → actual — or its first words, carried over), ``document_figures`` reads the years
  against the document's date.
* ``timing`` — the year a figure is about (``year``, ``year_from``); ``measure`` — level,
  change, share or count.
* ``quantities`` — one regex finds number + multiplier + approximation + unit
  (1.1万人次, 650余家, 两万余人, 三千元, 70.13%, 2.3个百分点); people and things are
  expanded to the base unit (1.1万人次 → 11000 人次); money keeps 万元 / 亿元
  (1078.46万元 → 1078.46 万元).
* ``screening`` — rejects what only looks like a figure: years (2015年), dates
  (10月30日), ordinals (第三届, 十四届四次, 十九大), document numbers (〔2015〕12号), phone
  numbers, names in quotes or titles (“五一”, “1+3”, 《…》), hotline numbers (12351热线)
  and idioms (万家, 百人以上企业).
* ``phrases`` and ``naming`` — the indicator: the noun phrase before the number, with
  subjects (全市各级工会), adverbs (共, 累计) and light verbs (发放, 筹集, 组建) stripped;
  verbs that change what is counted (慰问, 覆盖, 资助, 发展) are kept; when nothing is left,
  the measured noun after the unit (组建20支职工技术服务队 → 职工技术服务队). ``clauses``
  says where the clause around a number starts and ends.
* ``kind`` — "target" when the sentence states a plan (力争, 确保, 拟, 年内, 目标 …) or a
  rule (应当, 不得少于), or the passage sits in a plan section, else "actual"; a requirement
  quoted as a benchmark (超过了省总提出的65%的要求) is a target inside an actual sentence, and
  the baseline of a plan (在…10个…的基础上) is actual.
* ``words`` — the vocabulary (units, verbs, nouns, fillers) and the jieba tagging (the
  project's user dictionary, HMM off) of the short phrases around each number, so the cost
  follows the figures.

Conventions:

* ``approx`` is one of 余, 多, 近, 约, 超过, 以上 or "" — 几 and 多 → 多; 左右, 大约 → 约;
  逾, 超 → 超过; 将近, 接近, 不足, 不到 → 近.
* A range (3000元到5000元, 3000—5000元, 2--4户) is two figures with the same indicator
  suffixed （下限） and （上限）, each with the range's unit.
* A list with 分别 (签订率和覆盖率分别为85%和92%) gives each figure its own subject;
  均 over rates (建会率和入会率均达到98%以上) gives one figure per rate.
* ``start``/``end`` cover the quantity as written, number to unit (``text[start:end]``
  is "1.1万人次", "650余家", "70.13%"); a prefix such as 近 or 超过 lies outside.
"""

from __future__ import annotations

from indexer.ingest.figures.extract import Figure, document_figures, extract_figures, figures_by_passage
from indexer.ingest.figures.kind import ACTUAL, TARGET, section_kind
from indexer.ingest.figures.timing import ReportTime

__all__ = [
    "ACTUAL",
    "TARGET",
    "Figure",
    "ReportTime",
    "document_figures",
    "extract_figures",
    "figures_by_passage",
    "section_kind",
]
