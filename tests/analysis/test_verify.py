"""verify: three verdicts, the whole result compared, claims checked, signatures said."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from scoring.analysis.compare import compare_claims, compare_result, subject_mismatch
from scoring.analysis.verify import Verdict, exit_code, verify_result
from scoring.engine.score import score
from scoring.errors import Issue, RulesetError
from scoring.model.facts import AuditOverrides, Override
from scoring.model.signing import new_key_pair, parse_private_key, parse_public_key, sign_text
from scoring.render import render_json
from tests.conftest import MINIMAL, facts_from, ruleset_from


@pytest.fixture
def ruleset():
    return ruleset_from(MINIMAL)


@pytest.fixture
def text(ruleset):
    facts = facts_from(
        "subject: {unit: 某局, year: 2022}\nfacts: {预算数: 100, 执行数: 85}\n", ruleset
    )
    return render_json(score(ruleset, facts))


def edited(text, change):
    data = json.loads(text)
    change(data)
    return json.dumps(data, ensure_ascii=False, indent=2)


def check(text, ruleset, trusted=()):
    return verify_result(text, "r.json", lambda ref: ruleset, trusted)


def rows(verification):
    return [(d.path, d.field, d.claimed, d.recomputed) for d in verification.differences]


def test_an_untouched_result_agrees(text, ruleset):
    found = check(text, ruleset)
    assert found.verdict == Verdict.AGREES
    assert found.subject == "某局 2022"
    assert found.ruleset == "test.minimal@1"
    assert (found.problems, found.differences, found.errors, found.notes) == ([], [], (), [])


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda d: d["subject"].update(unit="别的局"),
            [("subject.unit", "", "别的局", "某局")],
            id="subject_relabelled",
        ),
        pytest.param(
            lambda d: d.update(grade=None), [("grade", "", "null", '"良"')], id="grade_null"
        ),
        pytest.param(
            lambda d: d.update(total="95.00", grade="优"),
            [("total", "", "95.00", "85.00"), ("grade", "", "优", "良")],
            id="total_and_grade",
        ),
        pytest.param(
            lambda d: d.update(computed_total="90.00", self_total="90.00"),
            [("computed_total", "", '"90.00"', "null"), ("self_total", "", '"90.00"', "null")],
            id="computed_and_self_totals",
        ),
        pytest.param(
            lambda d: d["indicators"][0].update(status="not_applicable"),
            [("execution", "status", "not_applicable", "scored")],
            id="a_status",
        ),
        pytest.param(
            lambda d: d.update(findings=[{"code": "check", "message": "y", "path": None}]),
            [("findings[0]", "", '{"code": "check", "message": "y", "path": null}', "(absent)")],
            id="a_finding_added",
        ),
        pytest.param(
            lambda d: d.update(not_applicable=["execution"]),
            [("not_applicable[0]", "", "execution", "(absent)")],
            id="not_applicable",
        ),
        pytest.param(
            lambda d: d["indicators"][0].update(explanation="85 / 100 → 100"),
            [("execution", "explanation", "85 / 100 → 100", "85 / 100 = 85.00% → 85.00 / 100")],
            id="an_explanation",
        ),
        pytest.param(
            lambda d: d["indicators"][0]["reads"].update(执行数="95"),
            [("execution", "reads.执行数", "95", "85")],
            id="a_value_read",
        ),
        pytest.param(
            lambda d: d.update(total="85"), [("total", "", "85", "85.00")], id="total_rewritten"
        ),
        pytest.param(
            lambda d: d["indicators"][0].update(level=True),
            [("execution", "level", "true", "1")],
            id="true_is_not_1",
        ),
    ],
)
def test_any_edit_anywhere_in_the_result_does_not_agree(text, ruleset, change, expected):
    found = check(edited(text, change), ruleset)
    assert found.verdict == Verdict.DOES_NOT_AGREE
    assert rows(found) == expected


def test_a_score_differs_with_the_rule_that_decides_it(text, ruleset):
    found = check(edited(text, lambda d: d["indicators"][0].update(score="95.00")), ruleset)
    [difference] = found.differences
    assert (difference.path, difference.name, difference.claimed, difference.recomputed) == (
        "execution",
        "预算执行率",
        "95.00",
        "85.00",
    )
    assert difference.rule == "85 / 100 = 85.00% → 85.00 / 100"


def test_nodes_added_or_removed_are_differences(ruleset):
    nested = MINIMAL.replace(
        "  - id: execution\n    name: 预算执行率\n    weight: 100\n",
        "  - id: group\n    name: 组\n    weight: 100\n    children:\n"
        "      - {id: a, name: 甲, weight: 50, method: ratio, actual: 执行数, target: 预算数}\n"
        "      - id: execution\n        name: 预算执行率\n        weight: 50\n",
    ).replace(
        "    method: ratio\n    actual: 执行数\n    target: 预算数\n",
        "        method: ratio\n        actual: 执行数\n        target: 预算数\n",
    )
    tree = ruleset_from(nested)
    text = render_json(score(tree, facts_from("facts: {预算数: 100, 执行数: 85}\n", tree)))

    def change(data):
        children = data["indicators"][0]["children"]
        children.append({**children[0], "path": "group.extra", "id": "extra", "name": "附加"})
        del children[1]  # group.execution

    found = check(edited(text, change), tree)
    assert rows(found) == [
        ("group", "children", "group.a, group.extra", "group.a, group.execution"),
        ("group.execution", "", "(absent)", "42.50"),
        ("group.extra", "", "42.50", "no such indicator"),
    ]


def test_changed_facts_are_said_and_their_effects_listed(text, ruleset):
    found = check(edited(text, lambda d: d["facts"]["facts"].update(执行数="95")), ruleset)
    assert found.problems == [
        "the facts in the result were changed after scoring: their fingerprint no longer "
        "matches facts_fingerprint"
    ]
    assert ("execution", "", "85.00", "95.00") in rows(found)
    assert ("facts.facts.执行数", "", "85", "95") not in rows(found)  # the record holds 95 now


def test_facts_that_score_would_refuse_make_a_malformed_record(text, ruleset):
    found = check(edited(text, lambda d: d["facts"]["facts"].update(执行数="8.5e1")), ruleset)
    assert found.verdict == Verdict.DOES_NOT_AGREE
    [issue] = found.errors
    assert str(issue).startswith("r.json:")
    assert "expected a number, found text '8.5e1'" in str(issue)


def test_a_malformed_record_does_not_agree(ruleset):
    found = check("{not json", ruleset)
    assert found.verdict == Verdict.DOES_NOT_AGREE
    assert [str(issue) for issue in found.errors] == [
        "r.json:1:2: JSON: expected a key in double quotes"
    ]


def test_an_auditors_overrides_edited_in_the_result_are_caught(ruleset):
    facts = facts_from("facts: {预算数: 100, 执行数: 85}\n", ruleset)
    audit = AuditOverrides(
        overrides={"execution": Override(points=Decimal(80), reason="单据不全", by="审计")}
    )
    text = render_json(score(ruleset, facts, audit))
    assert check(text, ruleset).verdict == Verdict.AGREES
    found = check(
        edited(text, lambda d: d["audit_overrides"]["execution"].update(points="85")), ruleset
    )
    assert "the auditor's overrides in the result were changed after scoring" in found.problems
    removed = check(edited(text, lambda d: d.update(audit_overrides={})), ruleset)
    assert removed.verdict == Verdict.DOES_NOT_AGREE
    assert ("self_total", "", '"85.00"', "null") in rows(removed)


def test_a_missing_ruleset_cannot_be_checked(text):
    def find(ref):
        raise RulesetError([Issue(f"no ruleset {ref!r} on the search path (rules)")])

    found = verify_result(text, "r.json", find)
    assert found.verdict == Verdict.CANNOT_BE_CHECKED
    assert found.unchecked == "no ruleset 'test.minimal@1' on the search path (rules)"
    assert found.subject == "某局 2022"


def test_an_unreadable_ruleset_cannot_be_checked(text):
    def find(ref):
        raise PermissionError(13, "Permission denied", "rules/x.yaml")

    found = verify_result(text, "r.json", find)
    assert found.verdict == Verdict.CANNOT_BE_CHECKED
    assert found.unchecked == "the ruleset test.minimal@1 cannot be read: Permission denied"


def test_another_file_with_the_same_id_and_version_cannot_check_it(text):
    other = ruleset_from(MINIMAL.replace("title: 测试", "title: 另一个"))
    found = check(text, other)
    assert found.verdict == Verdict.CANNOT_BE_CHECKED
    assert found.unchecked is not None
    assert found.unchecked.startswith(
        "the ruleset test.minimal@1 on the search path (t.yaml) is not the one this "
        "result was scored under: its fingerprint is sha256:"
    )
    assert found.differences == []


def test_another_engine_version_agrees_when_nothing_else_differs(text, ruleset):
    found = check(edited(text, lambda d: d["engine"].update(version="0.0.1")), ruleset)
    assert found.verdict == Verdict.AGREES
    assert found.notes == ["written by scoring 0.0.1, re-scored by scoring 0.1.0: the same result"]


def test_another_engine_version_with_differences_cannot_be_checked(text, ruleset):
    def change(data):
        data["engine"]["version"] = "0.0.1"
        data["indicators"][0]["explanation"] = "old wording"

    found = check(edited(text, change), ruleset)
    assert found.verdict == Verdict.CANNOT_BE_CHECKED
    assert found.unchecked == (
        "it was written by scoring 0.0.1 and this is scoring 0.1.0: what differs may be a change "
        "in the engine or an edit; verify it with scoring 0.0.1"
    )
    assert rows(found) == [
        ("execution", "explanation", "old wording", "85 / 100 = 85.00% → 85.00 / 100")
    ]


@pytest.fixture(scope="module")
def keys():
    made = [new_key_pair(name) for name in ("财政局", "别人")]
    return [
        (parse_private_key(private, f"{n}.key"), parse_public_key(public, f"{n}.pub"))
        for n, (private, public) in enumerate(made)
    ]


def test_a_trusted_signature_names_its_signer(text, ruleset, keys):
    (signer, trusted), _ = keys
    found = check(sign_text(text, signer), ruleset, [trusted])
    assert found.verdict == Verdict.AGREES
    assert found.signed_by == ["财政局"]


def test_a_result_changed_after_signing_does_not_agree_even_when_consistent(text, ruleset, keys):
    """The attack fingerprints cannot stop: an edit made consistent by scoring the edited facts."""
    (signer, trusted), _ = keys
    signed = json.loads(sign_text(text, signer))
    facts = facts_from(
        "subject: {unit: 某局, year: 2022}\nfacts: {预算数: 100, 执行数: 95}\n", ruleset
    )
    forged = json.loads(render_json(score(ruleset, facts)))
    forged["signatures"] = signed["signatures"]
    found = check(json.dumps(forged, ensure_ascii=False), ruleset, [trusted])
    assert found.verdict == Verdict.DOES_NOT_AGREE
    assert found.signature_problems == [
        "the signature of 财政局 does not match: the result was changed after 财政局 signed it"
    ]
    assert found.differences == []  # consistent: only the signature tells


def test_with_trusted_keys_a_result_nobody_trusted_signed_does_not_agree(text, ruleset, keys):
    (_, trusted), (stranger, _) = keys
    for candidate in (text, sign_text(text, stranger)):
        found = check(candidate, ruleset, [trusted])
        assert found.verdict == Verdict.DOES_NOT_AGREE
        assert found.signature_problems == ["not signed by a trusted key (财政局)"]


def test_without_trusted_keys_a_signature_is_listed_as_not_checked(text, ruleset, keys):
    (signer, trusted), _ = keys
    found = check(sign_text(text, signer), ruleset)
    assert found.verdict == Verdict.AGREES
    assert found.signed_by == []
    assert found.notes == [
        f"signed with key {trusted.fingerprint[:19]}…: give its public key with --trust to check it"
    ]


def test_a_bad_signature_does_not_agree_even_when_the_ruleset_is_missing(text, keys):
    (signer, trusted), _ = keys
    forged = edited(sign_text(text, signer), lambda d: d.update(total="99.00"))

    def find(ref):
        raise OSError(2, "No such file or directory")

    found = verify_result(forged, "r.json", find, [trusted])
    assert found.verdict == Verdict.DOES_NOT_AGREE


@pytest.mark.parametrize(
    ("verdicts", "code"),
    [
        ([], 0),
        ([Verdict.AGREES, Verdict.AGREES], 0),
        ([Verdict.AGREES, Verdict.CANNOT_BE_CHECKED], 2),
        ([Verdict.CANNOT_BE_CHECKED, Verdict.DOES_NOT_AGREE, Verdict.AGREES], 1),
    ],
)
def test_a_folder_exits_1_on_any_disagreement_else_2_on_any_unchecked(verdicts, code):
    assert exit_code(verdicts) == code


def test_claims_on_unknown_paths_and_wrong_totals_are_listed(ruleset):
    result = score(ruleset, facts_from("facts: {预算数: 100, 执行数: 85}\n", ruleset))
    found = compare_claims({"executoin": 85, "execution": "85"}, "90", "优", result)
    assert [(d.path, d.claimed, d.recomputed) for d in found] == [
        ("executoin", "85", "no such indicator"),
        ("总分", "90", "85.00"),
        ("等级", "优", "良"),
    ]


@pytest.mark.parametrize(
    ("claimed", "mismatch"),
    [
        ({"unit": "某局", "year": 2022}, []),
        ({"unit": " 某局 ", "year": "２０２２"}, []),  # spaces and full-width digits fold
        ({"unit": "某局", "year": 2023}, ["year"]),
        ({"unit": "别的局"}, ["unit"]),
        ({"project": "信访救助资金"}, ["project"]),  # the facts name no project
        ({}, []),
    ],
)
def test_the_claims_subject_must_be_the_facts_subject(claimed, mismatch):
    assert subject_mismatch(claimed, {"unit": "某局", "year": "2022"}) == mismatch


def test_the_whole_result_is_compared_by_a_plain_function(text, ruleset):
    facts = facts_from(
        "subject: {unit: 某局, year: 2022}\nfacts: {预算数: 100, 执行数: 85}\n", ruleset
    )
    assert compare_result(json.loads(text), score(ruleset, facts)) == []


# --- a form in progress, and where the ruleset was read from --------------------------------

TWO = (
    MINIMAL.replace("    weight: 100\n", "    weight: 60\n")
    + "  - {id: timely, name: 及时性, weight: 40, method: boolean, value: 按时拨付}\n"
)
TWO = TWO.replace("facts:\n", "facts:\n  按时拨付: {type: boolean}\n")


@pytest.fixture
def pending():
    """A form in progress scored with partial: 按时拨付 left blank, its indicator 待填."""
    from scoring.load.facts import parse_facts

    ruleset = ruleset_from(TWO)
    facts = parse_facts(
        "facts: {预算数: 100, 执行数: 85, 按时拨付: }\n", "f.yaml", ruleset, partial=True
    )
    result = score(ruleset, facts, partial=True)
    assert (result.partial, result.pending) == (True, ("timely",))
    return ruleset, render_json(result)


def test_a_form_in_progress_verifies_as_one(pending):
    ruleset, text = pending
    found = check(text, ruleset)
    assert found.verdict == Verdict.AGREES
    assert (found.errors, found.problems, found.differences) == ((), [], [])


def test_a_form_in_progress_relabelled_complete_does_not_agree(pending):
    ruleset, text = pending
    found = check(edited(text, lambda d: d.update(partial=False)), ruleset)
    assert found.verdict == Verdict.DOES_NOT_AGREE
    assert [issue.message for issue in found.errors] == ["missing"]


def test_a_complete_result_relabelled_a_form_in_progress_does_not_agree(text, ruleset):
    found = check(edited(text, lambda d: d.update(partial=True)), ruleset)
    assert found.verdict == Verdict.DOES_NOT_AGREE
    assert rows(found) == [("partial", "", "true", "false")]


@pytest.mark.parametrize(
    "files",
    [["../rules/t.yaml"], ["/elsewhere/rules/t.yaml", "<shipped>/mof/x.yaml"], []],
)
def test_where_the_ruleset_was_read_from_is_not_compared(text, ruleset, files):
    """The same file named from another directory or by another path: the fingerprint pins it."""
    found = check(edited(text, lambda d: d["ruleset"].update(files=files)), ruleset)
    assert found.verdict == Verdict.AGREES
    assert found.differences == []


# --- messages in Chinese ----------------------------------------------------------------------


@pytest.mark.usefixtures("chinese")
def test_verdicts_and_their_reasons_are_said_in_chinese(text, ruleset):
    assert [verdict.text for verdict in Verdict] == ["一致", "不一致", "无法核对"]
    changed = check(edited(text, lambda d: d["facts"]["facts"].update(执行数="95")), ruleset)
    assert changed.problems == ["结果中的数据项在评分后被改动过：其指纹与 facts_fingerprint 不符"]
    added = check(
        edited(
            text, lambda d: d.update(findings=[{"code": "check", "message": "y", "path": None}])
        ),
        ruleset,
    )
    assert rows(added) == [
        ("findings[0]", "", '{"code": "check", "message": "y", "path": null}', "（无）")
    ]
    older = check(edited(text, lambda d: d["engine"].update(version="0.0.1")), ruleset)
    assert older.notes == ["由 scoring 0.0.1 写出，经 scoring 0.1.0 重新评分：结果相同"]


@pytest.mark.usefixtures("chinese")
def test_an_overridden_score_that_differs_gives_the_override_in_chinese(ruleset):
    facts = facts_from("facts: {预算数: 100, 执行数: 85}\n", ruleset)
    audit = AuditOverrides(
        overrides={"execution": Override(points=Decimal(80), reason="单据不全", by="审计")}
    )
    text = render_json(score(ruleset, facts, audit))
    found = check(edited(text, lambda d: d["indicators"][0].update(score="90.00")), ruleset)
    [difference] = [d for d in found.differences if d.path == "execution" and not d.field]
    assert difference.rule == "85 / 100 = 85.00% → 85.00 / 100；审核调整 80.00：单据不全（审计）"


def test_a_result_verified_in_chinese_agrees_as_in_english(text, ruleset, chinese):
    assert check(text, ruleset).verdict == Verdict.AGREES


def test_a_record_the_result_model_refuses_is_said_where_never_as_pydantics_error(text, ruleset):
    # the result model (pydantic) refuses each of these; verify says where, in our words
    def breaks(data):
        data["indicators"][0].update(status="maybe", level="one")
        data["findings"].append({"code": "nope", "message": "m"})

    found = check(edited(text, breaks), ruleset)
    assert found.verdict == Verdict.DOES_NOT_AGREE
    assert [issue.location is not None for issue in found.errors] == [True, True, True]
    assert [str(issue).split(": ", 1)[1] for issue in found.errors] == [
        "code: expected 'check', 'derived_failed', 'grade_withheld', 'in_force', "
        "'mostly_not_applicable', 'out_of_force', 'panel_spread', 'pending', 'pending_override', 'rescaled' or "
        "'ruleset_mismatch', found 'nope'",
        "[execution] level: expected a number, found 'one'",
        "[execution] status: expected 'scored', 'not_applicable' or 'pending', found 'maybe'",
    ]
