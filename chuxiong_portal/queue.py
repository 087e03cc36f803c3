"""Queueing jobs after a commit without ever failing, or stalling, the user's request."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

# A request must not wait on the broker for long: without socket timeouts redis-py waits forever on a broker
# that accepted the connection and then went silent (a hung Redis, a dropped NAT entry, a failover).
# Values set in CELERY_BROKER_TRANSPORT_OPTIONS take precedence.
PUBLISH_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 3}
# Celery's default retries a failed publish 3 times; one quick retry is enough for a blip, the
# nightly recompute covers the rest. Worst case: about 2 × (2 s + 3 s) + 0.2 s.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.2, "interval_step": 0.2, "interval_max": 0.2}


def enqueue_on_commit(job, *args, **kwargs) -> None:
    """Queue `job` once the current transaction commits.

    If the broker is unreachable or hangs, the request still succeeds within a few seconds: the nightly
    recompute (and `manage.py recompute`) redoes the work from the database, which is the source of truth.
    """

    def send() -> None:
        try:
            publish(job, *args, **kwargs)
        except (BrokerError, ConnectionError, OSError) as error:
            logger.warning("could not queue %s (%s); the nightly recompute will catch up", job.name, error)

    transaction.on_commit(send)


def publish(job, *args, **kwargs) -> None:
    """Send `job` to the broker with bounded timeouts and retries (or run it in-process when eager)."""
    app = job.app
    if app.conf.task_always_eager:
        job.delay(*args, **kwargs)
        return
    configured = app.conf.broker_transport_options or {}
    options = {key: value for key, value in PUBLISH_TRANSPORT_OPTIONS.items() if key not in configured}
    with app.connection_for_write(transport_options=options) as connection:
        job.apply_async(args=args, kwargs=kwargs, connection=connection, retry=True,
                        retry_policy=PUBLISH_RETRY_POLICY)
