#!/usr/bin/python3
"""NumPy reference of the benchmark programme (bench/scenarios/programme.json).

The model, as Simulator defines it (docs/model.md sections 3-6, docs/outcome-models.md,
src/Simulator.Core/Funds/OutcomePresets.cs and FundEvaluator.cs):
  20 funds f1..f20, odd ones on the `angel` preset, even ones on `seed`; 50 projects each, check 1e7
  (fixed), commitment 6e8; defaults: 4 investment years, 10-year life, government share 0.5, no fees,
  no concession; one factor "macro" with persistence 0 and loading b = 0.4 for every fund.

Per trial:
  factor Z_t ~ AR(1) (iid N(0, 1) at persistence 0), years 1..6;
  project k (0-based) is made in year y_k = 1 + floor(4 k / 50);
  window draw S(y) = (Z_y + Z_{y+1} + Z_{y+2}) / sqrt(V(phi, 3)), V = Var(Z_1 + Z_2 + Z_3);
  latent X = b S(y_k) + sqrt(1 - b^2) eps, eps ~ N(0, 1); U = Phi(X);
  band: U < q write-off (M = 0); U < q + r partial, M = beta quantile at (U - q) / r;
        else success, M = min(cap, x_m (1 - v)^(-1/alpha)) with v = (U - q - r) / (1 - q - r)
        (relative positions clamped to [1e-17, 1 - 1e-16] as in Simulator);
  fund loss ratio = max(0, 1 - sum M / 50) (all checks equal); breach when > tolerance + 1e-9
  (seed 0.8, angel 0.6); programme loss ratio = max(0, 1 - sum over all 1,000 projects of M / 1,000),
  breach against the invested-weighted tolerance (0.7 here) + 1e-9.
Returns (skipped with --no-returns): exit year = min(10, y + round(max(0, a + (b - a) u))) with the
  band's uniform [a, b] exit law, halves rounded up; yearly LP flows = proceeds - checks (no fees, so
  the waterfall hands every proceed to the LPs and the government and private LPs get the same
  multiple and IRR); net multiple = sum proceeds / sum checks; net IRR by Simulator's method (a
  49-point geometric grid of 1 + r from 1001 down to 1e-9 scanned from the top for the first sign
  change of the NPV, then bisection to a relative width of 1e-12; -1 when nothing is received).

Differences from Simulator that do not change the law: eps is drawn with NumPy's standard_normal
(ziggurat) instead of Phi^-1 of a uniform; the check uniform is not drawn (the check is fixed);
Phi and the beta quantile are the NumPy-only versions of special.py (errors below 1e-13 and 4e-8).
Random numbers: NumPy's default Generator (PCG64) seeded with --seed; one thread.
Output (--out): CSV with Simulator's trials.csv names: trial, f<i>.lossRatio, f<i>.breach,
f<i>.netMultiple.privateLp, f<i>.netIrr.privateLp (the last two unless --no-returns),
programme.lossRatio, programme.breach.
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
from special import BetaQuantile, norm_cdf  # noqa: E402

FUNDS = 20
DEALS = 50
INVESTMENT_YEARS = 4
LIFE = 10
LOADING = 0.4
PERSISTENCE = 0.0
BREACH_EPSILON = 1e-9

# The presets of src/Simulator.Core/Funds/OutcomePresets.cs.
PRESETS = {
    "angel": dict(write_off=0.30, partial=0.22, beta=(0.30, 0.20), pareto=(1.0, 0.84), cap=25.0,
                  window=3, exits=((1, 4), (2, 6), (3, 8)), tolerance=0.6),
    "seed": dict(write_off=0.45, partial=0.25, beta=(0.25, 0.20), pareto=(1.0, 0.90), cap=30.0,
                 window=3, exits=((1, 4), (2, 7), (4, 9)), tolerance=0.8),
}
FUND_PRESET = ["angel" if i % 2 == 1 else "seed" for i in range(1, FUNDS + 1)]  # f1 angel, f2 seed, ...

PROJECT_YEAR = 1 + (np.arange(DEALS) * INVESTMENT_YEARS) // DEALS  # 13, 12, 13, 12 projects in years 1..4
CHECKS_PER_YEAR = np.bincount(PROJECT_YEAR - 1, minlength=LIFE).astype(np.float64)  # in units of one check

# Simulator's IRR grid: 1 + r from 1001 down to 1e-9 in 48 geometric steps.
IRR_GRID = np.exp(6.908754779315221 + (-20.72326583694641 - 6.908754779315221) * np.arange(49) / 48) - 1.0
IRR_DISCOUNT = (1.0 + IRR_GRID)[None, :] ** -np.arange(1, LIFE + 1, dtype=np.float64)[:, None]  # (LIFE, 49)


def window_variance(phi, w):
    """Var(Z_1 + ... + Z_w) of a unit-variance AR(1)."""
    return w + 2.0 * sum((w - d) * phi ** d for d in range(1, w))


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


def npv(flows, rate):
    """sum_t flows[:, t] / (1 + rate)^(t + 1), one rate per row (Horner)."""
    d = 1.0 / (1.0 + rate)
    v = np.zeros(flows.shape[0])
    for t in range(flows.shape[1] - 1, -1, -1):
        v = (v + flows[:, t]) * d
    return v


def irr(flows):
    """Simulator's IRR (src/Simulator.Core/Instruments/Irr.cs), vectorised over the rows of flows."""
    paid = -np.minimum(flows, 0.0).sum(axis=1)
    received = np.maximum(flows, 0.0).sum(axis=1)
    result = np.full(flows.shape[0], np.nan)
    result[(paid > 0) & (received <= 0)] = -1.0
    rows = np.flatnonzero((paid > 0) & (received > 0))
    f = flows[rows]
    values = f @ IRR_DISCOUNT  # NPV at every grid point, (rows, 49)
    positive = values > 0
    event = (positive[:, 1:] != positive[:, :-1]) | (values[:, 1:] == 0)
    found = event.any(axis=1)
    i = np.argmax(event, axis=1) + 1  # first grid point below a sign change (or an exact zero)
    lo, hi = IRR_GRID[i], IRR_GRID[i - 1]
    npv_lo = values[np.arange(rows.size), i]
    for _ in range(200):
        active = (hi - lo > 1e-12 * np.maximum(1.0, np.abs(lo))) & (npv_lo != 0)
        if not active.any():
            break
        mid = 0.5 * (lo + hi)
        v = npv(f, mid)
        same = (v > 0) == (npv_lo > 0)
        lo = np.where(active & same, mid, lo)
        npv_lo = np.where(active & same, v, npv_lo)
        hi = np.where(active & ~same, mid, hi)
    root = np.where(npv_lo == 0, lo, 0.5 * (lo + hi))
    result[rows] = np.where(found, root, np.nan)
    return result


