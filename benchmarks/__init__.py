"""Benchmarks of the harness: start-up, per-scenario time, scaling, reports at scale, memory.

Rule served: the suite must be fast enough to run on every change (docs/design.md, speed). Run
``.venv/bin/python -m benchmarks`` (or ``make bench``); each figure is printed with its target.
Not part of ``make test``: timings belong here, not in tests that fail on a slow machine.
"""
