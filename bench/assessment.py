"""Figures for 年终考核 and 系统性问题; bench/run.py calls `run()` at the end, `python bench/assessment.py`
prints only the clustering figures (no database).

* Clustering quality on the labelled sample tests/data/problem_clusters.tsv (251 texts, 22 groups +
  noise): pairwise precision / recall / F1 and adjusted Rand index across thresholds, for the exact
  path (≤ exact_limit distinct texts) and the reduced path used on large corpora.
* Scale: BENCH_PROBLEMS (default 300,000) generated problem texts with the labelled sample hidden
  inside: time, peak memory (tracemalloc, which sees numpy's arrays, and the process's RSS), and
  precision / recall of the labelled pairs as found in the big run.
* The year-end score computation over the bench dataset's units and measures (when run from run.py).
"""

import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "tests" / "data" / "problem_clusters.tsv"
PROBLEMS = int(os.environ.get("BENCH_PROBLEMS", "300000"))


def line(label: str, value: str) -> None:
    print(f"  {label:<44} {value}")


def labelled() -> tuple[np.ndarray, list[str]]:
    rows = [r.rstrip("\n").split("\t") for r in SAMPLE.read_text(encoding="utf-8").splitlines() if r and r[0] != "#"]
    return np.array([int(g) for g, _ in rows]), [t for _, t in rows]


