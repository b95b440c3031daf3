"""Alembic migrations, shipped in the package so an installed wheel upgrades its own store."""
