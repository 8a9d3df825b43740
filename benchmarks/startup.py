"""Start-up: the virtual network, the servers and the browser ready, and pytest until the first scenario.

Rule served: a session is ready in at most 1.5 s (docs/design.md, speed). Each measurement is a
fresh process, as every pytest run (and every xdist worker) starts one.

    .venv/bin/python -m benchmarks.startup --child    # one measurement, as one JSON line
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.figures import Figure, median
from benchmarks.suite import ROOT, run_pytest

STARTUP_S = 1.5
FIRST_API_SCENARIO = "features/create_external_client_app/pkce.feature::test_with_pkce_off_the_same_app_connects[api]"


def measure_once() -> dict[str, float]:
    """In this process: imports, then the reference, then Chromium with a page open on the appliance."""
    began = time.perf_counter()
    from playwright.sync_api import sync_playwright

    from harness.reference.browser import ensure_chromium
    from harness.reference.embedded import APPLIANCE_URL, EmbeddedReference

    imported, cpu = time.perf_counter(), time.process_time()
    reference = EmbeddedReference(Path(tempfile.mkdtemp(prefix="bench-start-"))).start()
    servers, servers_cpu = time.perf_counter(), time.process_time() - cpu
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=ensure_chromium(), headless=True, args=reference.browser_args,
                                     proxy={"server": reference.proxy_url})
        page = browser.new_context().new_page()
        page.goto(APPLIANCE_URL + "/")
        ready = time.perf_counter()
        browser.close()
    reference.stop()
    return {"imports": imported - began, "servers": servers - imported, "browser": ready - servers,
            "imports_cpu": cpu, "servers_cpu": servers_cpu}


def startup(repeat: int = 3) -> list[Figure]:
    runs = []
    for _ in range(repeat):
        child = subprocess.run([sys.executable, "-m", "benchmarks.startup", "--child"], cwd=ROOT,
                               capture_output=True, text=True, check=True)
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
    servers = median([r["servers"] for r in runs])
    browser = median([r["browser"] for r in runs])
    session = median([r["servers"] + r["browser"] for r in runs])
    first = []
    for _ in range(repeat):
        launched = time.time()
        _, records, _ = run_pytest([FIRST_API_SCENARIO], "one API scenario")
        if records:
            first.append(records[0]["started_at"] - launched)
    return [Figure("virtual network + 3 servers up", servers, "s",
                   note=f"CPU {median([r['servers_cpu'] for r in runs]):.2f} s"),
            Figure("Chromium launched, page open on the appliance", browser, "s"),
            Figure("session start-up (network, servers, browser ready)", session, "s", STARTUP_S),
            Figure("harness imports (appliance, fake, Playwright)", median([r["imports"] for r in runs]), "s",
                   note=f"CPU {median([r['imports_cpu'] for r in runs]):.2f} s"),
            Figure("pytest launched -> first scenario starts", median(first), "s",
                   note="imports, plugins, collection")]


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(measure_once()))
    else:
        from benchmarks.figures import print_section

        print_section("start-up", startup())
