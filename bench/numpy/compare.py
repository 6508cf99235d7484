#!/usr/bin/python3
"""Statistical agreement between Simulator's trials.csv and a NumPy reference CSV.

The two programs use different random numbers, so they can only agree in law. For every column
that matches --columns (fnmatch patterns, default: every column both files have except `trial`)
this compares the two samples A (Simulator, n trials) and B (NumPy, m trials):

  mean      z = (mean_A - mean_B) / sqrt(s_A^2 / n + s_B^2 / m)
  p50, p90, p99
            the quantile as Simulator reports it (the ceil(q n)-th smallest value); its standard
            error from order statistics, without bootstrap: the ranks q n -/+ 1.96 sqrt(n q (1 - q))
            bracket the quantile with about 95% probability, so SE = (x_hi - x_lo) / (2 x 1.96);
            z = difference / sqrt(SE_A^2 + SE_B^2) (0 when both quantiles are equal)
  KS        the two-sample Kolmogorov-Smirnov statistic D = sup |F_A - F_B|, against the critical
            value c(alpha) sqrt((n + m) / (n m)), c(alpha) = sqrt(-ln(alpha / 2) / 2)
            (conservative when the law has atoms, e.g. loss ratios of exactly 0)
  0/1 columns (breach flags) get the mean test only (a difference of two proportions).
  --exact COLUMN=VALUE also tests each sample's mean against a known value.

Every test is judged at alpha / (number of tests) (Bonferroni), so the whole comparison is a test
at family-wise level alpha (default 1%); the unadjusted 1% critical values are printed too.
Empty cells (undefined IRRs) are left out. Exit code 0 when every figure passes, 1 otherwise.
"""

import argparse
import csv
import fnmatch
import math
import sys

import numpy as np

Z95 = 1.959963984540054


def read_columns(path, patterns):
    """The columns of a CSV whose names match any pattern, as float arrays (empty cell: NaN)."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        wanted = [i for i, name in enumerate(header)
                  if name != "trial" and any(fnmatch.fnmatchcase(name, p) for p in patterns)]
        rows = [[row[i] for i in wanted] for row in reader]
    values = np.array([[float(v) if v != "" else np.nan for v in row] for row in rows], dtype=np.float64)
    values = values.reshape(len(rows), len(wanted))
    return {header[i]: values[:, j] for j, i in enumerate(wanted)}


def norm_ppf_upper(p):
    """z with P(N(0, 1) > z) = p, by bisection of math.erfc (a handful of calls)."""
    lo, hi = 0.0, 40.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if 0.5 * math.erfc(mid / math.sqrt(2.0)) > p:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def quantile(sorted_values, q):
    """The ceil(q n)-th smallest value (rank at least 1), as Simulator's statistics."""
    n = sorted_values.size
    rank = max(1, math.ceil(q * n - 1e-9))
    return sorted_values[rank - 1]


def quantile_se(sorted_values, q):
    """Distribution-free standard error of the q-quantile from the order statistics around it."""
    n = sorted_values.size
    half = Z95 * math.sqrt(n * q * (1.0 - q))
    lo = min(n, max(1, math.floor(q * n - half)))
    hi = min(n, max(1, math.ceil(q * n + half)))
    return (sorted_values[hi - 1] - sorted_values[lo - 1]) / (2.0 * Z95)


def ks_statistic(a_sorted, b_sorted):
    """sup |F_A(x) - F_B(x)| over all x (right-continuous empirical CDFs; ties handled)."""
    points = np.concatenate([a_sorted, b_sorted])
    fa = np.searchsorted(a_sorted, points, side="right") / a_sorted.size
    fb = np.searchsorted(b_sorted, points, side="right") / b_sorted.size
    return float(np.max(np.abs(fa - fb)))


def ks_critical(alpha, n, m):
    return math.sqrt(-math.log(alpha / 2.0) / 2.0) * math.sqrt((n + m) / (n * m))


