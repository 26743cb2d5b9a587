"""Load content/knowledge/*.yaml into a validated KnowledgeBase."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Iterator, List, Optional, Tuple, Union

import yaml

from .model import KnowledgeBase
from .schema import check_raw_entries

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "content" / "knowledge"


class ContentError(ValueError):
    """The knowledge content is broken; the message lists every problem."""

    def __init__(self, problems: List[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"Knowledge content is invalid ({len(problems)} problem(s)):\n{lines}")


def _raw_entries(directory: Path, problems: List[str]) -> Iterator[Tuple[str, Any]]:
    files = sorted(directory.glob("*.yaml"))
    if not files:
        problems.append(f"{directory}: no *.yaml content files")
    for path in files:
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(f"{path.name}: not valid YAML: {exc}")
            continue
        if not isinstance(document, dict) or set(document) != {"entries"}:
            problems.append(f"{path.name}: the file must hold exactly one key, 'entries'")
            continue
        entries = document["entries"]
        if not isinstance(entries, list) or not entries:
            problems.append(f"{path.name}: 'entries' must be a non-empty list")
            continue
        for index, raw in enumerate(entries, start=1):
            yield f"{path.name} entry {index}", raw


def load_knowledge(
    directory: Union[str, Path, None] = None, today: Optional[date] = None
) -> KnowledgeBase:
    """Read and validate every content file; raise ContentError if anything is wrong."""
    directory = Path(directory) if directory else DEFAULT_CONTENT_DIR
    problems: List[str] = []
    if not directory.is_dir():
        raise ContentError([f"{directory}: content directory not found"])
    raw = list(_raw_entries(directory, problems))
    entries, errors = check_raw_entries(raw, today or date.today())
    problems.extend(errors)
    if problems:
        raise ContentError(problems)
    return KnowledgeBase(entries=tuple(entries))
