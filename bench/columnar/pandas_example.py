#!/usr/bin/env python3
"""The pandas example of docs/columnar-output.md, run as written on a result folder's trial table.

Usage: /usr/bin/python3 bench/columnar/pandas_example.py TABLE [SCHEME]
  TABLE   a trials.parquet (read with pd.read_parquet, as the doc's example) or a trials.csv (pd.read_csv: the same
          group-by on the same values, for a machine without a Parquet engine for pandas)
  SCHEME  the guarantee scheme's name (default tech-sme-4222, the doc's)

Prints, per year the pool ran dry (0: never), the mean loss, government and bank payments in million CNY, as CSV with
every double in full (repr), so a test can compare them with the same means computed from trials.csv.
Exit 0 with a line "SKIP: <reason>" when pandas, or for a Parquet file a Parquet engine (pyarrow or fastparquet),
is not importable: the example cannot run there, and the caller says so instead of failing.
"""
import sys


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    table = sys.argv[1]
    s = sys.argv[2] if len(sys.argv) == 3 else "tech-sme-4222"
    try:
        import pandas as pd
    except ImportError as e:
        print(f"SKIP: pandas is not importable by {sys.executable} ({e})")
        return 0
    if table.endswith(".parquet"):
        engines = []
        for name in ("pyarrow", "fastparquet"):
            try:
                __import__(name)
                engines.append(name)
            except ImportError:
                pass
        if not engines:
            print(f"SKIP: pandas {pd.__version__} has no Parquet engine here (neither pyarrow nor fastparquet is importable by "
                  f"{sys.executable}); pd.read_parquet cannot run")
            return 0
        # The doc's example, line for line (with the scheme's name for tech-sme-4222).
        t = pd.read_parquet(table)
    else:
        t = pd.read_csv(table)
    means = t.groupby(f"{s}.exhaustedYear")[[f"{s}.loss", f"{s}.government", f"{s}.bank"]].mean() / 1e6
    print("exhaustedYear,trials,loss,government,bank")
    counts = t.groupby(f"{s}.exhaustedYear").size()
    for year, row in means.iterrows():
        print(f"{int(year)},{int(counts[year])},{row[f'{s}.loss']!r},{row[f'{s}.government']!r},{row[f'{s}.bank']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
