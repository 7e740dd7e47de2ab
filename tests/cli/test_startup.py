"""Start-up: what `import scoring`, `scoring --help` and `scoring score` load (no timing)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

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


def loaded_after(code: str, watched: tuple[str, ...] = HEAVY) -> set[str]:
    """The modules of ``watched`` that a fresh interpreter has loaded after running ``code``."""
    loaded = f"' '.join(m for m in {watched!r} if m in sys.modules)"
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


NOT_FOR_A_BREAKDOWN = (
    "openpyxl",
    "cryptography",
    "fastapi",
    "scoring.web",
    "scoring.analysis",  # gap, diff, verify, batch
    "rich.progress",  # the progress bars of the commands that read many files
    "scoring.render.result_json",  # the other formats' renderers
    "scoring.render.result_markdown",
    "scoring.render.result_html",
    "scoring.render.result_xlsx",
    "scoring.render.schema",
    "scoring.cli.batch",  # the other commands: a run imports the one it asks for
    "scoring.cli.diff",
    "scoring.cli.lint",
    "scoring.cli.verify",
    "scoring.cli.monitor",
)


def run_cli(*args: str) -> str:
    """Python that runs ``scoring ARGS`` with its output thrown away."""
    argv = ["scoring", *args]
    return (
        "import contextlib, io, sys\nfrom scoring.cli import main\n"
        f"sys.argv = {argv!r}\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main()\n    except SystemExit as exit:\n        assert exit.code == 0\n"
    )


def test_score_draws_a_breakdown_loading_only_what_it_draws_with():
    example = str(ROOT / "examples" / "xinfang-wangcheng-2022.yaml")
    loaded = loaded_after(
        run_cli("score", example),
        (*NOT_FOR_A_BREAKDOWN, "scoring.model.ruleset", "scoring.render.terminal"),
    )
    assert loaded == {"scoring.model.ruleset", "scoring.render.terminal"}


def test_score_as_json_loads_its_renderer_and_no_progress_bar():
    example = str(ROOT / "examples" / "xinfang-wangcheng-2022.yaml")
    loaded = loaded_after(run_cli("score", example, "--json"), NOT_FOR_A_BREAKDOWN)
    assert "scoring.render.result_json" in loaded
    assert not loaded & {"rich.progress", "openpyxl", "cryptography", "scoring.web"}
