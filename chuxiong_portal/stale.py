"""What a form's page showed, as a short token kept in the form (a hidden `seen`): a service compares it with the
row under the row's lock and refuses a change made since the page was drawn, rather than overwriting it unseen."""

import hashlib

from django.http import QueryDict


def shown_token(*values) -> str:
    """`values` (a row's fields as its page shows them) as 16 hex characters: equal values, equal tokens."""
    return hashlib.blake2b(repr(values).encode(), digest_size=8).hexdigest()


def fresh_seen(data: QueryDict, token: str, field: str = "seen") -> QueryDict:
    """A refused form's posted `data` with `field` set to what the page would show now: drawn again with the refusal,
    the form keeps what the user entered and, sent again after reading the message, is taken."""
    data = data.copy()
    data[field] = token
    return data
