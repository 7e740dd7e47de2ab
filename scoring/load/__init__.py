"""The only code that reads files or parses text.

YAML with positions, CSV/XLSX/Parquet rows, facts, overrides, result records, the ruleset search
path and ``extends``.
"""
