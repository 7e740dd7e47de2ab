"""A catalogue of bad input: every case is refused with one exact, located message.

Exit 1 when the input was read and found wanting; exit 2 (``exit: 2``) when nothing could be
checked: the rules it names cannot be looked up.

Each directory under ``cases/`` is one mistake a user can make: its input files (``ruleset.yaml``,
often ``facts.yaml``, sometimes ``lib/`` with the parent rulesets that ``--rulesets lib`` finds) and a
``case.yaml``:

```yaml
why: one sentence on what the user did wrong
args: [score, ruleset.yaml, facts.yaml]   # the scoring command line, run in the case directory
stderr: |                                 # the exact, complete stderr
  ruleset.yaml:12:5: [output.aided] weight: ...
exit: 2                                     # optional: 2 for a usage error (default 1)
xfail: "why the engine's message is wrong"  # optional: stderr is then what it SHOULD say
repeat:                                     # optional: inputs too big to keep in the repository
  - {file: ruleset.yaml, replace: "@@TERMS@@", with: " + 1", times: 99999}
workbooks:                                  # optional: XLSX inputs, built rather than kept
  - {file: filled.xlsx, template: ruleset.yaml, values: {执行数: 一百}}   # a filled template
  - {file: other.xlsx, sheet: 汇总}                                       # no facts sheet
  - {file: bomb.xlsx, template: ruleset.yaml, bomb: xl/sharedStrings.xml} # a part, a zip bomb
```

The runner copies the case to a temporary directory, applies ``repeat`` (the marker in ``file``
becomes ``with`` repeated ``times`` times), builds the ``workbooks`` (the template of a ruleset
with ``values`` typed into its value cells, or a workbook of one other sheet; ``bomb`` replaces a
part with 200 shared strings of 1 MB, packed to a few hundred KB), runs the command in-process with
``catch_exceptions=False`` (so a crash fails with its traceback, never as exit 1), and adds ``-o``
to the commands that write (unless the case gives its own). It checks: exit code 1 (or ``exit``),
stderr exactly as written, nothing on stdout, no traceback, every input byte-for-byte unchanged
and no output file.

The search path always ends with the shipped ``rulesets/`` directory; messages that list it show
``<shipped>`` instead of its absolute path, so that the expected text does not depend on where
the repository lives.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml  # noqa: TID251 (the catalogue's own case.yaml, not the engine's input)
from typer.testing import CliRunner  # noqa: TID251 (the CLI is tested through typer)

from scoring.cli import with_commands
from scoring.load.registry import SHIPPED_RULESETS

CASES = Path(__file__).resolve().parent / "cases"
MINIMUM_CASES = 60
OUTPUTS = {"score": "out.json", "template": "out.yaml", "diff": "out.txt", "review": "out.json"}
"""The commands that write, and the output file the runner asks them to write."""
KEYS = {"why", "args", "stderr", "exit", "xfail", "repeat", "workbooks"}


def case_directories() -> list[Path]:
    return sorted(path for path in CASES.iterdir() if path.is_dir())


def read_case(directory: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((directory / "case.yaml").read_text(encoding="utf-8"))
    return data


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` with its bytes."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def expand(directory: Path, repeat: list[dict[str, Any]]) -> None:
    """Write out the inputs too big to keep in the repository (a 2 MiB file, a huge formula)."""
    for item in repeat:
        path = directory / item["file"]
        text = path.read_text(encoding="utf-8")
        assert text.count(item["replace"]) == 1, f"{path}: the marker must occur exactly once"
        path.write_text(
            text.replace(item["replace"], item["with"] * item["times"]), encoding="utf-8"
        )


def build_workbooks(directory: Path, workbooks: list[dict[str, Any]]) -> None:
    """Write the XLSX inputs of a case: binary files are built, not kept in the repository."""
    from scoring.load.rulesets import load_ruleset
    from scoring.render.workbook import render_template_xlsx
    from tests.load.test_xlsx import strings_bomb, with_part, workbook_bytes
    from tests.render.test_workbook import fill

    for spec in workbooks:
        if "template" in spec:
            template = render_template_xlsx(load_ruleset(directory / spec["template"]))
            data = fill(template, spec.get("values") or {})
        else:
            data = workbook_bytes([["填表说明"]], spec["sheet"])
        if "bomb" in spec:
            data = with_part(data, spec["bomb"], strings_bomb())
        (directory / spec["file"]).write_bytes(data)


def params() -> list[Any]:
    found = []
    for directory in case_directories():
        reason = read_case(directory).get("xfail")
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        found.append(pytest.param(directory, id=directory.name, marks=marks))
    return found


@pytest.mark.parametrize("source", params())
def test_bad_input_is_refused_with_its_message(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = read_case(source)
    work = tmp_path / source.name
    shutil.copytree(source, work)
    (work / "case.yaml").unlink()
    expand(work, case.get("repeat") or [])
    build_workbooks(work, case.get("workbooks") or [])
    monkeypatch.chdir(work)
    before = snapshot(work)
    args = [str(arg) for arg in case["args"]]
    output = None if "-o" in args else OUTPUTS.get(args[0])
    if output is not None:
        args += ["-o", output]

    result = CliRunner().invoke(with_commands(), args, prog_name="scoring", catch_exceptions=False)

    stderr = result.stderr.replace(str(SHIPPED_RULESETS), "<shipped>")
    assert "Traceback" not in result.output
    assert (result.exit_code, stderr) == (case.get("exit", 1), case["stderr"]), (
        f"scoring {' '.join(args)}: exit {result.exit_code}\n--- stderr\n{stderr}"
    )
    assert result.stdout == ""
    assert snapshot(work) == before, "an input file changed, or an output file was written"
    assert output is None or not (work / output).exists()


def test_every_case_says_why_and_what_to_expect() -> None:
    for directory in case_directories():
        assert (directory / "case.yaml").is_file(), f"{directory.name}: no case.yaml"
        case = read_case(directory)
        assert set(case) <= KEYS, f"{directory.name}: unknown keys {set(case) - KEYS}"
        why, args, stderr = case.get("why"), case.get("args"), case.get("stderr")
        assert isinstance(why, str), f"{directory.name}: why must be a sentence"
        assert why.strip(), f"{directory.name}: why is empty"
        assert isinstance(args, list), f"{directory.name}: args must be a list"
        assert args, f"{directory.name}: args is empty"
        assert isinstance(stderr, str), f"{directory.name}: stderr must be text"
        assert stderr.endswith("\n"), f"{directory.name}: stderr must end with a newline"
        assert case.get("xfail") is None or str(case["xfail"]).strip(), directory.name
        assert case.get("exit", 1) in (1, 2), f"{directory.name}: exit is 1 or 2"


def test_the_catalogue_has_enough_cases() -> None:
    assert len(case_directories()) >= MINIMUM_CASES
