"""The user's own mapping: columns to fields and values to ours, from a TOML or JSON file and
from the command line (`--map COLUMN=FIELD`, `--value FIELD:FROM=TO`).

    [columns]                      # header in the file = our field
    "Acct Mgr" = "owner"
    [values.stage]                 # their stage = ours
    "Verbal yes" = "negotiation"
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crm_core.errors import ValidationError
from crm_core.importing.values import ValueMap


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    values: ValueMap = field(default_factory=ValueMap)


def load_mapping(path: Path | None, maps: list[str], values: list[str]) -> Mapping:
    mapping = Mapping()
    if path is not None:
        data = _read(path)
        columns = data.get("columns", {})
        value_tables = data.get("values", {})
        if not isinstance(columns, dict) or not isinstance(value_tables, dict):
            raise ValidationError(f"{path}: [columns] and [values.FIELD] must be tables")
        mapping.columns.update({str(k): str(v) for k, v in columns.items()})
        for field_name, table in value_tables.items():
            if not isinstance(table, dict):
                raise ValidationError(f"{path}: [values.{field_name}] must be a table")
            for source, target in table.items():
                mapping.values.add(str(field_name), str(source), str(target))
    for item in maps:
        column, sep, field_name = item.rpartition("=")
        if not sep or not column.strip() or not field_name.strip():
            raise ValidationError(f"--map {item!r}: write COLUMN=FIELD")
        mapping.columns[column.strip()] = field_name.strip()
    for item in values:
        field_name, sep, rest = item.partition(":")
        source, sep2, target = rest.rpartition("=")
        if not sep or not sep2 or not source.strip():
            raise ValidationError(f"--value {item!r}: write FIELD:FROM=TO")
        mapping.values.add(field_name.strip(), source.strip(), target.strip())
    return mapping


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValidationError(f"cannot read mapping file {path}: {exc.strerror}") from exc
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(f"mapping file {path} is not valid: {exc}") from exc
    if not isinstance(data, dict):
        raise ValidationError(f"mapping file {path} must hold [columns] and [values.FIELD]")
    return data
