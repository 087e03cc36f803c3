"""The private storage of evidence files: a folder on disk (``PORTAL_PRIVATE_ROOT``) that no URL leads to."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage under ``settings.PRIVATE_ROOT`` (read when first used, not at import), without URLs
    (Django's would fall back to MEDIA_URL): files leave only through the permission-checked download view
    (supervision.views.evidence_download). Owner-only file and folder modes."""

    def __init__(self, location=None):
        super().__init__(
            location=location, base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700
        )

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_ROOT)

    def url(self, name):
        raise ValueError("private files have no URL; serve them through the permission-checked view")

    def deconstruct(self):
        return "supervision.storage.PrivateStorage", (), {}


private_storage = PrivateStorage()
