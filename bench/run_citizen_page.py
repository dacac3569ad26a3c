"""The citizen survey page over slow 3G: bytes on first load and time until the form is usable.

    python bench/run_citizen_page.py --database-url postgres://postgres@127.0.0.1:5432/bench_10k

Runs gunicorn with production settings (DEBUG=0, whitenoise serving compressed, fingerprinted
static files) and opens the survey in Debian's Chromium at 360x740 with an empty cache and the
network throttled through the DevTools protocol to "slow 3G" (400 kbit/s down and up, 400 ms
round trip). Bytes are what crossed the wire (Network.loadingFinished encodedDataLength: headers
and compressed bodies) for every request of the page. "Usable" is the moment the last radio
button and the submit button are visible with the stylesheet applied, measured from the start of
navigation; the `load` event time is given too. Baseline in the same run: the bench's minimal page
(/bench/baseline/, one small HTML document) under the same throttle: the floor set by the network.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import servers
from bench.common import record, table

SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1000 / 8, "uploadThroughput": 400 * 1000 / 8}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def measure(browser, url: str, *, ready_selector: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    transferred: list[float] = []
    requests: list[str] = []
    cdp.on("Network.loadingFinished", lambda event: transferred.append(event["encodedDataLength"]))
    cdp.on("Network.requestWillBeSent", lambda event: requests.append(event["request"]["url"]))
    began = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(ready_selector, state="visible", timeout=60_000)
    page.wait_for_function(
        "() => document.readyState !== 'loading'"
        " && [...document.querySelectorAll('link[rel=stylesheet]')].every(link => link.sheet !== null)",
        polling=20,
    )
    usable = time.perf_counter() - began
    page.wait_for_load_state("load")
    loaded = time.perf_counter() - began
    page.wait_for_timeout(300)  # let the last loadingFinished events arrive
    result = {"bytes": sum(transferred), "requests": len(requests), "usable": usable, "load": loaded}
    context.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="Citizen page weight and time to usable on slow 3G.")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_10k")
    parser.add_argument("--unit", default="opd-disdukcapil")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    servers.collectstatic(args.database_url)
    settings = servers.ServerSettings(workers=2)
    pages = [
        ("baseline: minimal page", "/bench/baseline/", "button"),
        ("citizen survey form", f"/s/{args.unit}/", "button.submit"),
    ]
    results: dict[str, list[dict[str, float]]] = {label: [] for label, _path, _ready in pages}
    with (
        servers.running(
            args.database_url, ports=[args.port], settings=settings, settings_module="bench.baseline_settings"
        ) as bases,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(args.runs):
            for label, path, ready in pages:
                results[label].append(measure(browser, bases[0] + path, ready_selector=ready))
        browser.close()
    rows = []
    for label, path, _ready in pages:
        runs = results[label]
        rows.append(
            (
                label,
                f"`{path}`",
                f"{statistics.median(run['bytes'] for run in runs) / 1024:.1f} KB",
                int(statistics.median(run["requests"] for run in runs)),
                f"{statistics.median(run['usable'] for run in runs):.2f} s",
                f"{statistics.median(run['load'] for run in runs):.2f} s",
            )
        )
    form = results["citizen survey form"]
    form_bytes = statistics.median(run["bytes"] for run in form)
    form_usable = statistics.median(run["usable"] for run in form)
    floor = statistics.median(run["usable"] for run in results["baseline: minimal page"])
    body = (
        f"Chromium (/usr/bin/chromium) at 360x740, empty cache, slow 3G (400 kbit/s, 400 ms RTT) via "
        f"Network.emulateNetworkConditions; median of {args.runs} runs; server: {settings.describe()}.\n\n"
        + table(["page", "path", "bytes transferred", "requests", "usable", "load event"], rows)
        + "\n\n"
        + table(
            ["target", "met", "measured"],
            [
                ("first load ≤ 60 KB", "yes" if form_bytes <= 60 * 1024 else "**no**", f"{form_bytes / 1024:.1f} KB"),
                (
                    "usable ≤ 3 s on slow 3G",
                    "yes" if form_usable <= 3 else "**no**",
                    f"{form_usable:.2f} s ({form_usable / floor:.1f}x the minimal page's {floor:.2f} s)",
                ),
            ],
        )
    )
    if args.no_record:
        print(body)
    else:
        record("Citizen page on slow 3G", body, database_url=args.database_url)


if __name__ == "__main__":
    main()
