"""What a write queued to run after its commit, told apart from the page cache's own commit-time bump."""

from chuxiong_portal import pagecache


def queued(callbacks: list) -> list:
    """The on-commit callbacks but the page cache's commit-time bump (which every write to the plan data adds)."""
    return [
        callback
        for callback in callbacks
        if callback is not pagecache.data_changed and not isinstance(callback, pagecache.CommitBump)
    ]
