"""Read labeled data for evaluation: injection tables (CSV, JSONL, JSON, parquet) and PII spans.

Injection files need a text column and a label column. Without names given, the first column
found among `TEXT_COLUMNS` / `LABEL_COLUMNS` is used. Labels may be 0/1, true/false, or words:
benign/safe/legit/normal/negative mean 0, and injection/jailbreak/malicious/attack/unsafe/
harmful/positive mean 1 (see `parse_label`).

PII files are Presidio's span JSON: a list of records with `full_text` and `spans` of
`{entity_type, start_position, end_position}` (`entity_value` optional); JSONL of the same works.
Every problem is a ConfigError naming the file and, where it applies, the column or row.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from a3m_integrations.errors import ConfigError

__all__ = [
    "LABEL_COLUMNS",
    "TEXT_COLUMNS",
    "GoldSpan",
    "PiiRecord",
    "load_injection_file",
    "load_pii_file",
    "parse_label",
    "read_rows",
]

TEXT_COLUMNS = ("text", "prompt", "content", "input", "query", "question", "sentence", "message", "instruction")
LABEL_COLUMNS = ("label", "labels", "type", "is_injection", "injection", "is_jailbreak", "jailbreak", "class", "target")
_NEGATIVE = {
    "0",
    "false",
    "no",
    "benign",
    "safe",
    "legit",
    "legitimate",
    "normal",
    "negative",
    "clean",
    "harmless",
    "ok",
}
_POSITIVE = {
    "1", "true", "yes", "injection", "prompt_injection", "prompt-injection", "jailbreak", "malicious", "attack",
    "unsafe", "harmful", "positive", "adversarial",
}  # fmt: skip
_MAX_FILE_BYTES = 512 * 1024 * 1024


def parse_label(value: object) -> int | None:
    """0 or 1 for a label value, None if it is not one we understand."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return int(value)
    word = str(value).strip().lower()
    if word.endswith(".0"):
        word = word[:-2]
    if word in _NEGATIVE:
        return 0
    if word in _POSITIVE:
        return 1
    return None


