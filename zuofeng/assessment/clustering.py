"""Finding problems that mean the same thing across units, on short Chinese texts, without a network.

Method (docs/decisions.md, figures from bench/run.py):
1. Texts are reduced to their Chinese characters and letters; identical texts are counted once.
2. Each distinct text is a TF-IDF vector of its characters and character pairs (1–2-grams,
   sublinear tf). Single characters matter on texts of 15 characters: 2–3-grams alone found half
   the pairs of the labelled sample.
3. Above `exact_limit` distinct texts the vectors are reduced to `dims` dimensions (truncated SVD)
   so the next step is dense arithmetic of fixed width: memory grows with the number of texts,
   never with its square.
4. Average-linkage clustering, done in batches: a text joins the cluster whose members it resembles
   most on average (cosine with the cluster's mean vector) when that average reaches 1 − threshold;
   the texts of a batch that join none are clustered among themselves by exact average linkage
   (scikit-learn) and start new clusters. A second pass moves every text to its best cluster.
5. Clusters of fewer than `min_size` problems are noise (−1).
On the labelled sample (≤ exact_limit texts) step 4 is exact average linkage.
"""

import re
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

# Cosine distance at which average linkage stops, read off the precision/recall curves that
# bench/assessment.py prints (docs/decisions.md has the figures). Exact path: 0.85, a step before the
# F1 peak (0.90), for precision: at 0.90 the demo's few distinct sentences merged unrelated problems.
# Reduced vectors of large corpora: their cosines run higher, so the cut is lower (best F1 of the
# labelled sample hidden in 300,000 texts).
THRESHOLD = 0.85
THRESHOLD_LARGE = 0.65
_DROP = re.compile(r"[\W\d_]+")


def normalise(text: str) -> str:
    return _DROP.sub("", text or "")


def _vectors(distinct, *, dims: int, exact_limit: int) -> np.ndarray:
    x = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32).fit_transform(
        distinct
    )
    if len(distinct) <= exact_limit or x.shape[1] <= dims:
        return x.toarray()
    z = TruncatedSVD(n_components=dims, n_iter=4, random_state=0).fit_transform(x)
    return normalize(z).astype(np.float32)


def _agglomerate(z: np.ndarray, threshold: float) -> np.ndarray:
    if len(z) == 1:
        return np.zeros(1, dtype=np.int64)
    return AgglomerativeClustering(
        n_clusters=None, distance_threshold=threshold, metric="cosine", linkage="average"
    ).fit_predict(z)


def _best(z: np.ndarray, sums: np.ndarray, sizes: np.ndarray, floor: float, chunk: int = 256):
    """Each row's best cluster by mean cosine, or −1 below `floor` (chunk × clusters floats at a time)."""
    means = sums / np.maximum(sizes, 1)[:, None]
    best = np.full(len(z), -1, dtype=np.int64)
    for start in range(0, len(z), chunk):
        sims = z[start : start + chunk] @ means.T
        arg = sims.argmax(axis=1)
        ok = sims[np.arange(len(arg)), arg] >= floor
        best[start : start + chunk] = np.where(ok, arg, -1)
    return best


def cluster_texts(
    texts: Sequence[str],
    *,
    threshold: float = THRESHOLD,
    threshold_large: float | None = THRESHOLD_LARGE,
    min_size: int = 3,
    batch: int = 1000,
    dims: int = 128,
    exact_limit: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """A label per text: the same number for texts of one cluster, −1 for texts in none."""
    n = len(texts)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    distinct, inverse, counts = np.unique([normalise(t) for t in texts], return_inverse=True, return_counts=True)
    m = len(distinct)
    try:
        z = _vectors(distinct, dims=dims, exact_limit=exact_limit)
    except ValueError:  # nothing left to compare (every text empty)
        return np.full(n, -1, dtype=np.int64)
    if m <= exact_limit:
        labels = _agglomerate(z, threshold)
    else:
        threshold = threshold if threshold_large is None else threshold_large
        floor = 1.0 - threshold
        labels = np.full(m, -1, dtype=np.int64)
        width = z.shape[1]
        sums = np.zeros((0, width), dtype=np.float32)
        sizes = np.zeros(0, dtype=np.float32)
        order = np.argsort(-counts, kind="stable")  # frequent wordings first: they seed clusters
        for start in range(0, m, batch):
            rows = order[start : start + batch]
            joined = _best(z[rows], sums, sizes, floor) if len(sizes) else np.full(len(rows), -1)
            rest = rows[joined < 0]
            if len(rest):
                local = _agglomerate(z[rest], threshold)
                base = len(sizes)
                k = int(local.max()) + 1
                sums = np.vstack([sums, np.zeros((k, width), dtype=np.float32)])
                sizes = np.concatenate([sizes, np.zeros(k, dtype=np.float32)])
                joined[joined < 0] = local + base
            labels[rows] = joined
            np.add.at(sums, joined, z[rows] * counts[rows, None])
            np.add.at(sizes, joined, counts[rows])
            if progress is not None:
                progress(min(start + batch, m), m)
        labels = _best(z, sums, sizes, floor)  # second pass: each text to its best cluster
    weight = np.bincount(np.where(labels >= 0, labels, labels.max() + 1), weights=counts)
    labels = np.where((labels >= 0) & (weight[np.maximum(labels, 0)] >= min_size), labels, -1)
    return labels[inverse]


def cluster_label(texts: Sequence[str], limit: int = 40) -> str:
    """A name for a cluster: its most typical text (sharing most character pairs with the others)."""
    if not texts:
        return ""
    grams = [{t[i : i + 2] for i in range(len(t) - 1)} for t in (normalise(x) for x in texts)]
    common: dict[str, int] = {}
    for g in grams:
        for gram in g:
            common[gram] = common.get(gram, 0) + 1

    def typical(i: int):
        return (sum(common[g] for g in grams[i]) / (len(grams[i]) or 1), -len(texts[i]))

    return texts[max(range(len(texts)), key=typical)][:limit]