def pairwise(truth: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    """Pairs in one true group (noise, group 0, is in none) against pairs in one found cluster (−1 in none)."""
    same_t = (truth[:, None] == truth[None, :]) & (truth[:, None] != 0)
    same_p = (pred[:, None] == pred[None, :]) & (pred[:, None] != -1)
    upper = np.triu(np.ones_like(same_t, dtype=bool), 1)
    tp = int((same_t & same_p & upper).sum())
    fp = int((~same_t & same_p & upper).sum())
    fn = int((same_t & ~same_p & upper).sum())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def ari(truth: np.ndarray, pred: np.ndarray) -> float:
    from sklearn.metrics import adjusted_rand_score

    # noise points are singletons on both sides
    t = np.where(truth == 0, -np.arange(1, len(truth) + 1), truth)
    p = np.where(pred == -1, -np.arange(1, len(pred) + 1) - len(pred), pred)
    return adjusted_rand_score(t, p)


def quality() -> None:
    from zuofeng.assessment.clustering import THRESHOLD, THRESHOLD_LARGE, cluster_texts

    truth, texts = labelled()
    print(f"系统性问题 clustering quality: {len(texts)} labelled texts, {len(set(truth)) - 1} groups + noise")
    for name, extra, chosen in (
        ("exact", {}, THRESHOLD),
        ("reduced (large corpora)", {"exact_limit": 0, "threshold_large": None}, THRESHOLD_LARGE),
    ):
        for t in (0.55, 0.65, 0.75, 0.8, 0.85, 0.88, 0.9, 0.92):
            kwargs = {"threshold": t} if name == "exact" else {"exact_limit": 0, "threshold_large": t}
            pred = cluster_texts(texts, **kwargs)
            p, r, f = pairwise(truth, pred)
            mark = "  ← chosen" if abs(t - chosen) < 1e-9 else ""
            line(f"{name} threshold {t:.2f}", f"P={p:.3f} R={r:.3f} F1={f:.3f} ARI={ari(truth, pred):.3f}{mark}")
        del extra


SUBJECTS = ["部分", "个别", "少数", "一些", "有的", "基层", "本单位", "科室", "窗口", "一线"]
# Each topic's phrasings say one thing (a text takes one of them), as units word one problem differently.
TOPICS = [
    ("审批", ["环节多", "环节繁琐", "环节过多", "流程环节多"]),
    ("办事材料", ["重复提交", "多次提交", "反复提供", "重复报送"]),
    ("窗口服务", ["态度生硬", "态度冷漠", "态度不热情", "脸难看"]),
    ("部门之间", ["推诿扯皮", "互相推诿", "相互扯皮", "推来推去"]),
    ("会议文件", ["过多", "太多", "偏多", "过多过滥"]),
    ("调查研究", ["深入基层少", "下基层少", "到一线少", "深入一线不够"]),
    ("政策宣传", ["不到位", "不够到位", "宣传不够", "知晓率低"]),
    ("信息系统", ["不互通", "互不联通", "不能对接", "数据不共享"]),
    ("企业服务", ["不主动", "主动性不强", "被动应付", "坐等上门"]),
    ("工作纪律", ["松懈", "松散", "执行不严", "迟到早退"]),
    ("台账报表", ["过多", "太多", "繁多", "重复填报"]),
    ("热线工单", ["办理超期", "回复不及时", "办结超时", "答复太慢"]),
    ("执法标准", ["不统一", "不一致", "尺度不一", "宽严不一"]),
    ("重点项目", ["推进缓慢", "进度滞后", "进展缓慢", "推进不力"]),
    ("中介服务", ["收费高", "收费偏高", "费用过高", "收费过高"]),
    ("网上办事平台", ["不好用", "操作复杂", "使用不便", "操作繁琐"]),
    ("检查考核", ["过多过频", "过于频繁", "名目繁多", "次数太多"]),
    ("首问负责制", ["落实不到位", "执行不严", "流于形式", "落实不好"]),
]
TAILS = ["", "，群众反映较多", "，企业意见较大", "，影响办事效率", "，需要进一步整改", "，问题比较突出", "现象仍然存在"]
NOISE = (
    "办公用房车辆档案财务食堂安全节能网站采购资产志愿保密公文宣传统计学习卫生工会应急退休内控轮岗河道垃圾消防停车绿化"
)


def corpus(n: int, hidden: list[str], seed: int = 1) -> list[str]:
    """n generated problem texts (70 % on 18 topics in varied words, 30 % miscellany) with `hidden` spread in."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    texts = []
    for _ in range(n - len(hidden)):
        if rng.random() < 0.7:
            topic, faults = rng.choice(TOPICS)
            texts.append(f"{rng.choice(SUBJECTS)}{topic}{rng.choice(faults)}{rng.choice(TAILS)}")
        else:
            words = "".join(rng.sample(NOISE, 6))
            texts.append(f"{words}工作{rng.choice(['不规范', '不到位', '有差距', '待加强'])}第{rng.randint(1, 999)}项")
    positions = sorted(rng.sample(range(n), len(hidden)))
    for pos, text in zip(positions, hidden, strict=True):
        texts.insert(pos, text)
    return texts, positions


def scale() -> None:
    from zuofeng.assessment.clustering import cluster_texts

    truth, hidden = labelled()
    texts, _ = corpus(PROBLEMS, hidden)
    positions = [i for i, t in enumerate(texts) if t in set(hidden)][: len(hidden)]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start = time.perf_counter()
    labels = cluster_texts(texts)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found = len(set(labels.tolist()) - {-1})
    print(f"系统性问题 at scale: {len(texts):,} problems")
    line("cluster_texts", f"{elapsed:.1f} s, {found:,} clusters, {int((labels == -1).sum()):,} noise")
    line("peak memory (tracemalloc, numpy included)", f"{peak / 1_048_576:.0f} MB")
    line("process peak RSS (before → after)", f"{rss_before / 1024:.0f} → {rss / 1024:.0f} MB")
    index = {t: i for i, t in enumerate(texts)}
    pred = np.array([labels[index[t]] for t in hidden])
    p, r, f = pairwise(truth, pred)
    line("labelled sample inside the big run", f"P={p:.3f} R={r:.3f} F1={f:.3f} ARI={ari(truth, pred):.3f}")
    del positions


def scores() -> None:
    """The year-end computation over the bench dataset (called from bench/run.py, database ready)."""
    from django.test import TestCase

    from zuofeng.accounts.models import User
    from zuofeng.assessment.models import UnitScore
    from zuofeng.assessment.services.scores import run_request
    from zuofeng.campaigns.models import Campaign
    from zuofeng.core import clock
    from zuofeng.rectification.models import Measure

    campaign = Campaign.objects.get(is_default=True)
    office = User.objects.get(username="office")
    start = time.perf_counter()
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = run_request(actor=office, campaign=campaign, cutoff=clock.today(), reason="bench")
    elapsed = time.perf_counter() - start
    run.refresh_from_db()
    units = UnitScore.objects.filter(run=run).count()
    measures = Measure.objects.filter(campaign=campaign).count()
    print("年终考核")
    line(f"compute snapshot ({units} units, {measures:,} measures)", f"{elapsed:.1f} s ({run.get_state_display()})")


def run() -> None:
    quality()
    scale()
    scores()


if __name__ == "__main__":
    quality()
    scale()
