#!/usr/bin/env bash
# Variance reduction of Sobol points or Latin hypercubes for the factors (docs/precision.md, "Quasi-Monte Carlo"): each
# example is run with "simulation": { "sampling": "<method>" } (variants, sweeps, sensitivity, importance sampling and precision targets
# removed) on 32,768 trials, and each key figure's (plain standard error / Sobol standard error)² is printed from
# summary.json's quasiRandom block; then tech-sme-4222 is run on 10 seeds with each method (16,384 trials) and the
# variance of its figures over the seeds compared. Usage: bench/qmc-variance.sh [simulator command] [sobol|lhs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sim="${1:-$root/simulator}"
method="${2:-sobol}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$root" "$work" "$method" <<'PY'
import json, sys
root, work, method = sys.argv[1], sys.argv[2], sys.argv[3]
for n in ['tech-sme-4222', 'wuhan-seed-angel', 'combined-programme', 'sector-programme', 'rare-tail-pool']:
    src = '\n'.join(l for l in open(f'{root}/scenarios/{n}.json', encoding='utf-8').read().splitlines() if not l.lstrip().startswith('//'))
    d = json.loads(src)
    for k in ('variants', 'sweep', 'sensitivity'): d.pop(k, None)
    for k in ('importanceSampling', 'precision'): d['simulation'].pop(k, None)
    d['simulation']['sampling'] = method
    json.dump(d, open(f'{work}/{n}.json', 'w', encoding='utf-8'), ensure_ascii=False)
    if n == 'tech-sme-4222':
        for m in ('random', method):
            d['simulation']['sampling'] = m
            d['name'] = f'{m}-4222'
            json.dump(d, open(f'{work}/seeds-{m}.json', 'w', encoding='utf-8'), ensure_ascii=False)
PY
for n in tech-sme-4222 wuhan-seed-angel combined-programme sector-programme rare-tail-pool; do
  $sim run "$work/$n.json" --trials 32768 --trials-format none --out "$work/out" >/dev/null
done
for seed in 1 2 3 4 5 6 7 8 9 10; do
  for m in random $method; do
    $sim run "$work/seeds-$m.json" --trials 16384 --seed $seed --trials-format none --out "$work/seeds/$seed" >/dev/null
  done
done
python3 - "$work" "$method" <<'PY'
import json, sys, statistics
work, method = sys.argv[1], sys.argv[2]
name = 'Sobol' if method == 'sobol' else 'LHS'
print(f'| scenario | figure | estimate | {name} SE | plain SE | variance ratio |')
print('|---|---|---:|---:|---:|---:|')
for n in ['tech-sme-4222', 'wuhan-seed-angel', 'combined-programme', 'sector-programme', 'rare-tail-pool']:
    for f in json.load(open(f'{work}/out/{n}/summary.json'))['quasiRandom']['figures']:
        if f.get('varianceReduction') is None: continue
        print(f"| {n} | {f['figure']} | {f['estimate']:.5g} | {f['standardError']:.3g} | {f['plainStandardError']:.3g} | {f['varianceReduction']:.1f} |")
print()
print(f'Over 10 seeds (16,384 trials each): variance of the estimates, plain / {name}')
print(f'| figure | plain sd over seeds | {name} sd over seeds | variance ratio | mean reported {name} SE |')
print('|---|---:|---:|---:|---:|')
def figures(m, seed):
    g = json.load(open(f'{work}/seeds/{seed}/{m}-4222/summary.json'))['guarantees'][0]
    return {'meanLoss': g['loss']['mean'], 'governmentCost': g['governmentCost']['mean'], 'exhaustionProbability': g['governmentExhausted']['probability']}
runs = {m: [figures(m, s) for s in range(1, 11)] for m in ('random', method)}
ses = {}
for s in range(1, 11):
    for f in json.load(open(f'{work}/seeds/{s}/{method}-4222/summary.json'))['quasiRandom']['figures']:
        ses.setdefault(f['figure'].split('.')[-1], []).append(f['standardError'])
for k in runs['random'][0]:
    a = [r[k] for r in runs['random']]; b = [r[k] for r in runs[method]]
    sa, sb = statistics.stdev(a), statistics.stdev(b)
    print(f"| {k} | {sa:.3g} | {sb:.3g} | {(sa / sb) ** 2:.1f} | {statistics.mean(ses.get(k, [float('nan')])):.3g} |")
PY
