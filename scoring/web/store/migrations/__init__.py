"""The Alembic migrations of the web app's database, run by :func:`..database.migrate`."""
