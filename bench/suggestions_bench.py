"""The suggestions' benchmark: N synthetic recommendations (the same database as bench/run.py), then the label
model trained, every recommendation classified, the index of similar recommendations built, and the answers a
page needs timed (one suggestion, similar recommendations, a search by meaning).

    python bench/suggestions_bench.py --count 260000          (what `make bench-suggestions` runs)
    python bench/suggestions_bench.py --count 20000 --databases sqlite --reuse

Targets (issue "Suggestions"): a suggestion for one recommendation under 100 ms on CPU; classifying and indexing
260,000 recommendations in under 30 minutes on 2 cores. Writes bench/results/suggestions-<date>-<count>.json.
"""

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import RESULTS, ROOT, WORK, database_url, generated_count, manage, reset  # noqa: E402

TARGET_ONE_MS = 100
TARGET_ALL_MINUTES = 30


def run_one(vendor: str, count: int, reuse: bool) -> dict:
    url = database_url(vendor)
    if not (reuse and generated_count(url) == count):
        print(f"[{vendor}] building a fresh database with {count:,} recommendations…", flush=True)
        reset(vendor, url)
        manage(url, "migrate", "--noinput", "-v0")
        manage(url, "generate_recommendations", str(count))
    manage(url, "migrate", "--noinput", "-v0")
    out = WORK / f"suggestions-{vendor}.json"
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"[{vendor}] training, classifying, indexing and timing…", flush=True)
    env = {
        **os.environ, "DATABASE_URL": url, "SECRET_KEY": "benchmark-only",
        "RECTRACK_MODELS_DIR": str(WORK / f"models-{vendor}"),
    }  # fmt: skip
    subprocess.run([sys.executable, "bench/measure_suggestions.py", "--out", str(out)], cwd=ROOT, env=env, check=True)
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=260_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--reuse", action="store_true", help="Keep a database that already holds --count rows.")
    args = parser.parse_args()
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "count": args.count,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "targets": {"one_suggestion_ms": TARGET_ONE_MS, "classify_and_index_minutes": TARGET_ALL_MINUTES},
        "databases": {},
    }
    for vendor in args.databases.split(","):
        report["databases"][vendor] = run_one(vendor, args.count, args.reuse)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"suggestions-{report['date'][:10]}-{args.count}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nSuggestions benchmark, {args.count:,} recommendations")
    for vendor, result in report["databases"].items():
        total = result["classify_and_index_minutes"]
        one = result["one_suggestion_ms"]
        print(f"{vendor:<11} training {result['train_seconds']} s on {result['trained_on']:,} recommendations")
        print(f"{vendor:<11} classifying {result['classified']:,} recommendations: {result['classify_seconds']} s "
              f"({result['suggestions_written']:,} suggestions written)")  # fmt: skip
        print(f"{vendor:<11} indexing: {result['index_seconds']} s; classifying and indexing {total} min "
              f"(target {TARGET_ALL_MINUTES}: {'yes' if total < TARGET_ALL_MINUTES else 'NO'})")  # fmt: skip
        print(f"{vendor:<11} one suggestion: p50 {one['p50']} ms, p95 {one['p95']} ms "
              f"(target {TARGET_ONE_MS}: {'yes' if one['p95'] < TARGET_ONE_MS else 'NO'}); "
              f"first one after start {result['first_suggestion_ms']} ms")  # fmt: skip
        names = ("similar_ms", "meaning_search_ms", "list_by_meaning_ms", "detail_page_ms", "review_page_ms",
                 "settings_page_ms")  # fmt: skip
        for name in names:
            figures = result[name]
            print(f"{vendor:<11} {name.removesuffix('_ms').replace('_', ' ')}: p50 {figures['p50']} ms, "
                  f"p95 {figures['p95']} ms")  # fmt: skip
        print(f"{vendor:<11} peak memory {result['peak_rss_mb']} MB; model {result['model_mb']} MB, "
              f"index {result['index_mb']} MB on disk")  # fmt: skip
    print(f"\nWritten to {path}")


if __name__ == "__main__":
    main()