def fmt(x):
    return f"{x:.6g}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("simulator", help="Simulator's trials.csv")
    parser.add_argument("numpy", help="the NumPy reference's CSV")
    parser.add_argument("--columns", nargs="+", default=["*"], help="fnmatch patterns of the columns to compare")
    parser.add_argument("--alpha", type=float, default=0.01, help="family-wise level (default 0.01)")
    parser.add_argument("--exact", action="append", default=[], metavar="COLUMN=VALUE",
                        help="known mean of a column, tested for both samples")
    args = parser.parse_args()

    a_cols = read_columns(args.simulator, args.columns)
    b_cols = read_columns(args.numpy, args.columns)
    names = [c for c in a_cols if c in b_cols]
    if not names:
        print("compare: no common columns match " + " ".join(args.columns), file=sys.stderr)
        return 2
    exact = {}
    for item in args.exact:
        column, value = item.split("=", 1)
        exact[column] = float(value)

    # Plan every test first, so the Bonferroni divisor is known.
    plan = []
    for name in names:
        a = a_cols[name][~np.isnan(a_cols[name])]
        b = b_cols[name][~np.isnan(b_cols[name])]
        binary = np.all((a == 0) | (a == 1)) and np.all((b == 0) | (b == 1))
        figures = ["mean"] if binary else ["mean", "p50", "p90", "p99", "KS"]
        if name in exact:
            figures += ["exact mean (simulator)", "exact mean (numpy)"]
        plan.append((name, np.sort(a), np.sort(b), figures))
    tests = sum(len(f) for _, _, _, f in plan)
    alpha_each = args.alpha / tests
    z_crit = norm_ppf_upper(alpha_each / 2.0)
    z_crit_1 = norm_ppf_upper(0.005)

    print(f"compare {args.simulator} (A, Simulator) with {args.numpy} (B, NumPy)")
    print(f"{tests} tests at family-wise alpha {args.alpha:g} (Bonferroni): each at {alpha_each:.3g}, "
          f"|z| critical {z_crit:.2f} (unadjusted 1%: {z_crit_1:.2f})")
    print(f"{'column':<28}{'figure':<24}{'A (Simulator)':>24}{'B (NumPy)':>24}{'statistic':>12}{'critical':>10}  result")
    failures = 0
    for name, a, b, figures in plan:
        n, m = a.size, b.size
        for figure in figures:
            if figure == "mean":
                se_a, se_b = a.std(ddof=1) / math.sqrt(n), b.std(ddof=1) / math.sqrt(m)
                va, vb = a.mean(), b.mean()
                se = math.hypot(se_a, se_b)
                stat = 0.0 if va == vb else ((va - vb) / se if se > 0 else math.inf)
                crit, label = z_crit, "z"
                shown_a, shown_b = f"{fmt(va)} ± {fmt(se_a)}", f"{fmt(vb)} ± {fmt(se_b)}"
            elif figure.startswith("exact mean"):
                x = a if figure.endswith("(simulator)") else b
                se = x.std(ddof=1) / math.sqrt(x.size)
                stat = (x.mean() - exact[name]) / se if se > 0 else (0.0 if x.mean() == exact[name] else math.inf)
                crit, label = z_crit, "z"
                shown = f"{fmt(x.mean())} ± {fmt(se)}"
                shown_a, shown_b = (shown, f"exact {fmt(exact[name])}") if x is a else (f"exact {fmt(exact[name])}", shown)
            elif figure == "KS":
                stat = ks_statistic(a, b)
                crit, label = ks_critical(alpha_each, n, m), "D"
                shown_a, shown_b = f"n = {n}", f"m = {m}"
                shown_b += f" (1%: {ks_critical(0.01, n, m):.4f})"
            else:
                q = int(figure[1:]) / 100.0
                va, vb = quantile(a, q), quantile(b, q)
                se_a, se_b = quantile_se(a, q), quantile_se(b, q)
                se = math.hypot(se_a, se_b)
                stat = 0.0 if va == vb else ((va - vb) / se if se > 0 else math.inf)
                crit, label = z_crit, "z"
                shown_a, shown_b = f"{fmt(va)} ± {fmt(se_a)}", f"{fmt(vb)} ± {fmt(se_b)}"
            ok = abs(stat) <= crit
            failures += not ok
            print(f"{name:<28}{figure:<24}{shown_a:>24}{shown_b:>24}{label + ' = ' + f'{stat:.3f}':>12}{crit:>10.4g}  "
                  f"{'PASS' if ok else 'FAIL'}")
    print(f"{'PASS' if failures == 0 else 'FAIL'}: {tests - failures} of {tests} figures agree")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
