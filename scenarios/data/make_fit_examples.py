#!/usr/bin/env python3
"""Writes exits-synthetic.csv and defaults-synthetic.csv, the SYNTHETIC example data of `simulator fit`.

Not real data: every row is drawn from the known parameters below, so that what `simulator fit` recovers can be
compared with the truth (docs/fitting.md). Deterministic (fixed seed), so the committed files can be regenerated
exactly: python3 make_fit_examples.py
"""
import csv
import math
import random
from statistics import NormalDist

random.seed(1)
N = NormalDist()

# Exits per stage: (exits, write-off share q, partial share r, partial beta (mean, sd), success law,
#                   years held per band as uniform ranges (write-off, partial, success)).
STAGES = [
    ("seed", 400, 0.45, 0.25, (0.25, 0.20), ("pareto", 1.0, 0.9), ((1, 4), (2, 7), (4, 9))),
    ("venture", 400, 0.35, 0.30, (0.35, 0.25), ("lognormal", 4.0, 0.6), ((1, 5), (2, 7), (3, 8))),
]
SECTORS = ["hard-tech", "biotech", "software", "manufacturing"]


def beta(mean, sd):
    k = mean * (1 - mean) / sd ** 2 - 1
    return random.betavariate(mean * k, (1 - mean) * k)


def success(law):
    name, a, b = law
    if name == "pareto":  # min a, alpha b
        return a * (1 - random.random()) ** (-1 / b)
    return a * math.exp(b * random.gauss(0, 1))  # lognormal: median a, sigma b


def comment_lines(f, lines):
    for line in lines:
        f.write("# " + line + "\n")


with open("exits-synthetic.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    comment_lines(f, [
        "SYNTHETIC DATA, not real exits: drawn by make_fit_examples.py (seed 1) from known parameters.",
        "seed: 400 exits; writeOff 0.45; partial 0.25 beta(mean 0.25, sd 0.20); success Pareto(min 1, alpha 0.9) uncapped;",
        "      years held uniform [1,4] / [2,7] / [4,9] by band.",
        "venture: 400 exits; writeOff 0.35; partial 0.30 beta(mean 0.35, sd 0.25); success lognormal(median 4, sigma 0.6);",
        "      years held uniform [1,5] / [2,7] / [3,8] by band. (1% of this lognormal lies below 1x: those exits read as partial.)",
    ])
    w.writerow(["multiple", "years", "stage", "sector"])
    for stage, n, q, r, partial, law, years in STAGES:
        for _ in range(n):
            u = random.random()
            band = 0 if u < q else 1 if u < q + r else 2
            m = 0.0 if band == 0 else beta(*partial) if band == 1 else success(law)
            lo, hi = years[band]
            w.writerow([f"{m:.4f}", f"{random.uniform(lo, hi):.2f}", stage, random.choice(SECTORS)])

# Default history per grade: (grade, annual pd, asset correlation rho, loans per year).
GRADES = [("A", 0.01, 0.08, 3000), ("B", 0.04, 0.15, 1500)]
YEARS = range(2000, 2025)

with open("defaults-synthetic.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    comment_lines(f, [
        "SYNTHETIC DATA, not a real default history: drawn by make_fit_examples.py (seed 1) from a one-factor",
        "Vasicek model, one independent factor draw per year: grade A pd 0.01 rho 0.08, about 3000 loans a year;",
        "grade B pd 0.04 rho 0.15, about 1500 loans a year; 2000-2024.",
    ])
    w.writerow(["year", "loans", "defaults", "grade"])
    for grade, pd, rho, loans in GRADES:
        for year in YEARS:
            z = random.gauss(0, 1)
            p = N.cdf((N.inv_cdf(pd) - math.sqrt(rho) * z) / math.sqrt(1 - rho))
            n = int(loans * random.uniform(0.8, 1.2))
            d = sum(random.random() < p for _ in range(n))
            w.writerow([year, n, d, grade])
