"""Bringing another tool's export in: `crmbot import`. One concept per module: reading
(encodings, delimiters), headers (column aliases), values (dates, amounts, stages), mapping
(the user's own), duplicates, context (look-ups and writes), loaders (one per kind), runner."""

from crm_core.importing.context import ImportOptions, ImportReport
from crm_core.importing.mapping import Mapping, load_mapping
from crm_core.importing.runner import StrictStop, import_file, plan_directory, write_errors

__all__ = [
    "ImportOptions",
    "ImportReport",
    "Mapping",
    "StrictStop",
    "import_file",
    "load_mapping",
    "plan_directory",
    "write_errors",
]
