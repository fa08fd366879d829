"""The promotional scorer on real labelled comments (YouTube Spam Collection) and on our own
hand-written support-group introductions, against two baselines run in the same process.

    python -m benchmarks.tubespam                 # measure, write benchmarks/results/tubespam.md
    python -m benchmarks.tubespam --write-weights # also refit heuristics/promo_weights.py

The honest figure is cross-validated: fit the weights of the readable features on two files
(plus the hand-written examples), score the third, never seen. The baselines get the same
folds: a TF-IDF (words and word pairs) + logistic regression, and a one-line keyword regex.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.machine import describe
from heuristics import promo_weights
from heuristics.promo_scorer import PromoScorer, features
from heuristics.textfeatures import clean

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "tubespam-dev"
BUNDLED = ROOT / "tests" / "data" / "tubespam"
EXAMPLES = ROOT / "tests" / "data" / "promo_examples.csv"
RESULTS = ROOT / "benchmarks" / "results" / "tubespam.md"
WEIGHTS_FILE = ROOT / "heuristics" / "promo_weights.py"

#: The features whose weights are fitted ("topic" only from the hand-written introductions,
#: the only examples with a community topic). The spam detector's extra features (stranger,
#: joined today, off topic) don't occur in these data: their weights are set by hand.
LEARNED = (
    "cta",
    "own_business",
    "link",
    "tracked_link",
    "contact",
    "business",
    "platform",
    "audience",
    "please",
    "promo_share",
    "care",
    "my_pet",
    "question",
    "topic",
)
#: The one-line keyword regex baseline.
KEYWORDS = re.compile(r"check|subscri|channel|https?:|www\.|\.com|visit|follow|my page|free", re.I)
#: Topic words given to the hand-written examples (a diabetic-cat support group).
CAT_TOPIC = ("cat", "chat", "insulin", "insuline", "diabetes", "diabète", "glycémie", "glucose")
L2 = 0.02
#: Each hand-written introduction counts as this many comments: they are the only examples of
#: the genuine signs (a cat, a diagnosis) and of French, and they are few.
HAND_WEIGHT = 5.0


@dataclass(frozen=True, slots=True)
class Example:
    source: str
    text: str
    label: int
    lang: str = "en"


def load_tubespam(folder: Path) -> list[Example]:
    out: list[Example] = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                out.append(Example(path.stem, row["CONTENT"], int(row["CLASS"])))
    return out


def load_examples(path: Path = EXAMPLES) -> list[Example]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [Example(f"hand-{r['lang']}", r["text"], int(r["label"]), r["lang"]) for r in rows]


def matrix(examples: Sequence[Example]) -> np.ndarray:
    rows = []
    for ex in examples:
        topic = CAT_TOPIC if ex.source.startswith("hand") else ()
        found = features(ex.text, topic)
        rows.append([found.get(name, (0.0, ()))[0] for name in LEARNED])
    return np.array(rows, dtype=float)


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 3000, weight: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """Plain batch gradient descent with an L2 penalty (not on the bias): small and readable."""
    w = np.zeros(x.shape[1])
    b = 0.0
    lr = 0.5
    s = np.ones(len(y)) if weight is None else weight
    n = float(s.sum())
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        g = (p - y) * s
        w -= lr * (x.T @ g / n + l2 * w)
        b -= lr * float(g.sum() / n)
    return w, b


@dataclass(frozen=True, slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.tn + other.tn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def counts(y: Sequence[int], pred: Sequence[int]) -> Counts:
    c = Counter((int(a), int(b)) for a, b in zip(y, pred, strict=True))
    return Counts(c[1, 1], c[0, 1], c[1, 0], c[0, 0])


# --- baseline: TF-IDF + logistic regression ---------------------------------------------

_TOKEN = re.compile(r"\w+")


def _grams(text: str) -> list[str]:
    toks = _TOKEN.findall(clean(text).lower())
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]


def tfidf_baseline(train: Sequence[Example], test: Sequence[Example]) -> list[int]:
    docs = [Counter(_grams(e.text)) for e in train]
    df = Counter(g for d in docs for g in d)
    vocab = {g: i for i, g in enumerate(sorted(g for g, c in df.items() if c >= 2))}
    idf = np.zeros(len(vocab))
    for g, i in vocab.items():
        idf[i] = math.log((1 + len(docs)) / (1 + df[g])) + 1

    def vectors(items: Sequence[Counter[str]]) -> np.ndarray:
        m = np.zeros((len(items), len(vocab)))
        for r, d in enumerate(items):
            for g, c in d.items():
                if g in vocab:
                    m[r, vocab[g]] = (1 + math.log(c)) * idf[vocab[g]]
            norm = np.linalg.norm(m[r])
            if norm:
                m[r] /= norm
        return m

    w, b = fit_logistic(vectors(docs), np.array([e.label for e in train], float), l2=1e-3, steps=1500)
    x = vectors([Counter(_grams(e.text)) for e in test])
    return [int(v) for v in (x @ w + b) >= 0]


def keyword_baseline(test: Sequence[Example]) -> list[int]:
    return [int(bool(KEYWORDS.search(clean(e.text)))) for e in test]


# --- the scorer -------------------------------------------------------------------------


def scorer_from(w: np.ndarray, b: float) -> PromoScorer:
    return PromoScorer(weights=dict(zip(LEARNED, (float(v) for v in w), strict=True)), bias=b)


def predict(scorer: PromoScorer, examples: Sequence[Example]) -> list[int]:
    out = []
    for e in examples:
        topic = CAT_TOPIC if e.source.startswith("hand") else ()
        out.append(int(scorer.score(e.text, topic).promotional))
    return out


def write_weights(w: np.ndarray, b: float, n: int, cv_f1: float) -> None:
    pairs = "\n".join(f'    "{name}": {float(v):+.2f},' for name, v in zip(LEARNED, w, strict=True))
    extra = "\n".join(
        f'    "{k}": {v:+.2f},' for k, v in promo_weights.EXTRA_WEIGHTS.items() if k not in LEARNED
    )
    WEIGHTS_FILE.write_text(
        f'''"""Weights of the promotional scorer (`promo_scorer.py`), shipped with the code.