def _check_file(path: Path) -> None:
    if not path.exists():
        raise ConfigError("file not found", source=str(path), hint="Check the path and try again.")
    if not path.is_file():
        raise ConfigError("not a regular file", source=str(path), hint="Pass a file, not a directory.")
    if path.stat().st_size > _MAX_FILE_BYTES:
        raise ConfigError("file larger than 512 MB", source=str(path), hint="Split the file and evaluate parts.")


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a CSV/TSV, JSONL, JSON (list of objects) or parquet file as dicts."""
    path = Path(path)
    _check_file(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            try:
                import pyarrow.parquet as pq
            except ImportError as exc:
                raise ConfigError(
                    "reading parquet needs pyarrow",
                    source=str(path),
                    hint="pip install 'a3m-integrations[eval]', or convert the file to CSV or JSONL.",
                ) from exc
            return list(pq.read_table(path).to_pylist())
        text = path.read_text(encoding="utf-8-sig")
        if suffix in (".jsonl", ".ndjson"):
            return [_as_row(json.loads(line), path, i) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
        if suffix == ".json":
            data = json.loads(text)
            if isinstance(data, Mapping):
                data = next((v for v in data.values() if isinstance(v, list)), None)
            if not isinstance(data, list):
                raise ConfigError("JSON file must hold a list of objects", source=str(path))
            return [_as_row(item, path, i) for i, item in enumerate(data, 1)]
        dialect = csv.excel_tab if suffix == ".tsv" else csv.excel
        csv.field_size_limit(1 << 30)
        return list(csv.DictReader(text.splitlines(keepends=True), dialect=dialect))
    except ConfigError:
        raise
    except UnicodeDecodeError as exc:
        raise ConfigError("file is not UTF-8 text", source=str(path), hint="Re-save it as UTF-8.") from exc
    except (json.JSONDecodeError, csv.Error) as exc:
        raise ConfigError(f"cannot parse the file ({exc})", source=str(path)) from exc
    except Exception as exc:  # pyarrow and OS errors, mapped at this boundary
        raise ConfigError(f"cannot read the file ({type(exc).__name__}: {exc})", source=str(path)) from exc


def _as_row(item: object, path: Path, index: int) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise ConfigError("every record must be a JSON object", source=str(path), entry=f"row {index}")
    return dict(item)


def _pick(columns: Sequence[str], wanted: str | None, candidates: Sequence[str], what: str, path: Path) -> str:
    if wanted is not None:
        if wanted not in columns:
            raise ConfigError(
                f"no {what} column {wanted!r}; columns are {', '.join(columns) or 'none'}",
                source=str(path),
                field=wanted,
                hint=f"Name the {what} column with --{what}-column.",
            )
        return wanted
    lower = {c.lower(): c for c in columns}
    for name in candidates:
        if name in lower:
            return lower[name]
    raise ConfigError(
        f"cannot find a {what} column; columns are {', '.join(columns) or 'none'}",
        source=str(path),
        hint=f"Name it with --{what}-column (looked for: {', '.join(candidates)}).",
    )


def load_injection_file(
    path: str | Path, *, text_column: str | None = None, label_column: str | None = None
) -> tuple[list[str], list[int]]:
    """Texts and 0/1 labels from a labeled file. ConfigError for unknown labels or columns."""
    path = Path(path)
    rows = read_rows(path)
    if not rows:
        raise ConfigError("the file has no rows", source=str(path))
    columns = list(rows[0].keys())
    tcol = _pick(columns, text_column, TEXT_COLUMNS, "text", path)
    lcol = _pick(columns, label_column, LABEL_COLUMNS, "label", path)
    texts: list[str] = []
    labels: list[int] = []
    for i, row in enumerate(rows, 1):
        label = parse_label(row.get(lcol))
        if label is None:
            raise ConfigError(
                f"label {str(row.get(lcol))[:40]!r} is not 0/1, true/false or a known word",
                source=str(path),
                entry=f"row {i}",
                field=lcol,
                hint="Use 0/1, or words such as benign/injection/jailbreak.",
            )
        text = row.get(tcol)
        texts.append("" if text is None else str(text))
        labels.append(label)
    return texts, labels


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """A labeled entity: type and character offsets [start, end)."""

    entity: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PiiRecord:
    """A text and its labeled entity spans."""

    text: str
    spans: tuple[GoldSpan, ...]


def _iter_pii(rows: list[dict[str, Any]], path: Path) -> Iterator[PiiRecord]:
    for i, row in enumerate(rows, 1):
        text = row.get("full_text", row.get("text"))
        spans = row.get("spans", [])
        if isinstance(spans, str):
            spans = json.loads(spans)
        if not isinstance(text, str) or not isinstance(spans, list):
            raise ConfigError(
                "each record needs 'full_text' (or 'text') and a list 'spans'",
                source=str(path),
                entry=f"record {i}",
                hint="Use Presidio's span JSON format.",
            )
        gold = []
        for s in spans:
            try:
                start, end = int(s["start_position"]), int(s["end_position"])
                entity = str(s["entity_type"])
            except (KeyError, TypeError, ValueError) as exc:
                raise ConfigError(
                    "each span needs entity_type, start_position and end_position",
                    source=str(path),
                    entry=f"record {i}",
                ) from exc
            if not 0 <= start <= end <= len(text):
                raise ConfigError(f"span {start}-{end} lies outside the text", source=str(path), entry=f"record {i}")
            gold.append(GoldSpan(entity, start, end))
        yield PiiRecord(text, tuple(gold))


def load_pii_file(path: str | Path) -> list[PiiRecord]:
    """Records of a Presidio-style span file (JSON list or JSONL)."""
    path = Path(path)
    rows = read_rows(path)
    if not rows:
        raise ConfigError("the file has no records", source=str(path))
    return list(_iter_pii(rows, path))
