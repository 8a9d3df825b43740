"""Cucumber Messages (NDJSON) of a run: what current Cucumber tooling reads.

Rule served: "Reports from one run" (docs/design.md section 6), in the Cucumber Messages protocol
(the ``cucumber-messages`` package's ``Envelope``; one JSON envelope per line). The feature files
are parsed and compiled into pickles by the official Gherkin parser (``gherkin-official``), so
``source``, ``gherkinDocument`` and ``pickle`` are exactly what Cucumber itself would emit; each
pytest item (one per layer) becomes a ``testCase`` of its own pickle, with step results from the
evidence, each step's screenshot as an ``attachment`` (base64) and a failure's Playwright trace
as an ``externalAttachment`` (a link relative to the reports folder). Data tables and doc strings
travel in the pickle steps' ``argument``, as Cucumber compiles them.

One document per layer. In Cucumber's model several test cases (attempts) of one pickle are
retries, and a reader such as Cucumber's HTML formatter shows only the last; several pickles of one
scenario node are shown as one scenario with the first pickle's steps. The ``[api]`` and ``[ui]``
runs are neither: they are two runs of the same feature file, as Cucumber would make by running the
suite twice with two profiles. So each layer that ran a file gets its own ``source`` and
``gherkinDocument`` (the file's uri with ``#api`` or ``#ui``) and its own pickles (named with
`` [api]``/`` [ui]``): every reader counts, lists and shows each layer's result, steps, tables and
screenshots on its own, and the uri still names the real file.

"""

from __future__ import annotations

import base64
import json
import platform
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from cucumber_messages import Envelope, message_converter
from gherkin.ast_builder import AstBuilder
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler
from gherkin.stream.id_generator import IdGenerator

from harness.livingdoc.evidence_file import Entry, Evidence

MEDIA_GHERKIN = "text/x.cucumber.gherkin+plain"
_STATUS = {"passed": "PASSED", "failed": "FAILED", "skipped": "SKIPPED", "undefined": "UNDEFINED"}


def _timestamp(epoch: float) -> dict[str, int]:
    seconds = int(epoch)
    return {"seconds": seconds, "nanos": int((epoch - seconds) * 1e9)}


def _duration(seconds: float) -> dict[str, int]:
    whole = int(seconds)
    return {"seconds": whole, "nanos": int((seconds - whole) * 1e9)}


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def _meta() -> dict[str, Any]:
    return {"meta": {"protocolVersion": _version("cucumber-messages"),
                     "implementation": {"name": "harness (pytest-bdd)", "version": _version("pytest-bdd")},
                     "runtime": {"name": "python", "version": platform.python_version()},
                     "os": {"name": platform.system(), "version": platform.release()},
                     "cpu": {"name": platform.machine() or "unknown"}}}


class _Features:
    """The feature files the run's scenarios came from, parsed once per layer that ran them."""

    def __init__(self, features_dir: Path, ids: IdGenerator) -> None:
        self.features_dir = Path(features_dir)
        self.ids = ids
        self.parsed: dict[tuple[str, str], tuple[dict[str, Any], list[dict[str, Any]]]] = {}
        self.envelopes: list[dict[str, Any]] = []

    def _locate(self, uri: str) -> Path | None:
        direct = self.features_dir / uri
        if direct.is_file():
            return direct
        matches = [p for p in self.features_dir.rglob(Path(uri).name) if p.as_posix().endswith(uri)]
        return matches[0] if matches else None

    def get(self, uri: str, layer: str = "") -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """The document and pickles of ``uri`` as run through ``layer`` (``#api``, ``#ui`` on the uri)."""
        if (uri, layer) not in self.parsed:
            path = self._locate(uri)
            if path is None:
                return None
            text = path.read_text(encoding="utf-8")
            name = path.as_posix() + (f"#{layer}" if layer else "")
            document = {**Parser(ast_builder=AstBuilder(self.ids)).parse(text), "uri": name}
            pickles = [{**p, "name": f"{p['name']} [{layer}]"} if layer else p
                       for p in Compiler(self.ids).compile(document)]
            self.envelopes += [{"source": {"uri": name, "data": text, "mediaType": MEDIA_GHERKIN}},
                               {"gherkinDocument": document}, *({"pickle": p} for p in pickles)]
            self.parsed[(uri, layer)] = (document, pickles)
        return self.parsed[(uri, layer)]


def _scenario_ids(document: dict[str, Any], line: int) -> set[str]:
    """Ids of the Scenario node(s) at ``line`` (directly under the feature or inside a Rule)."""
    found = set()
    for child in document.get("feature", {}).get("children", []):
        nested = child.get("rule", {}).get("children", []) if "rule" in child else [child]
        for item in nested:
            scenario = item.get("scenario")
            if scenario and scenario["location"]["line"] == line:
                found.add(scenario["id"])
    return found