class Preset:
    """One outcome model with its beta table."""

    def __init__(self, p):
        self.q, self.r = p["write_off"], p["partial"]
        self.beta = BetaQuantile(*p["beta"])
        self.x_m, self.alpha = p["pareto"]
        self.cap = p["cap"]
        self.window = p["window"]
        self.exits = p["exits"]
        self.tolerance = p["tolerance"]

    def multiples(self, u):
        """Band (0 write-off, 1 partial, 2 success) and multiple for an array of U = Phi(X)."""
        q, r = self.q, self.r
        band = (u >= q).astype(np.int8) + (u >= q + r)
        m = np.zeros_like(u)
        partial = band == 1
        m[partial] = self.beta(np.clip((u[partial] - q) / r, 1e-17, 1 - 1e-16))
        success = band == 2
        v = np.clip((u[success] - q - r) / (1 - q - r), 1e-17, 1 - 1e-16)
        m[success] = np.minimum(self.x_m * (1.0 - v) ** (-1.0 / self.alpha), self.cap)
        return band, m

    def exit_years(self, band, u_exit):
        """Exit year of each project: investment year + rounded draw from its band's uniform law, capped at the life."""
        low = np.array([e[0] for e in self.exits], dtype=np.float64)[band]
        high = np.array([e[1] for e in self.exits], dtype=np.float64)[band]
        after = np.floor(np.maximum(0.0, low + (high - low) * u_exit) + 0.5).astype(np.int64)
        return np.minimum(LIFE, PROJECT_YEAR + after)


