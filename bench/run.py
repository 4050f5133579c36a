"""The benchmark: N synthetic recommendations, then the main pages timed, on SQLite and PostgreSQL.

    python bench/run.py --count 260000            (what `make bench` runs)
    python bench/run.py --count 20000 --databases sqlite --reuse

Writes bench/results/<date>-<count>.json and bench/results/latest.json and
prints a table. Target (DESIGN.md): p95 under 150 ms per page at 260,000.
The PostgreSQL database is BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/rectrack_bench); it is dropped and rebuilt.
"""

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "var" / "bench"
TARGET_P95_MS = 150
# Pages with their own target (DESIGN.md: "dashboard and statistics under 300 ms").
TARGETS_P95_MS = {"statistics_": 300}


def target_for(page: str) -> int:
    return next((ms for prefix, ms in TARGETS_P95_MS.items() if page.startswith(prefix)), TARGET_P95_MS)


def database_url(vendor: str) -> str:
    if vendor == "sqlite":
        return f"sqlite:///{WORK / 'bench.sqlite3'}"
    return os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/rectrack_bench")


def manage(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only")}
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def generated_count(url: str) -> int:
    try:
        out = manage(url, "shell", "--no-imports", "-c",
                     "from rectrack.recommendations.models import Recommendation as R;"
                     "print(R.objects.filter(source='generated').count())")  # fmt: skip
        return int(out.strip().splitlines()[-1])
    except (SystemExit, ValueError):
        return -1


def reset(vendor: str, url: str) -> None:
    cfg = dj_database_url.parse(url)
    if vendor == "sqlite":
        WORK.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{cfg['NAME']}{suffix}").unlink(missing_ok=True)
        return
    with psycopg.connect(
        host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], password=cfg["PASSWORD"], dbname="postgres",
        autocommit=True,
    ) as conn:  # fmt: skip
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def run_one(vendor: str, count: int, reuse: bool, rounds: int) -> dict:
    url = database_url(vendor)
    generation_seconds = None
    if not (reuse and generated_count(url) == count):
        print(f"[{vendor}] building a fresh database with {count:,} recommendations…", flush=True)
        reset(vendor, url)
        manage(url, "migrate", "--noinput", "-v0")
        started = time.monotonic()
        manage(url, "generate_recommendations", str(count))
        generation_seconds = round(time.monotonic() - started, 1)
    manage(url, "migrate", "--noinput", "-v0")  # a reused database gets new indexes too
    # Statistics for the planner, and (PostgreSQL) the visibility map that
    # index-only scans need, as autovacuum would leave them on a live server.
    if vendor == "postgresql":
        manage(url, "dbshell", "--", "-c", "VACUUM ANALYZE")
    else:
        manage(
            url,
            "shell",
            "--no-imports",
            "-c",
            "from django.db import connection; connection.cursor().execute('ANALYZE')",
        )
    out = WORK / f"measure-{vendor}.json"
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"[{vendor}] timing the pages…", flush=True)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "benchmark-only"}
    subprocess.run(
        [sys.executable, "bench/measure.py", "--out", str(out), "--rounds", str(rounds)], cwd=ROOT, env=env, check=True
    )
    result = json.loads(out.read_text())
    result["_meta"]["generation_seconds"] = generation_seconds
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=260_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--reuse", action="store_true", help="Keep a database that already holds --count generated rows."
    )
    parser.add_argument("--rounds", type=int, default=60, help="Requests per page.")
    args = parser.parse_args()
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "count": args.count,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "target_p95_ms": TARGET_P95_MS,
        "targets_p95_ms": TARGETS_P95_MS,
        "databases": {},
    }
    for vendor in args.databases.split(","):
        report["databases"][vendor] = run_one(vendor, args.count, args.reuse, args.rounds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"{report['date'][:10]}-{args.count}.json"
    for path in (RESULTS / name, RESULTS / "latest.json"):
        path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nRecTrack benchmark, {args.count:,} recommendations (server time, ms; target p95 < {TARGET_P95_MS}, "
          f"statistics < {TARGETS_P95_MS['statistics_']})")  # fmt: skip
    print(f"{'database':<11} {'page':<24} {'p50':>7} {'p95':>7} {'max':>7} {'queries':>8}  ok")
    for vendor, result in report["databases"].items():
        for page, figures in result.items():
            if page.startswith("_"):
                continue
            ok = "yes" if figures["p95_ms"] < target_for(page) else "NO"
            print(f"{vendor:<11} {page:<24} {figures['p50_ms']:>7} {figures['p95_ms']:>7} {figures['max_ms']:>7} "
                  f"{figures['queries_max']:>8}  {ok}")  # fmt: skip
        if download := result.get("_open_data_csv"):
            print(f"{vendor:<11} open data: {download['rows']:,} recommendations as CSV ({download['megabytes']} MB) "
                  f"in {download['seconds']} s, peak Python memory {download['peak_python_memory_mb']} MB")  # fmt: skip
        if export := result.get("_export_xlsx"):
            print(f"{vendor:<11} export: {export['rows']:,} recommendations as XLSX ({export['megabytes']} MB) "
                  f"in {export['seconds']} s, peak Python memory {export['peak_python_memory_mb']} MB")  # fmt: skip
        if computing := result.get("_statistics_uncached_ms"):
            figures = ", ".join(f"{tab} {ms}" for tab, ms in computing.items())
            print(f"{vendor:<11} statistics computing their figures (then cached until the data changes): {figures} ms")
        if uncached := result.get("_portal_home_uncached_ms"):
            print(f"{vendor:<11} portal home computing its figures (cached for a minute): {uncached} ms")
        generation = result["_meta"].get("generation_seconds")
        if generation:
            print(f"{vendor:<11} generating {args.count:,} recommendations took {generation} s")
    print(f"\nWritten to {RESULTS / name}")


if __name__ == "__main__":
    main()
