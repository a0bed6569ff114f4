"""``make bench``: every benchmark, each database, one table of figures with baselines.

SQLite always runs (a throwaway file under var/bench/); PostgreSQL runs when
BENCH_DATABASE_URL is set (scripts/bench.sh sets it after starting a local server).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

TARGET_ROWS_PER_S = 100_000
TARGET_SHARE_OF_BARE = 0.40


def run(database_url: str, rows: int) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0"}
    output = subprocess.run(
        [sys.executable, "-m", "bench.import_throughput", "--rows", str(rows)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    rows = int(os.environ.get("BENCH_ROWS", "1000000"))
    Path("var/bench").mkdir(parents=True, exist_ok=True)
    sqlite_file = Path(tempfile.mkdtemp(dir="var/bench")) / "bench.sqlite3"
    targets = [("SQLite", f"sqlite:///{sqlite_file.resolve()}")]
    if os.environ.get("BENCH_DATABASE_URL"):
        targets.append(("PostgreSQL", os.environ["BENCH_DATABASE_URL"]))
    print(f"Import throughput, {rows:,} interactions (best of 2 runs; same run, same machine)")
    columns = (
        "database",
        "import rows/s",
        "bare rows/s",
        "import/bare",
        "re-import rows/s",
        "re-import added",
        "target",
        "bare 80-row rows/s",
    )
    widths = (11, 14, 12, 12, 17, 16, 8, 19)
    print(" ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    for name, url in targets:
        f = run(url, rows)
        imported, bare = float(f["import_rows_per_s"]), float(f["bare_rows_per_s"])
        share = imported / bare
        met = imported >= TARGET_ROWS_PER_S and share >= TARGET_SHARE_OF_BARE
        cells = (
            name,
            f"{imported:,.0f}",
            f"{bare:,.0f}",
            f"{share:.0%}",
            f"{float(f['reimport_rows_per_s']):,.0f}",
            str(f["reimport_added"]),
            "met" if met else "NOT met",
            f"{f['bare_multirow_rows_per_s']:,.0f}" if f["bare_multirow_rows_per_s"] else "-",
        )
        print(" ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True)))
    shutil.rmtree(sqlite_file.parent, ignore_errors=True)
    print(
        f"Target: >= {TARGET_ROWS_PER_S:,} rows/s and >= {TARGET_SHARE_OF_BARE:.0%} "
        "of the bare insert (executemany on SQLite, COPY on PostgreSQL).\n"
        "The last column is SQLite's bare insert done the importer's way (80 rows per "
        "statement): shown for transparency, not the baseline the target names."
    )


if __name__ == "__main__":
    main()
