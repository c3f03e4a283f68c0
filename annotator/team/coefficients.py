"""Agreement coefficients written out (no SciPy/NumPy at run time), tested against references.

We write the math ourselves: each coefficient is a dozen lines, needs aggregated counts that the
reference packages cannot take (token alpha runs over millions of units collapsed into a few
count patterns), and the run-time app stays free of NumPy/SciPy. tests/domain/test_agreement.py
checks them against scikit-learn's `cohen_kappa_score` and the `krippendorff` package.
Formulas: docs/agreement.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence

Coincidences = Mapping[tuple[Hashable, Hashable], float]


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of two raters over items labeled by both; None when undefined.

    kappa = (p_o - p_e) / (1 - p_e), p_o the observed proportion of agreement, p_e the
    agreement expected from the two raters' own label distributions. Undefined (None) with no
    items, or when p_e = 1 (both raters used one and the same label throughout).
    """
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(count * second[label] for label, count in first.items()) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def coincidences(units: Iterable[Sequence[Hashable]]) -> Counter[tuple[Hashable, Hashable]]:
    """Krippendorff's coincidence matrix o_ck from units given as the values coders assigned.

    Missing values are simply absent from a unit; units with fewer than two values are not
    pairable and contribute nothing.
    """
    o: Counter[tuple[Hashable, Hashable]] = Counter()
    for values in units:
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                if pairs:
                    o[(c, k)] += pairs / (m - 1)
    return o


def binary_coincidences(patterns: Mapping[tuple[int, int], int]) -> Counter[tuple[bool, bool]]:
    """Coincidences of in/out labels from `(m, k) -> number of units` patterns.

    A pattern is a unit coded by `m` coders, `k` of whom labeled it True (e.g. a token inside a
    quote): token-level alpha over a whole project is a handful of such patterns.
    """
    o: Counter[tuple[bool, bool]] = Counter()
    for (m, k), units in patterns.items():
        if m < 2 or units == 0:
            continue
        o[(True, True)] += units * k * (k - 1) / (m - 1)
        o[(False, False)] += units * (m - k) * (m - k - 1) / (m - 1)
        o[(True, False)] += units * k * (m - k) / (m - 1)
        o[(False, True)] += units * k * (m - k) / (m - 1)
    return o


def alpha_from_coincidences(o: Coincidences) -> float | None:
    """Krippendorff's alpha (nominal) from a coincidence matrix; None when undefined.

    alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k, with n_c the row sums and
    n the number of pairable values. Undefined with fewer than two pairable values or a single
    value used throughout (no expected disagreement).
    """
    totals: Counter[Hashable] = Counter()
    for (c, _), v in o.items():
        totals[c] += v
    n = sum(totals.values())
    if n < 2:
        return None
    observed = sum(v for (c, k), v in o.items() if c != k)
    expected = n * n - sum(v * v for v in totals.values())  # sum_{c != k} n_c n_k
    if expected <= 1e-12:
        return None
    return 1.0 - (n - 1) * observed / expected


def alpha_nominal(units: Iterable[Sequence[Hashable]]) -> float | None:
    """Krippendorff's alpha (nominal) of units listed as their assigned values."""
    return alpha_from_coincidences(coincidences(units))


def f1(matches: float, total: int) -> float | None:
    """Symmetric F1 of two annotators: 2 * matches / (|A| + |B|); None when both are empty.

    With A as reference, precision = matches / |B| and recall = matches / |A|; their harmonic
    mean reduces to this, so the figure does not depend on which annotator is the reference.
    """
    return None if total == 0 else 2.0 * matches / total