def simulate(trials, seed, chunk, returns):
    rng = np.random.default_rng(seed)
    presets = {name: Preset(p) for name, p in PRESETS.items()}
    funds_of = {name: [f for f in range(FUNDS) if FUND_PRESET[f] == name] for name in presets}
    window = 3
    assert all(p.window == window for p in presets.values())
    scale = 1.0 / math.sqrt(window_variance(PERSISTENCE, window))
    idiosyncratic = math.sqrt(1.0 - LOADING * LOADING)

    multiple_sum = np.empty((trials, FUNDS))
    net_irr = np.full((trials, FUNDS), np.nan)
    for start in range(0, trials, chunk):
        c = min(chunk, trials - start)
        z = factor_paths(rng, c, INVESTMENT_YEARS + window - 1, PERSISTENCE)
        s = np.stack([z[:, y:y + window].sum(axis=1) for y in range(INVESTMENT_YEARS)], axis=1) * scale  # (c, 4)
        systematic = LOADING * s[:, PROJECT_YEAR - 1]  # (c, DEALS)
        for name, preset in presets.items():
            funds = funds_of[name]
            x = systematic[:, None, :] + idiosyncratic * rng.standard_normal((c, len(funds), DEALS))
            band, m = preset.multiples(norm_cdf(x))
            multiple_sum[start:start + c, funds] = m.sum(axis=2)
            if returns:
                exit_year = preset.exit_years(band, rng.random(m.shape))
                cell = np.arange(c * len(funds))[:, None] * LIFE + (exit_year.reshape(-1, DEALS) - 1)
                proceeds = np.bincount(cell.ravel(), weights=m.ravel(), minlength=c * len(funds) * LIFE)
                flows = proceeds.reshape(-1, LIFE) - CHECKS_PER_YEAR  # per check of 1e7; scale-free
                net_irr[start:start + c, funds] = irr(flows).reshape(c, len(funds))
    return multiple_sum, net_irr


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=1024, help="trials per chunk (default 1024)")
    parser.add_argument("--no-returns", action="store_true", help="loss ratios only: no exit years, net multiples or IRRs")
    parser.add_argument("--out", help="CSV of per-trial figures")
    args = parser.parse_args()
    returns = not args.no_returns

    clock = time.perf_counter()
    multiple_sum, net_irr = simulate(args.trials, args.seed, args.chunk, returns)
    loss_ratio = np.maximum(0.0, 1.0 - multiple_sum / DEALS)
    tolerance = np.array([PRESETS[p]["tolerance"] for p in FUND_PRESET])
    breach = loss_ratio > tolerance + BREACH_EPSILON
    programme = np.maximum(0.0, 1.0 - multiple_sum.sum(axis=1) / (DEALS * FUNDS))
    programme_tolerance = tolerance.mean()  # invested-weighted; every fund invests 50 checks
    programme_breach = programme > programme_tolerance + BREACH_EPSILON
    simulation_seconds = time.perf_counter() - clock

    if args.out:
        columns, formats, header = [np.arange(1, args.trials + 1)], ["%d"], ["trial"]
        for f in range(FUNDS):
            columns += [loss_ratio[:, f], breach[:, f]]
            formats += ["%.17g", "%d"]
            header += [f"f{f + 1}.lossRatio", f"f{f + 1}.breach"]
            if returns:
                columns += [multiple_sum[:, f] / DEALS, net_irr[:, f]]
                formats += ["%.17g", "%.17g"]
                header += [f"f{f + 1}.netMultiple.privateLp", f"f{f + 1}.netIrr.privateLp"]
        columns += [programme, programme_breach]
        formats += ["%.17g", "%d"]
        header += ["programme.lossRatio", "programme.breach"]
        np.savetxt(args.out, np.column_stack(columns), delimiter=",", fmt=formats, header=",".join(header), comments="")
    whole_seconds = time.perf_counter() - START

    projects = float(args.trials) * FUNDS * DEALS
    what = "loss ratios and returns" if returns else "loss ratios only"
    print(f"numpy programme ({what}): {args.trials} trials, seed {args.seed}, chunk {args.chunk}")
    for name in PRESETS:
        cols = [f for f in range(FUNDS) if FUND_PRESET[f] == name]
        print(f"  {name} funds: mean loss ratio {loss_ratio[:, cols].mean():.4f}, "
              f"P(breach) {breach[:, cols].mean():.4f}")
    print(f"  programme: mean loss ratio {programme.mean():.4f}, P(breach) {programme_breach.mean():.5f}")
    print(f"  simulation: {simulation_seconds:.3f} s, {projects / simulation_seconds / 1e6:.2f} M projects/s")
    print(f"  whole run:  {whole_seconds:.3f} s, {projects / whole_seconds / 1e6:.2f} M projects/s "
          f"(from the script's first line; interpreter start-up not included)")
    print(f"RATE programme.simulation {projects / simulation_seconds:.6g}")
    print(f"RATE programme.whole {projects / whole_seconds:.6g}")


if __name__ == "__main__":
    main()
