"""What a form's page showed, as a short token kept in the form (a hidden `seen`): a service compares it with the
row under the row's lock and refuses a change made since the page was drawn, rather than overwriting it unseen."""

import hashlib


def shown_token(*values) -> str:
    """`values` (a row's fields as its page shows them) as 16 hex characters: equal values, equal tokens."""
    return hashlib.blake2b(repr(values).encode(), digest_size=8).hexdigest()


def stale(error: Exception, current) -> Exception:
    """`error`, a refusal because the row changed since the page was drawn, marked with what the page would show now
    (`current`: the row's token, stage, date or version, as its form's hidden field holds it; None as ""). The view
    puts it in the refused form it draws again (`chuxiong_portal.forms.ready_to_resend`), so that the user, told what
    is stored now, can send what they typed again deliberately; a reload draws it as before."""
    error.current = "" if current is None else str(current)
    return error


def current_of(error: Exception) -> str | None:
    """What a stale refusal carries (`stale`); None for any other refusal, whose form is drawn again as it was sent."""
    return getattr(error, "current", None)
