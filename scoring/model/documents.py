"""JSON documents as every output of scoring writes one (results, summaries, signatures, schemas).

Light on purpose: the command line imports it at start-up.
"""

from __future__ import annotations

import json
from typing import Any


def json_text(data: Any) -> str:
    """A JSON document: sorted keys, indented, UTF-8; the same data always gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
