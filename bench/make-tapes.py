#!/usr/bin/python3
"""Builds the benchmark loan tapes of bench/scenarios/tapes/ (issue 19), deterministically.

Every value is a function of (tape, loan, field) through SplitMix64, computed in NumPy's uint64
arithmetic: the same bytes on every machine and NumPy version (no generator whose stream may change).

  graded     10,000 loans,    20 PD grades, all issued in year 1 with a 1-year term
  grades100  100,000 loans,  100 PD grades, all issued in year 1 with a 1-year term
  national   1,000,000 loans, 20 PD grades, issued in years 1..5 (uniform), terms 1..3 years (uniform)

Built only when named (not by default, not by bench/run.sh), for tapes with thousands of distinct PDs
(docs/performance.md) and the opt-in pdGrading:

  distinct    the graded tape with every PD made distinct: the PD of row i (0-based) is its grade's x (1 + 1e-6 i)
  continuous  the graded tape with PDs of a model's continuous output: log-uniform from 0.05% to 15%

Common to all (the book of credit-portfolio benchmarks): PD grades geometric from 0.05% to 15%, each loan's
grade uniform over the grades (the tape is not sorted by grade, as real tapes are not); amounts uniform
from 100,000 to 1,100,000 CNY (whole yuan); LGD uniform from 0.2 to 0.6 (4 decimals); one factor with
asset correlation rho = 0.2 for every loan. The scenarios share losses bank 50% / government 50% with no
limit, so no limit binds.

Usage: make-tapes.py [--out DIR] [NAME ...]   (default: all three into bench/scenarios/tapes/)
The CSV files are not committed (the national tape is about 45 MB); bench/run.sh --tapes builds them.
"""

import argparse
import os
import sys
import time

import numpy as np

TAPES = {
    # name: (loans, grades, issue years, longest term)
    "graded": (10_000, 20, 1, 1),
    "grades100": (100_000, 100, 1, 1),
    "national": (1_000_000, 20, 5, 3),
}
# Variants of the graded tape (same loans, other PDs), built only when named: name → how the PDs are made.
VARIANTS = {"distinct": "graded", "continuous": "graded"}
PD_LOW, PD_HIGH = 0.0005, 0.15
AMOUNT_LOW, AMOUNT_SPAN = 100_000, 1_000_000
LGD_LOW, LGD_SPAN = 0.2, 0.4
RHO = 0.2
GAMMA = np.uint64(0x9E3779B97F4A7C15)


def splitmix64(x):
    """SplitMix64's finaliser of uint64 counters (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = x + GAMMA
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def uniforms(tape_index, field, n):
    """n uniforms in [0, 1) for one field of one tape: 53 bits of SplitMix64 of a distinct counter per loan."""
    with np.errstate(over="ignore"):
        counter = (np.arange(n, dtype=np.uint64) * np.uint64(16) + np.uint64(field)) \
            + np.uint64(tape_index) * np.uint64(1 << 40)
    return (splitmix64(counter) >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


def grade_pds(grades):
    """Geometric PD grades from PD_LOW to PD_HIGH."""
    return PD_LOW * (PD_HIGH / PD_LOW) ** (np.arange(grades) / (grades - 1))


def build(name, out):
    base = VARIANTS.get(name, name)
    loans, grades, years, longest = TAPES[base]
    index = list(TAPES).index(base)
    pds = grade_pds(grades)
    grade = np.minimum((uniforms(index, 0, loans) * grades).astype(np.int64), grades - 1)
    if name == "distinct":
        loan_pd = pds[grade] * (1 + 1e-6 * np.arange(loans))
    elif name == "continuous":
        loan_pd = PD_LOW * (PD_HIGH / PD_LOW) ** uniforms(index, 5, loans)
    else:
        loan_pd = pds[grade]
    amount = AMOUNT_LOW + np.floor(uniforms(index, 1, loans) * (AMOUNT_SPAN + 1)).astype(np.int64)
    lgd = np.round(LGD_LOW + LGD_SPAN * uniforms(index, 2, loans), 4)
    start = 1 + np.minimum((uniforms(index, 3, loans) * years).astype(np.int64), years - 1)
    term = 1 + np.minimum((uniforms(index, 4, loans) * longest).astype(np.int64), longest - 1)
    # PDs written with 17 significant digits, so the tape's PD is exactly the computed double.
    pd_text = np.array([repr(float(p)) for p in loan_pd])
    lgd_text = np.char.mod("%.4f", lgd)
    ids = [f"{base[0].upper()}{i:07d}" for i in range(1, loans + 1)]
    columns = [ids, amount.astype(str).tolist(), pd_text.tolist(), lgd_text.tolist(), term.astype(str).tolist(),
               start.astype(str).tolist()]
    path = os.path.join(out, name + ".csv")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("id,amount,pd,lgd,termYears,startYear,rho\n")
        tail = f",{RHO}\n"
        f.write(tail.join(map(",".join, zip(*columns))) + tail)
    return path, loans, int(term.sum())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios", "tapes"))
    parser.add_argument("names", nargs="*", metavar="NAME", help="graded, grades100 or national (default: these three), or distinct or continuous")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in TAPES and n not in VARIANTS]
    if unknown:
        parser.error(f"unknown tape {unknown[0]}; allowed: {', '.join([*TAPES, *VARIANTS])}")
    os.makedirs(args.out, exist_ok=True)
    for name in args.names or list(TAPES):
        clock = time.perf_counter()
        path, loans, loan_years = build(name, args.out)
        print(f"{path}: {loans} loans, {loan_years} loan-years, {os.path.getsize(path) / 1e6:.1f} MB "
              f"({time.perf_counter() - clock:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
