"""The import benchmark: a UHRI JSON export of N annotations in the real shape, imported twice.

    python bench/import_bench.py --count 260000          (what `make bench-import` runs)
    python bench/import_bench.py --count 20000 --databases sqlite

Generates the file once (var/bench/uhri-<N>.json, kept for later runs), then
on each database: a fresh database, `import_recommendations` (timed, with
its peak memory), and the same file again (unchanged: should take under a
third of the first import). Targets (issue 3): under 5 minutes and under
1 GB RSS on 2 cores. Writes bench/results/import-<date>-<N>.json.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import RESULTS, ROOT, WORK, manage, reset  # noqa: E402

TARGET_SECONDS = 300
TARGET_RSS_MB = 1024


def database_url(vendor: str) -> str:
    if vendor == "sqlite":
        return f"sqlite:///{WORK / 'import.sqlite3'}"
    return os.environ.get("BENCH_IMPORT_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/rectrack_import_bench")


def export_file(count: int) -> Path:
    """The synthetic export, generated once per size."""
    path = WORK / f"uhri-{count}.json"
    done = path.with_suffix(".done")
    if path.exists() and done.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"writing {count:,} annotations to {path}…", flush=True)
    code = (
        "from pathlib import Path;"
        "from rectrack.imports.samples import synthetic_uhri_records, write_uhri_json;"
        f"write_uhri_json(Path({str(path)!r}), synthetic_uhri_records({count}))"
    )
    manage(f"sqlite:///{WORK / 'generate.sqlite3'}", "shell", "--no-imports", "-c", code)
    done.touch()
    return path


def timed_import(url: str, path: Path) -> dict:
    """One run of the import command in its own process: wall time, peak RSS, and its summary line."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "benchmark-only"}
    command = [sys.executable, "manage.py", "import_recommendations", str(path), "--all-countries", "-v0"]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    out, err = process.stdout.read(), process.stderr.read()
    if status:
        raise SystemExit(f"import failed:\n{out}\n{err}")
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024), "summary": out.strip()}


def run_one(vendor: str, path: Path) -> dict:
    url = database_url(vendor)
    print(f"[{vendor}] fresh database…", flush=True)
    reset(vendor, url)
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "seed_taxonomy")
    print(f"[{vendor}] first import…", flush=True)
    first = timed_import(url, path)
    print(f"[{vendor}] the same file again…", flush=True)
    again = timed_import(url, path)
    return {"first_import": first, "reimport_unchanged": again, "ratio": round(again["seconds"] / first["seconds"], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=260_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    path = export_file(args.count)
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "count": args.count,
        "file_mb": round(path.stat().st_size / 1024**2),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "targets": {"seconds": TARGET_SECONDS, "peak_rss_mb": TARGET_RSS_MB, "reimport_ratio": 0.33},
        "databases": {vendor: run_one(vendor, path) for vendor in args.databases.split(",")},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"import-{report['date'][:10]}-{args.count}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nImport of a {report['file_mb']} MB UHRI JSON export, {args.count:,} annotations")
    print(f"{'database':<11} {'first s':>8} {'RSS MB':>7} {'again s':>8} {'RSS MB':>7} {'ratio':>6}  ok")
    for vendor, result in report["databases"].items():
        first, again = result["first_import"], result["reimport_unchanged"]
        ok = (
            first["seconds"] < TARGET_SECONDS
            and max(first["peak_rss_mb"], again["peak_rss_mb"]) < TARGET_RSS_MB
            and result["ratio"] < 0.34
        )
        print(f"{vendor:<11} {first['seconds']:>8} {first['peak_rss_mb']:>7} {again['seconds']:>8} "
              f"{again['peak_rss_mb']:>7} {result['ratio']:>6}  {'yes' if ok else 'NO'}")  # fmt: skip
    print(f"\nWritten to {out}")


if __name__ == "__main__":
    main()
