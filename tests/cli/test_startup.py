"""Start-up: what `import scoring` and `scoring --help` load (no timing; which modules load)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "pydantic",
    "scoring.model.ruleset",
    "scoring.engine.score",
    "openpyxl",
    "cryptography",
    "yaml",
    "fastapi",  # the web stack: only scoring serve loads it
    "uvicorn",
    "jinja2",
    "scoring.web",
)


def loaded_after(code: str) -> set[str]:
    """The modules of HEAVY that a fresh interpreter has loaded after running ``code``."""
    loaded = f"' '.join(m for m in {HEAVY!r} if m in sys.modules)"
    probe = f"{code}\nimport sys\nsys.stderr.write('loaded: ' + {loaded})"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return set(done.stderr.rpartition("loaded: ")[2].split())


def test_import_scoring_loads_nothing_heavy_until_a_name_is_used():
    assert loaded_after("import scoring") == set()
    assert loaded_after("import scoring; scoring.score") >= {"pydantic", "scoring.engine.score"}


def test_help_loads_no_models_no_workbooks_no_keys():
    code = (
        "import sys\nfrom scoring.cli import main\nsys.argv = ['scoring', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert loaded_after(code) == set()
