"""Page weight: what a browser downloads for each main page, on the demonstration data.

    python bench/page_weight.py          (what `make bench-weight` runs)

Builds the demo instance in var/bench/weight.sqlite3, serves it with gunicorn
on 127.0.0.1, logs in as the coordinator in Debian's Chromium (Playwright),
opens each main page with an empty cache and records every response: the
document, style sheets, scripts, images and fonts. Static files are served
as `make demo` serves them (collected, fingerprinted, precompressed). Sizes
are what crossed the wire (compressed, with headers) and the decoded bodies;
a second visit shows what the browser still fetches with a warm cache.

Writes bench/results/page-weight-<date>.json and prints a table. Target:
every main page under 50 kB on the wire at the first visit, for slow links.
"""

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "var" / "bench"
DATABASE = WORK / "weight.sqlite3"
CHROMIUM = "/usr/bin/chromium"
TARGET_KB = 50
PAGES = [
    ("login", "/accounts/login/"),
    ("dashboard", "/"),
    ("recommendations", "/recommendations/"),
    ("search", "/recommendations/?q=education&position=supported"),
    ("recommendation", "/recommendations/{recommendation}/"),
    ("projects", "/projects/"),
    ("project", "/projects/{project}/"),
    ("activities", "/activities/"),
    ("activity", "/activities/{activity}/"),
    ("imports", "/imports/"),
]


def manage(*args: str, env: dict) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(env: dict) -> tuple[str, dict]:
    """The demo database, the coordinator's password and an object of each kind."""
    WORK.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_demo", env=env)
    manage("collectstatic", "--noinput", "--clear", "-v0", env=env)
    logins = manage("create_demo_users", env=env)
    password = next(line.split()[2] for line in logins.splitlines() if line.split()[1:2] == ["coordinator"])
    ids = manage(
        "shell", "--no-imports", "-c",
        "from rectrack.recommendations.models import Recommendation as R;"
        "from rectrack.planning.models import Project as P, Activity as A;"
        "print(R.objects.order_by('pk').first().pk, P.objects.order_by('pk').first().pk,"
        " A.objects.order_by('pk').first().pk)",
        env=env,
    ).split()  # fmt: skip
    return password, {"recommendation": ids[0], "project": ids[1], "activity": ids[2]}


def weigh(page, url: str) -> dict:
    """Every response of one visit: bytes as served and gzipped, by resource type."""
    responses = []

    def keep(response) -> None:
        responses.append(response)

    page.on("response", keep)
    page.goto(url, wait_until="networkidle")
    page.remove_listener("response", keep)
    kinds: dict[str, dict] = {}
    for response in responses:
        if response.status in (204, 304) or response.request.redirected_to:
            continue
        sizes = response.request.sizes()
        wire = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        if wire <= 0:
            continue  # served from the browser's cache
        kind = response.request.resource_type
        entry = kinds.setdefault(kind, {"requests": 0, "bytes": 0, "wire_bytes": 0})
        entry["requests"] += 1
        entry["bytes"] += len(response.body())
        entry["wire_bytes"] += wire
    total = {key: sum(k[key] for k in kinds.values()) for key in ("requests", "bytes", "wire_bytes")}
    return {"total": total, "by_type": kinds}


def main() -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{DATABASE}",
        "SECRET_KEY": "benchmark-only",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WHITENOISE_USE_FINDERS": "false",
        "RECTRACK_DATA_DIR": str(WORK / "weight-data"),
    }
    print("Building the demo instance…", flush=True)
    password, ids = build(env)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "rectrack.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    results = {}
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            results["login"] = {"cold": weigh(page, f"{base}/accounts/login/")}
            page.locator("input[name=username]").fill("coordinator")
            page.locator("input[name=password]").fill(password)
            page.locator("form:has(input[name=password]) button[type=submit]").click()
            page.wait_for_url(f"{base}/")
            for name, path in PAGES[1:]:
                url = base + path.format(**ids)
                # An empty cache (a first visit on a slow link), then a warm one.
                client = context.new_cdp_session(page)
                client.send("Network.clearBrowserCache")
                cold = weigh(page, url)
                warm = weigh(page, url)
                results[name] = {"cold": cold, "warm": warm}
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "target_kb": TARGET_KB,
        "viewport": "360x740",
        "pages": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"page-weight-{report['date'][:10]}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nRecTrack page weight, demo data (kB; target < {TARGET_KB} kB on the wire at the first visit)")
    print(f"{'page':<16} {'requests':>8} {'wire':>7} {'decoded':>8} {'html':>7} {'css':>6} {'warm wire':>10}  ok")
    for name, figures in results.items():
        cold = figures["cold"]
        kinds = cold["by_type"]
        warm = figures.get("warm", {}).get("total", {}).get("wire_bytes")
        ok = "yes" if cold["total"]["wire_bytes"] < TARGET_KB * 1024 else "NO"
        print(f"{name:<16} {cold['total']['requests']:>8} {cold['total']['wire_bytes'] / 1024:>7.1f} "
              f"{cold['total']['bytes'] / 1024:>8.1f} {kinds.get('document', {}).get('bytes', 0) / 1024:>7.1f} "
              f"{kinds.get('stylesheet', {}).get('bytes', 0) / 1024:>6.1f} "
              f"{'' if warm is None else f'{warm / 1024:.1f}':>10}  {ok}")  # fmt: skip
    print(f"\nWritten to {out}")


if __name__ == "__main__":
    main()
