#!/usr/bin/python3
"""NumPy reference of the benchmark guarantee pool (bench/scenarios/pool.json).

The model, as Simulator defines it (docs/model.md sections 3 and 7):
  10,000 loans, all issued in year 1, 5-year bullet term, amount 1, PD 2% a year, LGD 0.6;
  one factor "macro" with persistence 0 (so Z_t iid N(0, 1) for t = 1..5), loading b = 0.4
  (asset correlation b^2 = 0.16); a defaulted loan leaves the book; losses shared bank 0.8 /
  government 0.2 with no limits. Per trial: the total loss over the 5 years.

The formulation is the usual vectorised one (conditional independence): per chunk of trials draw
the year factors, turn them into one conditional PD per trial and year,
    p_t = Phi((Phi^-1(pd) - b Z_t) / sqrt(1 - b^2)),
then for each year draw one uniform per loan and trial and keep a loan alive while u >= p_t.
A loan that defaulted draws uniforms in later years too (they are ignored), so each trial costs
exactly 10,000 x 5 uniforms; the rate counts these 50,000 loan-years per trial, like `simulator bench`.

--method binomial replaces the loans by their exact count: given the factors a loan defaults within
the term with probability 1 - prod_t (1 - p_t), so defaults ~ Binomial(10,000, that). Same
distribution, no per-loan work: a lower bound on what any per-loan engine can be compared with,
not a like-for-like rate.

Random numbers: NumPy's default Generator (PCG64) seeded with --seed; one thread.
Output (--out): CSV with columns trial, pool.loss, pool.bank, pool.government, pool.defaults
(the names of Simulator's trials.csv).
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

LOANS = 10_000
YEARS = 5
PD = 0.02
LGD = 0.6
LOADING = 0.4
PERSISTENCE = 0.0
SHARE_BANK = 0.8
SHARE_GOVERNMENT = 0.2


def factor_paths(rng, trials, years, phi):
    """AR(1) factor paths starting in the stationary law: every Z_t is N(0, 1)."""
    eta = rng.standard_normal((trials, years))
    if phi == 0.0:
        return eta
    z = np.empty_like(eta)
    z[:, 0] = eta[:, 0]
    for t in range(1, years):
        z[:, t] = phi * z[:, t - 1] + math.sqrt(1.0 - phi * phi) * eta[:, t]
    return z


def conditional_pd(z):
    """Default probability of a loan in each trial and year given the factor level."""
    threshold = norm_ppf(np.array([PD]))[0]
    return norm_cdf((threshold - LOADING * z) / math.sqrt(1.0 - LOADING * LOADING))


def simulate(trials, seed, chunk, method):
    """Number of defaults in each trial."""
    rng = np.random.default_rng(seed)
    defaults = np.empty(trials, dtype=np.int64)
    uniforms = np.empty((chunk, LOANS))
    survives = np.empty((chunk, LOANS), dtype=bool)
    alive = np.empty((chunk, LOANS), dtype=bool)
    for start in range(0, trials, chunk):
        c = min(chunk, trials - start)
        p = conditional_pd(factor_paths(rng, c, YEARS, PERSISTENCE))  # (c, YEARS)
        if method == "binomial":
            defaults[start:start + c] = rng.binomial(LOANS, 1.0 - np.prod(1.0 - p, axis=1))
            continue
        u, s, a = uniforms[:c], survives[:c], alive[:c]
        a.fill(True)
        for t in range(YEARS):
            rng.random(out=u)
            np.greater_equal(u, p[:, t, None], out=s)
            a &= s
        defaults[start:start + c] = LOANS - np.count_nonzero(a, axis=1)
    return defaults


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=32, help="trials per chunk (default 32: 2.5 MB of uniforms)")
    parser.add_argument("--method", choices=("uniform", "binomial"), default="uniform")
    parser.add_argument("--out", help="CSV of per-trial figures")
    args = parser.parse_args()

    clock = time.perf_counter()
    defaults = simulate(args.trials, args.seed, args.chunk, args.method)
    simulation_seconds = time.perf_counter() - clock

    loss = LGD * defaults
    if args.out:
        table = np.column_stack([np.arange(1, args.trials + 1), loss, SHARE_BANK * loss, SHARE_GOVERNMENT * loss, defaults])
        np.savetxt(args.out, table, delimiter=",", fmt=["%d", "%.17g", "%.17g", "%.17g", "%d"],
                   header="trial,pool.loss,pool.bank,pool.government,pool.defaults", comments="")
    whole_seconds = time.perf_counter() - START

    loan_years = float(args.trials) * LOANS * YEARS
    exact_mean = LGD * LOANS * (1.0 - (1.0 - PD) ** YEARS)
    print(f"numpy pool ({args.method}): {args.trials} trials, seed {args.seed}, chunk {args.chunk}; "
          f"mean loss {loss.mean():.2f} (exact {exact_mean:.2f}), sd {loss.std(ddof=1):.2f}")
    print(f"  simulation: {simulation_seconds:.3f} s, {loan_years / simulation_seconds / 1e6:.1f} M loan-years/s")
    print(f"  whole run:  {whole_seconds:.3f} s, {loan_years / whole_seconds / 1e6:.1f} M loan-years/s "
          f"(from the script's first line; interpreter start-up not included)")
    print(f"RATE pool.simulation {loan_years / simulation_seconds:.6g}")
    print(f"RATE pool.whole {loan_years / whole_seconds:.6g}")


if __name__ == "__main__":
    main()
