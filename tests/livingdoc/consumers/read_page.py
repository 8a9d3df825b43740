"""Open an HTML report in Chromium and print what a reader sees, as JSON: python read_page.py FILE [CLICK...].

Run in its own process so a test can use it beside pytest-playwright's session browser (two sync
Playwright instances cannot share one thread). Each CLICK is the text of an element to click first
(to open a collapsed scenario); the page's visible text, its data-table cells and its images follow.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from harness.reference.browser import LAUNCH_ARGS, find_chromium


def main(path: str, clicks: list[str]) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=LAUNCH_ARGS)
        page = browser.new_page()
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_load_state("load")
        page.locator("body").wait_for()
        for text in clicks:
            for element in page.get_by_text(text, exact=False).all():
                if element.is_visible():
                    element.click()
        seen = {
            "text": page.locator("body").inner_text(),
            "cells": page.locator("td").all_inner_texts(),
            "images": page.locator("img").count(),
        }
        browser.close()
    print(json.dumps(seen))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