WEIGHTS were fitted by `python -m benchmarks.tubespam --write-weights`: a logistic regression
(L2 {L2}) over the readable features, on the {n} comments of tests/data/tubespam plus the
hand-written introductions of tests/data/promo_examples.csv (each counted {HAND_WEIGHT:g} times).
Cross-validated F1 (train on two files, test on the third) was {cv_f1:.3f}; see
benchmarks/results/tubespam.md.

EXTRA_WEIGHTS are set by hand: those features never occur in the labelled data (they are what
the spam detector knows about the author and the community).
Positive = promotional. Edit with care: the reasons quote these numbers.
"""

from __future__ import annotations

BIAS: float = {b:+.2f}
THRESHOLD: float = {promo_weights.THRESHOLD}
WEIGHTS: dict[str, float] = {{
{pairs}
}}
EXTRA_WEIGHTS: dict[str, float] = {{
{extra}
}}
''',
        encoding="utf-8",
    )


def row(name: str, c: Counts) -> str:
    return f"| {name} | {c.precision:.3f} | {c.recall:.3f} | **{c.f1:.3f}** | {c.tp} | {c.fp} | {c.fn} |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED if SHARED.is_dir() else BUNDLED)
    parser.add_argument("--write-weights", action="store_true", help="refit heuristics/promo_weights.py")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    tube = load_tubespam(args.data)
    hand = load_examples()
    everything = tube + hand
    x_all = matrix(everything)  # features once; every fold reuses them
    y_all = np.array([e.label for e in everything], dtype=float)
    files = sorted({e.source for e in tube})
    header = "| | precision | recall | F1 | TP | FP | FN |\n|---|---|---|---|---|---|---|"
    lines = [
        "# Promotional scorer on tubespam-dev (spam class)",
        "",
        f"Machine: {describe()}. Data: `{args.data.name}` ({len(tube)} comments) and "
        f"`tests/data/promo_examples.csv` ({len(hand)} hand-written introductions, en/fr).",
        "",
        "## Cross-validated (the honest figure): fit on two files + the hand-written examples, "
        "score the third",
        "",
    ]

    sample_weight = np.array([HAND_WEIGHT if e.source.startswith("hand") else 1.0 for e in everything])

    def fit_on(mask: np.ndarray) -> tuple[np.ndarray, float]:
        return fit_logistic(x_all[mask], y_all[mask], weight=sample_weight[mask])

    def predict_rows(mask: np.ndarray, w: np.ndarray, b: float) -> list[int]:
        return [int(v) for v in (x_all[mask] @ w + b) >= 0]

    sources = np.array([e.source for e in everything])
    is_hand = np.array([e.source.startswith("hand") for e in everything])
    totals = {"tact": Counts(), "tfidf": Counts(), "regex": Counts()}
    per_file: list[str] = []
    for held in files:
        test_mask = sources == held
        test = [e for e in tube if e.source == held]
        y = [e.label for e in test]
        w, b = fit_on(~test_mask)
        ours = counts(y, predict_rows(test_mask, w, b))
        tfidf = counts(y, tfidf_baseline([e for e in tube if e.source != held], test))
        regex = counts(y, keyword_baseline(test))
        totals["tact"] += ours
        totals["tfidf"] += tfidf
        totals["regex"] += regex
        per_file += [
            f"| **{held}** — tact scorer | {ours.precision:.3f} | {ours.recall:.3f} | **{ours.f1:.3f}** "
            f"| {ours.tp} | {ours.fp} | {ours.fn} |",
            row(f"{held} — TF-IDF + LR", tfidf),
            row(f"{held} — keyword regex", regex),
        ]
    lines += [header, *per_file]
    lines += [
        row("**all three** — tact scorer", totals["tact"]),
        row("all three — TF-IDF + LR", totals["tfidf"]),
        row("all three — keyword regex", totals["regex"]),
        "",
        f"F1 ratio tact / TF-IDF+LR = {totals['tact'].f1 / max(totals['tfidf'].f1, 1e-9):.3f}; "
        f"tact / keyword regex = {totals['tact'].f1 / max(totals['regex'].f1, 1e-9):.3f}.",
        "",
        f"Keyword regex: `{KEYWORDS.pattern}` (case-insensitive).",
        "",
        "Caveats, honestly: the folds keep the weights unseen, not the word lists — those were "
        "written (as general patterns: calls to action and their misspellings, links, referral "
        "codes, contact details) while reading these comments, so the figure above is somewhat "
        "optimistic for truly new comments. Per file, two of three folds stay just under 0.95; "
        "most misses are bare links with a line of praise, which the scorer leaves alone on "
        "purpose (a member sharing a link is not spam by itself).",
        "",
    ]

    # Hand-written introductions: 5-fold, the weights fitted on all of tubespam + 4/5 of them.
    folds = 5
    fold_of = np.full(len(everything), -1)
    fold_of[is_hand] = np.arange(int(is_hand.sum())) % folds
    hand_pred = np.zeros(len(everything), dtype=int)
    for k in range(folds):
        w, b = fit_on(fold_of != k)
        test_mask = fold_of == k
        hand_pred[test_mask] = predict_rows(test_mask, w, b)
    lines += ["## Hand-written support-group introductions (5-fold cross-validated)", "", header]
    for lang in ("fr", "en"):
        idx = [i for i, e in enumerate(everything) if is_hand[i] and e.lang == lang]
        lines.append(row(lang, counts([everything[i].label for i in idx], [hand_pred[i] for i in idx])))
    mistakes = [everything[i] for i in range(len(everything)) if is_hand[i] and hand_pred[i] != y_all[i]]
    lines += ["", "Misclassified: " + ("none" if not mistakes else "")]
    lines += [f"- ({e.lang}, label {e.label}) {clean(e.text)[:100]}…" for e in mistakes]

    # The shipped weights: fitted on everything (not an honest figure; shown for reference).
    w, b = fit_on(np.ones(len(everything), dtype=bool))
    shipped = scorer_from(w, b)
    tube_mask = ~is_hand
    via_scorer = predict(shipped, tube)
    assert via_scorer == predict_rows(tube_mask, w, b), "scorer and benchmark features disagree"
    whole = counts([e.label for e in tube], via_scorer)
    lines += [
        "",
        "## Shipped weights (fitted on all data — resubstitution, not a generalisation figure)",
        "",
        header,
        row("all three files", whole),
        "",
        "| feature | weight |",
        "|---|---|",
        f"| base (bias) | {b:+.2f} |",
        *(f"| {name} | {v:+.2f} |" for name, v in zip(LEARNED, w, strict=True)),
        "",
        f"Run time: {time.perf_counter() - started:.1f} s.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write_weights:
        write_weights(w, b, len(tube), totals["tact"].f1)
        print(f"wrote {WEIGHTS_FILE.relative_to(ROOT)}", file=sys.stderr)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
