"""One lock for every write that decides which customer an identity belongs to.

Merges, imports and identity-resolving writes take it, so a merge never commits in the
middle of an import that has cached identity owners, and two writers never create the
same identity at once. On PostgreSQL it is a transaction-level advisory lock; SQLite
already serialises write transactions (``BEGIN IMMEDIATE``), so there it is a no-op.
"""

from django.db import connection

# An arbitrary constant naming this lock among the advisory locks of the database.
IDENTITY_LOCK_KEY = 72_011_307


def lock_identities() -> None:
    """Blocks until no other transaction holds the lock; released at commit or rollback.

    Must be called inside a transaction (``transaction.atomic``).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IDENTITY_LOCK_KEY])