def _pickle_for(parsed: tuple[dict[str, Any], list[dict[str, Any]]], entry: Entry) -> dict[str, Any] | None:
    """The pickle that ran: the same step texts (an outline's example row), at the recorded line if several."""
    document, pickles = parsed
    texts = [s.get("name") for s in entry.get("steps", [])]
    same = [p for p in pickles if [s["text"] for s in p["steps"]] == texts]
    at_line = _scenario_ids(document, int(entry["scenario"].get("line") or 0))
    return next((p for p in same if p["astNodeIds"][0] in at_line), same[0] if same else None)


def _test_case(case_id: str, pickle: dict[str, Any], run_id: str) -> dict[str, Any]:
    steps = [{"id": f"{case_id}.{n}", "pickleStepId": step["id"], "stepDefinitionIds": [],
              "stepMatchArgumentsLists": []} for n, step in enumerate(pickle["steps"])]
    return {"testCase": {"id": case_id, "pickleId": pickle["id"], "testSteps": steps, "testRunStartedId": run_id}}


def _step_result(step: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"duration": _duration(float(step.get("duration", 0) or 0)),
                              "status": _STATUS.get(str(step.get("status")), "UNKNOWN")}
    if step.get("error"):
        result["message"] = str(step["error"])
        headline = str(step["error"]).strip().splitlines()[-1] if str(step["error"]).strip() else "Error"
        kind = headline.split(":", 1)[0] if ":" in headline else "Error"
        result["exception"] = {"type": kind[:200].strip() or "Error", "message": str(step["error"])[:4000]}
    return result


def _attachment(evidence: Evidence, relative: str, started_id: str, step_id: str) -> dict[str, Any] | None:
    try:
        body = base64.b64encode(evidence.path(relative).read_bytes()).decode("ascii")
    except OSError:
        return None
    return {"attachment": {"body": body, "contentEncoding": "BASE64", "mediaType": "image/png",
                           "fileName": Path(relative).name, "testCaseStartedId": started_id, "testStepId": step_id}}


def _execution(evidence: Evidence, entry: Entry, case_id: str, attachments: bool) -> Iterator[dict[str, Any]]:
    started_id = f"{case_id}.run"
    clock = float(entry.get("started") or 0.0)
    yield {"testCaseStarted": {"attempt": 0, "id": started_id, "testCaseId": case_id,
                               "timestamp": _timestamp(clock)}}
    for n, step in enumerate(entry.get("steps", [])):
        step_id = f"{case_id}.{n}"
        yield {"testStepStarted": {"testCaseStartedId": started_id, "testStepId": step_id,
                                   "timestamp": _timestamp(clock)}}
        shot = step.get("screenshot")
        if attachments and shot and (attached := _attachment(evidence, shot, started_id, step_id)):
            yield attached
        clock += float(step.get("duration", 0) or 0)
        yield {"testStepFinished": {"testCaseStartedId": started_id, "testStepId": step_id,
                                    "testStepResult": _step_result(step), "timestamp": _timestamp(clock)}}
    if entry.get("trace"):
        yield {"externalAttachment": {"url": str(entry["trace"]), "mediaType": "application/zip",
                                      "testCaseStartedId": started_id}}
    yield {"testCaseFinished": {"testCaseStartedId": started_id, "timestamp": _timestamp(clock),
                                "willBeRetried": False}}


def envelopes(evidence: Evidence, features_dir: Path, attachments: bool = True) -> Iterator[dict[str, Any]]:
    """Every envelope of the run, in protocol order (sources and pickles before the test cases)."""
    ids = IdGenerator()
    features = _Features(features_dir, ids)
    run_id = "run"
    cases: list[tuple[str, Entry]] = []
    test_cases = []
    for entry in evidence.tests.values():
        scenario = entry.get("scenario")
        uri = str(scenario.get("feature", {}).get("uri", "")) if isinstance(scenario, dict) else ""
        parsed = features.get(uri, str(entry.get("layer") or "")) if uri else None
        pickle = _pickle_for(parsed, entry) if parsed else None
        if pickle is None:
            continue  # no feature file or scenario for it (edited since the run, or skipped before it began)
        case_id = f"tc{len(cases)}"
        test_cases.append(_test_case(case_id, pickle, run_id))
        cases.append((case_id, entry))
    started = min((float(e.get("started") or 0) for _, e in cases), default=float(evidence.run.get("started") or 0))
    yield _meta()
    yield from features.envelopes
    yield {"testRunStarted": {"timestamp": _timestamp(started), "id": run_id}}
    yield from test_cases
    for case_id, entry in cases:
        yield from _execution(evidence, entry, case_id, attachments)
    success = all(e.get("outcome") != "failed" for _, e in cases)
    finished = float(evidence.run.get("written_at") or started)
    yield {"testRunFinished": {"success": success, "timestamp": _timestamp(finished), "testRunStartedId": run_id}}


def write(path: Path, evidence: Evidence, features_dir: Path, attachments: bool = True) -> int:
    """Write the NDJSON file (each envelope checked by the package's Envelope); returns the line count."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with Path(path).open("w", encoding="utf-8") as out:
        for envelope in envelopes(evidence, features_dir, attachments):
            message_converter.from_dict(envelope, Envelope)  # raises on a missing required field
            out.write(json.dumps(envelope, separators=(",", ":")) + "\n")
            count += 1
    return count
