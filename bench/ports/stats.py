#!/usr/bin/python3
"""Prints n, p50, p99, max of the first column of FILE (nearest-rank percentiles), scaled by
1/DIVISOR (default 1). usage: stats.py FILE LABEL [DIVISOR] [UNIT]"""
import math
import sys

values = sorted(float(line.split()[0]) for line in open(sys.argv[1]) if line.strip()
                and not line.startswith("#"))
div = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
unit = sys.argv[4] if len(sys.argv) > 4 else ""


def rank(p):
    return values[max(0, math.ceil(p / 100.0 * len(values)) - 1)] / div


if not values:
    print("%s: no values" % sys.argv[2])
else:
    print("%s: n=%d p50=%.2f%s p99=%.2f%s max=%.2f%s" % (
        sys.argv[2], len(values), rank(50), unit, rank(99), unit, values[-1] / div, unit))
