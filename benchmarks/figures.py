"""Figures with their targets, and the small statistics the benchmarks need.

Rule served: every figure is printed beside its target, so a reader sees at once what is met.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured value; ``limit`` is the target's bound (``None``: reported, no target)."""

    name: str
    value: float | None
    unit: str
    limit: float | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "n/a"
        if self.limit is None:
            return ""
        return "met" if self.value <= self.limit else "MISSED"

    def row(self) -> str:
        value = "-" if self.value is None else f"{self.value:,.{_digits(self.value)}f} {self.unit}"
        target = "" if self.limit is None else f"<= {self.limit:,.{_digits(self.limit)}f} {self.unit}"
        return f"{self.name:<58} {value:>14}  {target:>14}  {self.verdict:<6} {self.note}".rstrip()


def _digits(value: float) -> int:
    return 2 if abs(value) < 10 else (1 if abs(value) < 100 else 0)


def print_section(title: str, figures: list[Figure]) -> list[Figure]:
    print(f"\n{title}")
    print(f"{'':<58} {'measured':>14}  {'target':>14}")
    for figure in figures:
        print(figure.row())
    return figures


def closing_note(figures: list[Figure]) -> None:
    """Every figure that has a target, once more: met or missed, and for a missed one its note,
    which says what bounds it (measured in the same run)."""
    targeted = [f for f in figures if f.limit is not None]
    missed = [f for f in targeted if f.verdict == "MISSED"]
    print(f"\nclosing note: {len(targeted) - len(missed)} of {len(targeted)} targets met")
    for figure in targeted:
        print(figure.row())
    for figure in missed:
        print(f"  missed: {figure.name.strip()}: {figure.note or 'no bound measured'}")


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def p90(values: list[float]) -> float | None:
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=10, method="inclusive")[8]
