"""Weights of the promotional scorer (`promo_scorer.py`), shipped with the code.

WEIGHTS were fitted by `python -m benchmarks.tubespam --write-weights`: a logistic regression
(L2 0.02) over the readable features, on the 1138 comments of tests/data/tubespam plus the
hand-written introductions of tests/data/promo_examples.csv (each counted 5 times).
Cross-validated F1 (train on two files, test on the third) was 0.956; see
benchmarks/results/tubespam.md.

EXTRA_WEIGHTS are set by hand: those features never occur in the labelled data (they are what
the spam detector knows about the author and the community).
Positive = promotional. Edit with care: the reasons quote these numbers.
"""

from __future__ import annotations

BIAS: float = -1.59
THRESHOLD: float = 0.5
WEIGHTS: dict[str, float] = {
    "cta": +2.13,
    "own_business": +0.64,
    "link": +1.22,
    "tracked_link": +0.19,
    "contact": +0.19,
    "business": +0.64,
    "platform": +0.94,
    "audience": +0.23,
    "please": +0.53,
    "promo_share": +1.28,
    "care": -0.33,
    "my_pet": -0.26,
    "question": -0.11,
    "topic": +0.02,
}
EXTRA_WEIGHTS: dict[str, float] = {
    "stranger": +1.00,
    "joined_today": +0.70,
    "off_topic": +0.80,
}
