"""The arithmetic of "is it working?": two proportions and how sure their difference is.

Pure functions, no database: the rule's page (``nudges.effectiveness``) feeds them counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# The 97.5th percentile of the standard normal distribution: a two-sided 95 % interval.
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson_interval(successes: int, total: int, *, z: float = Z_95) -> Interval:
    """Wilson's score interval of a proportion (Wilson 1927).

    Unlike the textbook p ± z·√(p(1-p)/n) it stays within [0, 1] and does not
    collapse to a point when nobody (or everybody) acted, which small groups do.
    """
    if total <= 0:
        raise ValueError("A proportion needs at least one trial.")
    if not 0 <= successes <= total:
        raise ValueError("Successes must lie between 0 and the number of trials.")
    p = successes / total
    z2 = z * z
    centre = p + z2 / (2 * total)
    spread = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    denominator = 1 + z2 / total
    return Interval(
        max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)
    )


def newcombe_difference(
    successes_a: int, total_a: int, successes_b: int, total_b: int, *, z: float = Z_95
) -> tuple[float, Interval]:
    """The difference of two independent proportions, a − b, with Newcombe's hybrid score interval.

    Newcombe (1998), "Interval estimation for the difference between independent
    proportions", method 10: it combines the two Wilson intervals, so it behaves
    well for small groups and rates near 0 or 1.
    """
    p_a, p_b = successes_a / total_a, successes_b / total_b
    a = wilson_interval(successes_a, total_a, z=z)
    b = wilson_interval(successes_b, total_b, z=z)
    difference = p_a - p_b
    low = difference - math.sqrt((p_a - a.low) ** 2 + (b.high - p_b) ** 2)
    high = difference + math.sqrt((a.high - p_a) ** 2 + (p_b - b.low) ** 2)
    return difference, Interval(low, high)
