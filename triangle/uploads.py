"""Uploaded files: checked by content, stored outside the web root under random names, served
only through permission-checked views.

* The type is decided by the file's first bytes (magic numbers), never by its name or the
  browser's content type.
* The size limit is ``settings.MAX_UPLOAD_MB``.
* Files are stored under ``MEDIA_ROOT`` (outside the static web root, no ``MEDIA_URL`` route)
  with random names; the user's file name never reaches the file system.
* ``serve_protected_file`` is the one way out: call it from a view that has already checked the
  user's permission through an access helper.

Usage in a form or model field::

    flyer = forms.FileField(validators=[FileValidator(kinds=("pdf",))])
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# kind → (content type, file name suffix, magic byte prefixes)
KINDS: dict[str, tuple[str, str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", ".pdf", (b"%PDF-",)),
    "png": ("image/png", ".png", (b"\x89PNG\r\n\x1a\n",)),
    "jpeg": ("image/jpeg", ".jpg", (b"\xff\xd8\xff",)),
}
KIND_LABELS = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG"}
SNIFF_BYTES = 16


def random_upload_path(prefix: str, filename: str) -> str:
    """``<prefix>/<yyyy>/<random>.<ext>``: the user's file name never reaches the file system."""
    from django.utils import timezone

    suffix = PurePosixPath(filename).suffix.lower()[:8]
    if not suffix[1:].isalnum():
        suffix = ""
    return f"{prefix}/{timezone.now():%Y}/{secrets.token_urlsafe(24)}{suffix}"


def sniff_kind(uploaded) -> str | None:
    """The kind of an uploaded file from its first bytes, or None when it is none we know."""
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(position)
    for kind, (_type, _suffix, magics) in KINDS.items():
        if any(head.startswith(magic) for magic in magics):
            return kind
    return None


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


@deconstructible
class FileValidator:
    """Validate an uploaded file's size and its type by content."""

    def __init__(self, kinds: tuple[str, ...] = ("pdf",)):
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
        self.kinds = tuple(kinds)

    def __call__(self, uploaded) -> None:
        # A file already stored (the form re-saves an unchanged field) was checked on upload.
        if getattr(uploaded, "_committed", False) and not hasattr(uploaded, "content_type"):
            return
        if uploaded.size > max_upload_bytes():
            raise ValidationError(
                ngettext(
                    "The file is too large: at most %(mb)d MB are allowed.",
                    "The file is too large: at most %(mb)d MB are allowed.",
                    settings.MAX_UPLOAD_MB,
                ),
                code="file_too_large",
                params={"mb": settings.MAX_UPLOAD_MB},
            )
        if sniff_kind(uploaded) not in self.kinds:
            raise ValidationError(
                _("This file type is not allowed. Allowed: %(kinds)s."),
                code="file_type",
                params={"kinds": ", ".join(KIND_LABELS[k] for k in self.kinds)},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, FileValidator) and other.kinds == self.kinds


def serve_protected_file(request, fieldfile, download_name: str) -> FileResponse:
    """Send a stored upload as an attachment. Only call after an access helper allowed it."""
    if not fieldfile:
        raise Http404(_("No file."))
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("No file.")) from exc
    kind = sniff_kind(handle)
    content_type, suffix, _magics = KINDS.get(kind, ("application/octet-stream", "", ()))
    name = get_valid_filename(download_name) or "download"
    if suffix and not name.lower().endswith(suffix):
        name += suffix
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
