"""`chuxiong_portal.db.serialised`: a transaction queued behind another of the same name (PostgreSQL's advisory lock;
what two meeting ones do is in tests/concurrency/)."""

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from chuxiong_portal.db import serialised

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_refuses_to_run_outside_a_transaction():
    with pytest.raises(TransactionManagementError):
        serialised("a job")


def test_it_takes_the_lock_for_the_transaction_on_postgresql_and_nothing_on_sqlite():
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        serialised("a job")
    sent = [query["sql"] for query in queries.captured_queries]
    if connection.vendor == "postgresql":
        assert sent == ["SELECT pg_advisory_xact_lock(hashtext('a job'))"]
    else:
        assert sent == []
