"""Small discrete logarithms by baby-step giant-step.

Finds ``m ∈ [0, bound]`` with ``m·G = target`` in ``O(√bound)`` group operations. The
baby-step table for a given step size is built on first use and cached (never at import).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Final

from .errors import DlogOutOfRangeError, InvalidParameterError
from .group import _GENERATOR_BYTES, _ZERO32, Point, _raw_add, _raw_sub, base_mul_int

MAX_BOUND: Final[int] = 2**40


@lru_cache(maxsize=8)
def _baby_steps(m: int) -> dict[bytes, int]:
    table: dict[bytes, int] = {}
    acc = _ZERO32
    for j in range(m):
        table[acc] = j
        acc = _raw_add(acc, _GENERATOR_BYTES)
    return table


def _step_size(bound: int) -> int:
    return max(1, math.isqrt(bound) + 1)


def discrete_log(target: Point, bound: int) -> int:
    """Return ``m`` with ``m·G == target`` and ``0 <= m <= bound``.

    Raises :class:`DlogOutOfRangeError` if there is none (e.g. a wrong decryption).
    """
    if not isinstance(bound, int) or not 0 <= bound <= MAX_BOUND:
        raise InvalidParameterError("dlog bound must be in [0, 2^40]")
    m = _step_size(bound)
    table = _baby_steps(m)
    giant = base_mul_int(m).to_bytes()
    acc = target.to_bytes()
    for i in range(bound // m + 1):
        j = table.get(acc)
        if j is not None:
            result = i * m + j
            if result <= bound:
                return result
            break
        acc = _raw_sub(acc, giant)
    raise DlogOutOfRangeError("decrypted value is outside [0, bound]")


__all__ = ["discrete_log"]
