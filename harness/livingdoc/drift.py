"""`harness docs drift PAGE`: what changed on the documentation page since the source map was made.

Rule served: "Drift: given the page as text or HTML, the tool splits it into statements,
fingerprints them and reports unchanged, changed, new and removed statements, with the scenarios each
change touches" (docs/design.md section 6).

The source map keeps only fingerprints and sentence positions, never the page's words, so sentences
are matched by aligning the two fingerprint sequences with difflib: equal runs are unchanged, a
replaced run is a changed sentence of the statement that owned the old one, a deleted run is a
removed sentence, and an inserted run is either a sentence added inside a statement (changed) or a
new statement when it falls between statements. A statement all of whose sentences are gone is
removed. Exit status: 0 no drift, 1 drift, 2 unreadable input.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from harness.livingdoc import sourcemap
from harness.livingdoc.sourcemap import SourceMap, SourceMapError
from harness.livingdoc.splitter import Sentence, split_page
from harness.livingdoc.traceability import FeatureParseError, scan_features, scenarios_by_id

_Owner = str  # a statement id, or "untestable[n]"
SIMILAR = 0.6
REVIEW = ("the page's words changed: read the new sentences, update or confirm the scenarios listed, "
          "then re-make this statement's map entry; no fingerprints are proposed, pasting them would "
          "hide the change")


@dataclass
class Change:
    kind: str  # changed | removed | added
    old_index: int | None = None
    old_fingerprint: str | None = None
    new_index: int | None = None
    new_fingerprint: str | None = None
    text: str = ""  # the page's current sentence, shown to the reader, never stored

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


@dataclass
class OwnerDrift:
    owner: _Owner
    summary: str
    old_range: tuple[int, int]
    changes: list[Change] = field(default_factory=list)
    new_indexes: list[int] = field(default_factory=list)
    new_fingerprints: list[str] = field(default_factory=list)
    scenarios: list[str] = field(default_factory=list)

    @property
    def untestable(self) -> bool:
        return self.owner.startswith("untestable[")

    @property
    def status(self) -> str:
        if not self.changes:
            return "unchanged"
        return "removed" if not self.new_indexes else "changed"

    @property
    def moved(self) -> bool:
        """Same sentences, other positions (text added or removed elsewhere on the page)."""
        return not self.changes and bool(self.new_indexes) and self.new_range != self.old_range

    @property
    def new_range(self) -> tuple[int, int] | None:
        return (min(self.new_indexes), max(self.new_indexes)) if self.new_indexes else None

    def proposal(self) -> dict[str, object] | None:
        """The map entry's new ``sentences``/``fingerprints``, offered only when no word of it changed.

        Rule served: drift never lets a change of meaning pass unreviewed (docs/design.md section 6).
        Pasting new fingerprints over a changed sentence would silence it, so a changed statement gets
        no proposal: its scenarios are reviewed first and its map entry re-made after.
        """
        if not self.moved or self.new_range is None:
            return None
        return {"sentences": list(self.new_range), "fingerprints": self.new_fingerprints,
                "why": "the same sentences at new positions; this keeps the map in step and changes no meaning"}

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.owner,
            "status": self.status,
            "summary": self.summary,
            "sentences": list(self.old_range),
        }
        if self.changes:
            data["changes"] = [c.to_dict() for c in self.changes]
            data["scenarios"] = self.scenarios
            data["review"] = REVIEW
        proposal = self.proposal()
        if proposal is not None:
            data["proposed"] = proposal
        return data


@dataclass
class DriftReport:
    page: Path
    source_map: SourceMap
    statements: list[OwnerDrift]
    untestable: list[OwnerDrift]
    new: list[Change]
    sentence_count: int

    @property
    def drifted(self) -> bool:
        return bool(self.new) or any(o.status != "unchanged" for o in (*self.statements, *self.untestable))

    def summary(self) -> str:
        """One line naming every kind of drift found, so it agrees with the exit status (1 when any)."""
        counts = [(sum(1 for s in self.statements if s.changes), "statement(s) changed or removed"),
                  (len(self.new), "new sentence(s) no statement owns"),
                  (sum(1 for u in self.untestable if u.changes), "untestable sentence group(s) changed")]
        found = [f"{n} {what}" for n, what in counts if n]
        moved = sum(1 for s in self.statements if s.moved)
        tail = f" ({moved} statement(s) only moved: see proposed)" if moved else ""
        if not found:
            return f"no drift: the page matches the source map{tail}"
        return f"drift: {', '.join(found)}{tail}"

    def to_dict(self) -> dict[str, object]:
        return {
            "page": str(self.page),
            "source_map": str(self.source_map.path),
            "drifted": self.drifted,
            "sentence_count": {"map": self.source_map.sentence_count, "page": self.sentence_count},
            "statements": [s.to_dict() for s in self.statements],
            "new": [c.to_dict() for c in self.new],
            "untestable": [u.to_dict() for u in self.untestable if u.status != "unchanged"],
        }


def _owners(source_map: SourceMap) -> tuple[dict[_Owner, OwnerDrift], list[_Owner]]:
    owners: dict[_Owner, OwnerDrift] = {}
    slot_owner: dict[int, _Owner] = {}
    for s in source_map.statements:
        owners[s.id] = OwnerDrift(s.id, s.summary, s.sentences)
    for n, u in enumerate(source_map.untestable):
        owners[f"untestable[{n}]"] = OwnerDrift(f"untestable[{n}]", u.role, u.sentences)
    for key, entry in owners.items():
        for index in range(entry.old_range[0], entry.old_range[1] + 1):
            slot_owner[index] = key
    return owners, [slot_owner[i] for i in sorted(slot_owner)]


def compare(
    source_map: SourceMap, sentences: list[Sentence], features_dir: Path | None = None
) -> DriftReport:
    """Align the page's sentences with the source map and attribute every difference."""
    owners, order = _owners(source_map)
    old = [digest for digest, _ in source_map.sequence()]
    new_unowned: list[Change] = []

    def keep(owner: _Owner, sentence: Sentence) -> None:
        owners[owner].new_indexes.append(sentence.index)
        owners[owner].new_fingerprints.append(sentence.fingerprint)

    matcher = difflib.SequenceMatcher(None, old, [s.fingerprint for s in sentences], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                keep(order[i1 + k], sentences[j1 + k])
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            if i < i2 and j < j2:
                owners[order[i]].changes.append(
                    Change("changed", i, old[i], j, sentences[j].fingerprint, sentences[j].text)
                )
                keep(order[i], sentences[j])
            elif i < i2:
                owners[order[i]].changes.append(Change("removed", i, old[i]))
            else:
                owner = _insertion_owner(order, i1, i2, tag, sentences, j, (j1, j2))
                change = Change(
                    "added", new_index=j, new_fingerprint=sentences[j].fingerprint, text=sentences[j].text
                )
                if owner is None:
                    new_unowned.append(change)
                else:
                    owners[owner].changes.append(change)
                    keep(owner, sentences[j])
    _touch_scenarios(owners, features_dir)
    statements = [owners[s.id] for s in source_map.statements]
    untestable = [o for o in owners.values() if o.untestable]
    return DriftReport(Path(), source_map, statements, untestable, new_unowned, len(sentences))


def _insertion_owner(
    order: list[_Owner], i1: int, i2: int, tag: str, sentences: list[Sentence], j: int, run: tuple[int, int]
) -> _Owner | None:
    """Who owns a sentence added at old position ``i1``.

    Inside one statement's run: that statement. Between two owners: the neighbouring statement whose
    current sentence reads most alike (difflib ratio >= ``SIMILAR``), else nobody - a new statement.
    """
    if tag == "replace":
        return order[i2 - 1]
    left = order[i1 - 1] if i1 > 0 else None
    right = order[i1] if i1 < len(order) else None
    if left is not None and left == right:
        return left
    text = sentences[j].normalised
    candidates = []
    if left is not None and run[0] > 0:
        candidates.append((left, sentences[run[0] - 1].normalised))
    if right is not None and run[1] < len(sentences):
        candidates.append((right, sentences[run[1]].normalised))
    scored = [
        (difflib.SequenceMatcher(None, text, other).ratio(), owner)
        for owner, other in candidates
        if not owner.startswith("untestable[")
    ]
    best = max(scored, default=(0.0, None))
    return best[1] if best[0] >= SIMILAR else None


def _touch_scenarios(owners: dict[_Owner, OwnerDrift], features_dir: Path | None) -> None:
    if features_dir is None or not Path(features_dir).is_dir():
        return
    index = scenarios_by_id(scan_features(features_dir))
    for key, entry in owners.items():
        if entry.changes:
            entry.scenarios = [f"{r.name} ({r.location})" for r in index.get(key, [])]


def check_page(page: Path, source_map: SourceMap, features_dir: Path | None = None) -> DriftReport:
    report = compare(source_map, split_page(page), features_dir)
    report.page = Path(page)
    return report


def format_text(report: DriftReport) -> str:
    lines = [f"Drift of {report.page} against {report.source_map.path.name}"]
    for entry in report.statements:
        status = entry.status.upper() if entry.changes else entry.status
        lines.append(f"  {status:<10} {entry.owner:<12} {entry.summary}")
        if entry.changes:
            lines.extend(_change_lines(entry))
        elif (proposal := entry.proposal()) is not None:
            lines.append(f"             proposed: sentences = {json.dumps(proposal['sentences'])}, "
                         f"fingerprints = {json.dumps(proposal['fingerprints'])}")
            lines.append(f"             ({proposal['why']})")
    for change in report.new:
        lines.append(f"  {'NEW':<10} sentence {change.new_index} [{change.new_fingerprint}]: {change.text}")
        lines.append("             no statement owns it: add it to the source map (or as untestable)")
    for entry in report.untestable:
        if entry.changes:
            lines.append(f"  {entry.status.upper():<10} {entry.owner} ({entry.summary}, not testable)")
            lines.extend(_change_lines(entry))
    lines.append(report.summary())
    return "\n".join(lines)


def _change_lines(entry: OwnerDrift) -> list[str]:
    lines = []
    for change in entry.changes:
        where = change.new_index if change.new_index is not None else change.old_index
        detail = f": {change.text}" if change.text else ""
        lines.append(f"             sentence {where} {change.kind}{detail}")
    lines.append(f"             review: {REVIEW}")
    if not entry.untestable:
        touched = "; ".join(entry.scenarios) if entry.scenarios else "none"
        lines.append(f"             scenarios to review: {touched}")
    return lines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("page", type=Path, help="the documentation page, as .txt or .html")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--features", type=Path, default=Path("features"), help="default: %(default)s")
    parser.add_argument(
        "--source-map", type=Path, default=None, help="default: the page's map in the package"
    )


def run(args: argparse.Namespace) -> int:
    try:
        source_map = sourcemap.load(args.source_map)
        report = check_page(args.page, source_map, args.features)
    except (SourceMapError, FeatureParseError) as exc:
        print(f"docs drift: {exc}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError) as exc:
        print(f"docs drift: cannot read page {args.page}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report.to_dict(), indent=2) if args.json else format_text(report))
    return 1 if report.drifted else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="harness docs drift", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
