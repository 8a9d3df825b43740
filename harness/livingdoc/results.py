"""Read the results of a run: Cucumber JSON (pytest-bdd ``--cucumberjson``) or JUnit XML.

Rule served: "A check fails when ... a statement has no passing scenario" and the living document
shows "each layer's result, steps ... timings" (docs/design.md section 6). Each scenario runs once per
layer and its pytest id ends in ``[api]`` or ``[ui]`` (docs/design.md section 3).

Where the layer is found: pytest-bdd writes each scenario element's ``id`` as the pytest item name,
e.g. ``test_scopes_are_required[api]``, or ``test_outline[ui-2]`` for an outline example, so the
layer is the ``api``/``ui`` part of the bracketed parameter id (the element ``name`` is checked too,
in case a formatter puts it there). JUnit XML carries the same item name in ``testcase/@name``.
Cucumber elements list only the scenario's own tags; the feature's tags are added here.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from harness.livingdoc.traceability import ScenarioRef

LAYERS = ("api", "ui")
_PARAMS = re.compile(r"\[([^\[\]]*)\]\s*$")


class ResultsError(ValueError):
    """The results file is missing or not in a format this module reads."""


@dataclass(frozen=True)
class StepResult:
    keyword: str
    name: str
    line: int | None
    status: str
    duration: float  # seconds
    error: str = ""
    rows: tuple[tuple[str, ...], ...] = ()  # the step's data table, as Cucumber JSON gives it
    doc_string: str | None = None


@dataclass(frozen=True)
class RunResult:
    test_id: str  # the pytest item name, e.g. test_scopes_are_required[api]
    name: str  # the scenario name (cucumber) or the item name (junit)
    feature_uri: str
    line: int | None
    tags: tuple[str, ...]
    layer: str | None
    status: str  # passed | failed | skipped
    duration: float
    steps: tuple[StepResult, ...] = ()
    classname: str = ""

    @property
    def base_name(self) -> str:
        return self.test_id.split("[", 1)[0]


def layer_of(*labels: str) -> str | None:
    """The layer named in a pytest parameter id (``[api]``, ``[ui-3]``, ``[row1-api]``), if any."""
    for label in labels:
        match = _PARAMS.search(label or "")
        if not match:
            continue
        # Only the first or last id part: example values inside an outline id may contain "-api".
        parts = match.group(1).split("-")
        for part in (parts[0], parts[-1]):
            if part in LAYERS:
                return part
    return None


def _combine(statuses: list[str]) -> str:
    if not statuses:
        return "not run"
    if "failed" in statuses:
        return "failed"
    if all(s == "passed" for s in statuses):
        return "passed"
    return "skipped" if all(s == "skipped" for s in statuses) else "failed"


@dataclass
class ResultSet:
    path: Path | None
    results: list[RunResult] = field(default_factory=list)

    _by_name: dict[str, list[RunResult]] | None = field(default=None, repr=False)

    def _index(self) -> dict[str, list[RunResult]]:
        """Results by scenario name and line (Cucumber) and by test function name (JUnit), built once."""
        if self._by_name is None:
            self._by_name = {}
            for r in self.results:
                keys = [r.name, f"line:{r.line}"] if r.feature_uri else [f"junit:{r.base_name}"]
                for key in keys:
                    self._by_name.setdefault(key, []).append(r)
        return self._by_name

    def for_scenario(self, ref: ScenarioRef) -> list[RunResult]:
        index = self._index()
        matched = [r for r in index.get(ref.name, []) if _same_file(ref, r)]
        if not matched:  # an outline whose name has <placeholders> runs under its examples' names
            matched = [r for r in index.get(f"line:{ref.line}", []) if _same_file(ref, r)]
        if not matched:  # JUnit knows only the test function name that pytest-bdd derived
            matched = list(index.get(f"junit:{ref.python_name}", []))
        return matched

    def fill_layers(self, evidence: dict[str, dict[str, object]]) -> None:
        """Take the layer from the evidence entry (``"layer"``) where the test id does not carry one."""
        by_name = {nodeid.rsplit("::", 1)[-1]: entry.get("layer") for nodeid, entry in evidence.items()}
        self._by_name = None
        self.results = [
            replace(r, layer=str(by_name[r.test_id]))
            if r.layer is None and by_name.get(r.test_id) in LAYERS
            else r
            for r in self.results
        ]

    @staticmethod
    def layer_status(results: list[RunResult], layer: str | None) -> str:
        """passed | failed | skipped | not run, over every result (outline examples too) of ``layer``."""
        return _combine([r.status for r in results if r.layer == layer])


def _same_file(ref: ScenarioRef, result: RunResult) -> bool:
    ours = PurePosixPath(ref.feature_file.as_posix()).parts
    theirs = PurePosixPath(result.feature_uri).parts
    n = min(len(ours), len(theirs))
    return n > 0 and ours[-n:] == theirs[-n:]


def layer_counts(results: list[RunResult]) -> dict[str, dict[str, int]]:
    """Per layer: how many results passed, failed, were skipped (api and ui always present)."""
    counts: dict[str, dict[str, int]] = {}
    for layer in (*LAYERS, *sorted({r.layer or "unlayered" for r in results} - set(LAYERS))):
        chosen = [r for r in results if (r.layer or "unlayered") == layer]
        if chosen or layer in LAYERS:
            counts[layer] = {
                s: sum(1 for r in chosen if r.status == s) for s in ("passed", "failed", "skipped")
            }
    return counts


def load_results(path: Path) -> ResultSet:
    path = Path(path)
    if not path.is_file():
        raise ResultsError(
            f"results file {path} not found: run the scenarios with `pytest --cucumberjson={path}` "
            "(or --junitxml) first, or pass --results PATH"
        )
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("<"):
        return ResultSet(path, _from_junit(path, text))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path}: neither Cucumber JSON nor JUnit XML ({exc})") from None
    if not isinstance(data, list):
        raise ResultsError(f"{path}: Cucumber JSON must be a list of features")
    return ResultSet(path, _from_cucumber(path, data))


def _from_cucumber(path: Path, features: list[object]) -> list[RunResult]:
    results: list[RunResult] = []
    for feature in features:
        if not isinstance(feature, dict):
            raise ResultsError(f"{path}: a feature entry is not an object")
        feature_tags = [t.get("name", "").lstrip("@") for t in feature.get("tags", [])]
        for element in feature.get("elements", []):
            steps = tuple(_step(s) for s in element.get("steps", []))
            own = [t.get("name", "").lstrip("@") for t in element.get("tags", [])]
            test_id = str(element.get("id", ""))
            name = str(element.get("name", ""))
            results.append(
                RunResult(
                    test_id=test_id,
                    name=name,
                    feature_uri=str(feature.get("uri", "")),
                    line=element.get("line"),
                    tags=tuple(dict.fromkeys([*feature_tags, *own])),
                    layer=layer_of(test_id, name),
                    status=_combine([s.status for s in steps]) if steps else "skipped",
                    duration=sum(s.duration for s in steps),
                    steps=steps,
                )
            )
    return results


def _step(raw: dict[str, object]) -> StepResult:
    result = raw.get("result")
    if not isinstance(result, dict):
        result = {}
    line = raw.get("line")
    return StepResult(
        keyword=str(raw.get("keyword", "")).strip(),
        name=str(raw.get("name", "")),
        line=line if isinstance(line, int) else None,
        status=str(result.get("status", "skipped")),
        duration=float(result.get("duration", 0) or 0) / 1e9,  # nanoseconds in the file
        error=str(result.get("error_message", "") or ""),
        rows=_rows(raw.get("rows")),
        doc_string=_doc_string(raw.get("doc_string")),
    )


def _rows(raw: object) -> tuple[tuple[str, ...], ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(tuple(str(c) for c in r.get("cells", [])) for r in raw if isinstance(r, dict))


def _doc_string(raw: object) -> str | None:
    value = raw.get("value") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


def _from_junit(path: Path, text: str) -> list[RunResult]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ResultsError(f"{path}: not valid JUnit XML ({exc})") from None
    results = []
    for case in root.iter("testcase"):
        name = case.get("name", "")
        if case.find("failure") is not None or case.find("error") is not None:
            status = "failed"
        elif case.find("skipped") is not None:
            status = "skipped"
        else:
            status = "passed"
        results.append(
            RunResult(
                test_id=name,
                name=name,
                feature_uri="",
                line=None,
                tags=(),
                layer=layer_of(name),
                status=status,
                duration=float(case.get("time", 0) or 0),
                classname=case.get("classname", ""),
            )
        )
    return results
