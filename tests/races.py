"""Races between real database connections: `work(n)` run in several threads released at the
same instant, each with its own connection, in an organisation made for the test
(the `race_organization` fixture of tests/conftest.py: the session's organisations live in a
rolled-back transaction that other connections cannot see)."""

import threading

from django.db import connection
from django_tenants.utils import schema_context, tenant_context

THREADS = 8


def run_together(where, work, count: int = THREADS) -> tuple[list, list]:
    """Run `work(n)` for n in range(count), all released at once, in `where` (an organisation,
    or a schema's name); return (results, errors)."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def inside():
        return tenant_context(where) if hasattr(where, "schema_name") else schema_context(where)

    def worker(n: int) -> None:
        try:
            with inside():
                barrier.wait(timeout=10)
                results.append(work(n))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
