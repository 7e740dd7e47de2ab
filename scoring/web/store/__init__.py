"""What ``scoring serve`` keeps: accounts, submissions and their immutable versions, the audits.

SQLAlchemy 2 tables (:mod:`.tables`, the audit trail's in :mod:`.audit_tables`), one Alembic
migration chain shipped in the wheel and run on every start (:mod:`.migrations`), and the reads
and writes the pages make (:mod:`.database`; the audit trail's in :mod:`.audits`). SQLite under
``--data`` by default (WAL mode), any SQLAlchemy URL with ``--db``.
"""
