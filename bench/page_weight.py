"""Page weight and first contentful paint of the home page, the events list and the login page.

Usage (against a running site, for example `make run` in another terminal):

    .venv/bin/python bench/page_weight.py --url http://127.0.0.1:8000 --runs 5

Each run opens the page in a fresh Chromium context (a first visit: empty cache), at 1280 px,
and reads the bytes transferred (response bodies and headers), the number of requests and the
first contentful paint from the browser's Performance API. Prints medians per page, the goals
(<= 150 KB, <= 10 requests, FCP <= 1 s on loopback), the machine (cores, load average) and the
CPU seconds of this process and its children beside the wall seconds.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import sys
import time
from dataclasses import dataclass

from playwright.sync_api import Response, sync_playwright

PAGES = {"home": "/nl/", "events": "/nl/events/", "login": "/nl/accounts/login/"}
GOALS = {"bytes": 150 * 1024, "requests": 10, "fcp_ms": 1000.0}
CHROMIUM = os.environ.get("COOPSIP_CHROMIUM", "/usr/bin/chromium")


@dataclass(frozen=True)
class Visit:
    bytes: int
    requests: int
    fcp_ms: float


def visit(browser, url: str) -> Visit:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sizes: list[int] = []

    def on_response(response: Response) -> None:
        try:
            body = len(response.body())
        except Exception:  # a redirect has no body
            body = 0
        headers = sum(len(k) + len(v) + 4 for k, v in response.headers.items())
        sizes.append(body + headers)

    page.on("response", on_response)
    page.goto(url, wait_until="load")
    fcp = page.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {startTime: NaN}).startTime"
    )
    context.close()
    return Visit(bytes=sum(sizes), requests=len(sizes), fcp_ms=float(fcp))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if executable is None:
        print("Chromium not found: install Debian's chromium or set COOPSIP_CHROMIUM.", file=sys.stderr)
        return 2
    print("command:", shlex.join([sys.executable, *sys.argv]))
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    wall_start, cpu_start = time.perf_counter(), os.times()
    failed = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        visit(browser, args.url + PAGES["home"])  # warm the server (first request loads every app)
        print(f"{'page':8} {'KB':>7} {'requests':>8} {'FCP ms':>7}  (medians of {args.runs} first visits)")
        for name, path in PAGES.items():
            visits = [visit(browser, args.url + path) for _run in range(args.runs)]
            kb = statistics.median(v.bytes for v in visits) / 1024
            requests = statistics.median(v.requests for v in visits)
            fcp = statistics.median(v.fcp_ms for v in visits)
            ok = kb * 1024 <= GOALS["bytes"] and requests <= GOALS["requests"] and fcp <= GOALS["fcp_ms"]
            failed |= not ok
            print(f"{name:8} {kb:7.1f} {requests:8.0f} {fcp:7.0f}  {'ok' if ok else 'OVER BUDGET'}")
        browser.close()
    cpu_end = os.times()
    cpu = (cpu_end.user - cpu_start.user) + (cpu_end.system - cpu_start.system)
    cpu += (cpu_end.children_user - cpu_start.children_user) + (cpu_end.children_system - cpu_start.children_system)
    print(f"goals: <= {GOALS['bytes'] // 1024} KB, <= {GOALS['requests']} requests, FCP <= {GOALS['fcp_ms']:.0f} ms")
    print(f"wall {time.perf_counter() - wall_start:.1f} s, CPU {cpu:.1f} s (this process and its children)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
