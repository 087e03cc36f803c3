"""The private storage of evidence files: a folder on disk that no URL leads to."""

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage without URLs (Django's would fall back to MEDIA_URL): files leave only through the
    permission-checked download view (supervision.views.evidence_download)."""

    def url(self, name):
        raise ValueError("private files have no URL; serve them through the permission-checked view")
