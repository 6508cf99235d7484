#!/usr/bin/python3
"""NumPy reference of a guarantee scheme on a loan tape (bench/scenarios/tapes/, issue 19).

The model, as Simulator defines it (docs/model.md sections 3 and 7) for the benchmark tapes built by
bench/make-tapes.py: every loan has its own amount, PD, LGD, start year and term, and one factor
"macro" (persistence 0, so Z_t iid N(0, 1)) with the loan's asset correlation rho (loading sqrt(rho));
a loan is on the books in years start .. start + term - 1, and a defaulted loan leaves the book;
losses shared bank 50% / government 50% without limits. Per trial: the total loss and the defaults.

The formulation is the usual vectorised one (conditional independence): loans with equal (PD, rho)
form a class; per chunk of trials draw the year factors, turn them into one conditional PD per trial,
year and class,
    p_ct = Phi((Phi^-1(pd_c) - sqrt(rho_c) Z_t) / sqrt(1 - rho_c)),
then for each year draw one uniform per loan on the books and trial, gather each loan's class PD,
compare, and sum the defaulted loans' amount x LGD. A loan that defaulted still
draws in the later years of its term (the draws are ignored), so each trial costs exactly the tape's
loan-years in uniforms; the rate counts these loan-years, like bench/run.sh does for Simulator.

Random numbers: NumPy's default Generator (PCG64) seeded with --seed; one thread.
Output (--out): CSV with columns trial, NAME.loss, NAME.bank, NAME.government, NAME.defaults (the
names of Simulator's trials.csv, NAME = the tape's file name without .csv or --name). It prints the exact
means of the loss and of the defaults (EXACT lines), which compare.py tests both samples against.
"""

import time

START = time.perf_counter()

import argparse  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from special import norm_cdf, norm_ppf  # noqa: E402

SHARE_BANK = 0.5
SHARE_GOVERNMENT = 0.5


def read_tape(path):
    """amount, pd, lgd, term, start, rho of every loan (columns as bench/make-tapes.py writes them)."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    wanted = ["amount", "pd", "lgd", "termYears", "startYear", "rho"]
    columns = [header.index(c) for c in wanted]
    table = np.loadtxt(path, delimiter=",", skiprows=1, usecols=columns, dtype=np.float64, ndmin=2)
    amount, pd, lgd, term, start, rho = (table[:, k] for k in range(6))
    return amount, pd, lgd, term.astype(np.int64), start.astype(np.int64), rho


def simulate(tape, trials, seed, chunk_elements):
    """Loss and defaults of each trial."""
    amount, pd, lgd, term, start, rho = tape
    last = start + term - 1
    years = int(last.max())
    keys, cls = np.unique(np.column_stack([pd, rho]), axis=0, return_inverse=True)
    cls = cls.reshape(-1)
    pd_quantile = norm_ppf(keys[:, 0])
    loading = np.sqrt(keys[:, 1])
    scale = 1.0 / np.sqrt(1.0 - keys[:, 1])
    loss_of = amount * lgd
    on_books = [np.flatnonzero((start <= t) & (last >= t)) for t in range(1, years + 1)]
    one_year = years == 1
    widest = max(len(i) for i in on_books)
    chunk = max(1, chunk_elements // widest)

    rng = np.random.default_rng(seed)
    loss = np.empty(trials)
    defaults = np.empty(trials, dtype=np.int64)
    for first in range(0, trials, chunk):
        c = min(chunk, trials - first)
        z = rng.standard_normal((c, years))
        chunk_loss = np.zeros(c)
        chunk_defaults = np.zeros(c, dtype=np.int64)
        alive = None if one_year else np.ones((c, len(amount)), dtype=bool)
        for t in range(years):
            books = on_books[t]
            if len(books) == 0:
                continue
            # (c, classes) conditional PDs, then each loan's by its class.
            p = norm_cdf((pd_quantile[None, :] - loading[None, :] * z[:, t, None]) * scale[None, :])
            hit = rng.random((c, len(books))) < p[:, cls[books]]
            if alive is not None:
                hit &= alive[:, books]
                alive[:, books] &= ~hit
            chunk_loss += np.where(hit, loss_of[books], 0.0).sum(axis=1)  # a bool matrix @ floats is 10x slower
            chunk_defaults += np.count_nonzero(hit, axis=1)
        loss[first:first + c] = chunk_loss
        defaults[first:first + c] = chunk_defaults
    return loss, defaults


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tape", help="the loan tape (CSV)")
    parser.add_argument("--name", help="the scheme's name in the column names (default: the tape's file name)")
    parser.add_argument("--trials", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk-elements", type=int, default=2_500_000,
                        help="uniforms drawn at once (default 2,500,000: 20 MB); trials per chunk = this / loans on the books")
    parser.add_argument("--out", help="CSV of per-trial figures")
    args = parser.parse_args()
    name = args.name or os.path.splitext(os.path.basename(args.tape))[0]

    clock = time.perf_counter()
    tape = read_tape(args.tape)
    read_seconds = time.perf_counter() - clock
    clock = time.perf_counter()
    loss, defaults = simulate(tape, args.trials, args.seed, args.chunk_elements)
    simulation_seconds = time.perf_counter() - clock

    if args.out:
        table = np.column_stack([np.arange(1, args.trials + 1), loss, SHARE_BANK * loss, SHARE_GOVERNMENT * loss, defaults])
        np.savetxt(args.out, table, delimiter=",", fmt=["%d", "%.17g", "%.17g", "%.17g", "%d"],
                   header=f"trial,{name}.loss,{name}.bank,{name}.government,{name}.defaults", comments="")
    whole_seconds = time.perf_counter() - START

    amount, pd, lgd, term, _, _ = tape
    ever = 1.0 - (1.0 - pd) ** term  # a loan defaults at most once, within its term
    loan_years = float(args.trials) * float(term.sum())
    print(f"numpy tape {name}: {len(amount)} loans, {int(term.sum())} loan-years; {args.trials} trials, seed {args.seed}; "
          f"mean loss {loss.mean():.6g} (exact {float(np.sum(amount * lgd * ever)):.6g}), "
          f"mean defaults {defaults.mean():.2f} (exact {float(ever.sum()):.2f})")
    print(f"  read tape:  {read_seconds:.3f} s")
    print(f"  simulation: {simulation_seconds:.3f} s, {loan_years / simulation_seconds / 1e6:.1f} M loan-years/s")
    print(f"  whole run:  {whole_seconds:.3f} s, {loan_years / whole_seconds / 1e6:.1f} M loan-years/s "
          f"(from the script's first line; interpreter start-up not included)")
    print(f"EXACT {name}.loss {float(np.sum(amount * lgd * ever)):.17g}")
    print(f"EXACT {name}.defaults {float(ever.sum()):.17g}")
    print(f"RATE tape.simulation {loan_years / simulation_seconds:.6g}")
    print(f"RATE tape.whole {loan_years / whole_seconds:.6g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
