"""Every word a reader meets in the 自评表 of a shipped example is Chinese, in every format.

Each example is scored through the command line into every format (the terminal breakdown on
stdout and in a file, Markdown, HTML, the workbook, JSON), and each output is read as its reader
sees it. Only identifiers survive: the ids, fact names and units the ruleset and facts chose, the
ruleset's id@version, fingerprints and the engine's name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.test_golden import CASES
from tests.helpers import invoke
from tests.wording import (
    english_words,
    explanations,
    html_text,
    json_result,
    markdown_text,
    result_identifiers,
    workbook_text,
)


@pytest.mark.parametrize("facts", CASES, ids=lambda path: path.stem)
def test_every_format_of_an_examples_report_is_chinese(facts: Path, tmp_path: Path):
    result = json_result(invoke(["score", facts, "--json"]).stdout)
    identifiers = result_identifiers(result)
    outputs = {
        "terminal": invoke(["score", facts]).stdout,
        "json explanations": explanations(result),
    }
    for fmt, suffix in (("text", "txt"), ("md", "md"), ("html", "html"), ("xlsx", "xlsx")):
        invoke(["score", facts, "--format", fmt, "-o", tmp_path / f"report.{suffix}"])
    outputs["text file"] = (tmp_path / "report.txt").read_text(encoding="utf-8")
    outputs["md"] = markdown_text((tmp_path / "report.md").read_text(encoding="utf-8"))
    outputs["html"] = html_text((tmp_path / "report.html").read_text(encoding="utf-8"))
    outputs["xlsx"] = workbook_text((tmp_path / "report.xlsx").read_bytes())
    found = {name: english_words(text, identifiers) for name, text in outputs.items()}
    assert found == {name: [] for name in outputs}


def test_the_check_finds_an_english_word_among_identifiers():
    """The scan itself: identifiers and stamps pass, an English word does not."""
    text = "xinfang.a-b@2022.1 sha256:9c63… scoring 0.1.0 execution 预算 capped at 100%"
    assert english_words(text, {"execution"}) == ["capped", "at"]


def test_an_audited_report_with_overrides_and_notes_is_chinese_in_every_format(tmp_path: Path):
    """What no example shows: overrides of both layers, the total before them, a check's note,
    不适用 indicators rescaling the total, and facts naming another ruleset."""
    from tests.render.test_render import FACTS, NOT_APPLICABLE, OVERRIDE, RULES

    (tmp_path / "ruleset.yaml").write_text(RULES, encoding="utf-8")
    facts = tmp_path / "facts.yaml"
    facts.write_text("ruleset: t.other\n" + FACTS + NOT_APPLICABLE + OVERRIDE, encoding="utf-8")
    audit = tmp_path / "audit.yaml"
    audit.write_text(
        "overrides:\n  execution: {points: 7, reason: 执行数含预付款, by: 财政局 赵六}\n",
        encoding="utf-8",
    )
    score: list[str | Path] = ["score", tmp_path / "ruleset.yaml", facts, "--overrides", audit]
    result = json_result(invoke([*score, "--json"]).stdout)
    assert result["self_total"] is not None
    assert result["computed_total"] is not None
    assert result["rescaled"]
    assert {finding["code"] for finding in result["findings"]} >= {"check", "ruleset_mismatch"}
    outputs = {"terminal": invoke(score).stdout, "json explanations": explanations(result)}
    for fmt in ("md", "html", "xlsx"):
        invoke([*score, "--format", fmt, "-o", tmp_path / f"report.{fmt}"])
    outputs["md"] = markdown_text((tmp_path / "report.md").read_text(encoding="utf-8"))
    outputs["html"] = html_text((tmp_path / "report.html").read_text(encoding="utf-8"))
    outputs["xlsx"] = workbook_text((tmp_path / "report.xlsx").read_bytes())
    identifiers = {*result_identifiers(result), "t.other", "t.render"}
    found = {name: english_words(text, identifiers) for name, text in outputs.items()}
    assert found == {name: [] for name in outputs}
    assert "审核调整：8.00 → 7.00，理由：执行数含预付款（财政局 赵六）" in outputs["md"]
