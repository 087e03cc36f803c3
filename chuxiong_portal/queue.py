"""Queueing jobs after a commit without ever failing the user's request."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)


def enqueue_on_commit(job, *args, **kwargs) -> None:
    """Queue `job` once the current transaction commits.

    If the broker is unreachable the request still succeeds: the nightly recompute
    (and `manage.py recompute`) redoes the work from the database, which is the source of truth.
    """

    def send() -> None:
        try:
            job.delay(*args, **kwargs)
        except (BrokerError, ConnectionError, OSError) as error:
            logger.warning("could not queue %s (%s); the nightly recompute will catch up", job.name, error)

    transaction.on_commit(send)
