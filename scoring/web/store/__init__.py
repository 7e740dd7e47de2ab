"""What ``scoring serve`` keeps: accounts, submissions and their immutable versions.

SQLAlchemy 2 tables (:mod:`.tables`), one Alembic migration chain shipped in the wheel and run
on every start (:mod:`.migrations`), and the reads and writes the pages make
(:mod:`.database`). SQLite under ``--data`` by default (WAL mode), any SQLAlchemy URL with
``--db``.
"""
