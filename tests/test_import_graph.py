"""No import circles in the package, counting imports made only for type checking.

Rule served: harness/README.md (arrows point one way; the fake's backend lives outside its app
factory, the wizard's intents name their parts through a protocol). A circle found here is named with
the chain that closes it.
"""

from __future__ import annotations

import grimp


def _circles(package: str) -> list[str]:
    graph = grimp.build_graph(package, cache_dir=None)
    found = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                found.append(" -> ".join((module, *back)))
    return found


def test_the_package_has_no_import_circles() -> None:
    assert _circles("harness") == []
