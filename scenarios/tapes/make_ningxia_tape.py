#!/usr/bin/env python3
"""Writes ningxia-ningkedai.csv, an illustrative loan tape for the Ningxia 宁科贷 example.

Not real borrower data: 899 loans sized so that the book totals about 5.965 billion CNY, the amount the
2024 bulletin reports for 899 firms. PDs and factor loadings vary by an assumed firm type. Deterministic
(fixed seed), so the committed CSV can be regenerated exactly: python3 make_ningxia_tape.py
"""
import csv
import math
import random

random.seed(20240101)
TYPES = [  # (share of firms, annual pd, macro loading, sector loading, median amount)
    ("tech-sme", 0.55, 0.025, 0.35, 0.30, 5.0e6),
    ("specialised", 0.30, 0.018, 0.30, 0.25, 8.0e6),
    ("start-up", 0.15, 0.045, 0.40, 0.35, 3.0e6),
]
rows = []
for i in range(899):
    u = random.random()
    acc = 0.0
    for name, share, pd, macro, sector, median in TYPES:
        acc += share
        if u <= acc:
            break
    amount = min(3.0e7, median * math.exp(0.6 * random.gauss(0, 1)))
    rows.append([f"NX{i + 1:04d}", amount, pd, 0.55, random.choice([1, 2, 3]), random.choice([1, 1, 2, 2, 3]), macro, sector])
scale = 5.965e9 / sum(r[1] for r in rows)
with open("ningxia-ningkedai.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "amount", "pd", "lgd", "termYears", "startYear", "macro", "manufacturing"])
    for r in rows:
        r[1] = round(r[1] * scale, -3)
        w.writerow(r)
