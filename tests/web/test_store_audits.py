"""The audit trail: rows only added, a sign-off freezes the submission, a stale sign-off refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scoring.web.store import audits
from scoring.web.store.database import Database, SignedOffError
from scoring.web.store.tables import SUBMITTED, User
from tests.web.conftest import BOTH_DATABASES

pytestmark = BOTH_DATABASES


@pytest.fixture
def database(store_url: str) -> Iterator[Database]:
    opened = Database(store_url)
    yield opened
    opened.close()


def _submit(database: Database, user: User) -> int:
    saved = database.save(user, "望城区", "r@1", "2022", kind=SUBMITTED, facts_json="{}")
    return saved.submission.id


def test_each_action_is_a_new_row_and_none_is_changed(database: Database):
    department = database.add_user("望城", "department", "望城区", "hash")
    auditor = database.add_user("审计", "auditor", None, "hash")
    submission = _submit(database, department)
    for points, reason in (("18", "第一次"), ("19", "复核后")):
        audits.record(
            database, auditor, submission, 1, audits.OVERRIDE, path="a.b", points=points,
            reason=reason,
        )  # fmt: skip
    first = audits.trail(database, submission)
    audits.record(database, auditor, submission, 1, audits.VERIFY, detail={"verdict": "agrees"})
    entries = audits.trail(database, submission)
    assert [(e.audit.sequence, e.audit.points, e.audit.reason) for e in entries[:2]] == [
        (e.audit.sequence, e.audit.points, e.audit.reason) for e in first
    ]
    assert [e.audit.sequence for e in entries] == [1, 2, 3]
    assert entries[2].detail == {"verdict": "agrees"}
    assert entries[0].author == "审计"
    standing = audits.overrides_on(entries, 1)
    assert standing["a.b"].audit.points == "19"
    assert audits.overrides_on(entries, 2) == {}


def test_a_sign_off_freezes_the_submission_but_not_a_verification(database: Database):
    department = database.add_user("望城", "department", "望城区", "hash")
    auditor = database.add_user("审计", "auditor", None, "hash")
    submission = _submit(database, department)
    audits.record(database, auditor, submission, 1, audits.SIGNOFF, detail={"version": 1})
    with pytest.raises(SignedOffError):
        database.save(department, "望城区", "r@1", "2022", kind="draft", facts_json="{}")
    for action in (audits.OVERRIDE, audits.SIGNOFF):
        with pytest.raises(SignedOffError):
            audits.record(database, auditor, submission, 1, action, path="a.b", points="1")
    audits.record(database, auditor, submission, 1, audits.VERIFY, detail={})
    entries = audits.trail(database, submission)
    assert [entry.audit.action for entry in entries] == [audits.SIGNOFF, audits.VERIFY]
    signed = audits.signoff(entries)
    assert signed is not None
    assert signed.author == "审计"
    assert len(database.history(submission)) == 1


def test_a_sign_off_of_a_version_no_longer_the_newest_submitted_is_refused(database: Database):
    department = database.add_user("望城", "department", "望城区", "hash")
    auditor = database.add_user("审计", "auditor", None, "hash")
    submission = _submit(database, department)
    _submit(database, department)
    with pytest.raises(audits.StaleError):
        audits.record(database, auditor, submission, 1, audits.SIGNOFF)
    assert audits.trail(database, submission) == []
    database.save(department, "望城区", "r@1", "2022", kind="draft", facts_json="{}")
    audits.record(database, auditor, submission, 2, audits.SIGNOFF)  # a draft is not audited
    assert audits.signoff(audits.trail(database, submission)) is not None
