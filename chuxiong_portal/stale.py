"""What a form's page showed, as a short token kept in the form (a hidden `seen`): a service compares it with the
row under the row's lock and refuses a change made since the page was drawn, rather than overwriting it unseen."""

import hashlib


def shown_token(*values) -> str:
    """`values` (a row's fields as its page shows them) as 16 hex characters: equal values, equal tokens."""
    return hashlib.blake2b(repr(values).encode(), digest_size=8).hexdigest()
