"""Uploaded files: checked by content, stored outside the web root under random names, served
only through permission-checked views."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath


def random_upload_path(prefix: str, filename: str) -> str:
    """``<prefix>/<yyyy>/<random>.<ext>``: the user's file name never reaches the file system."""
    from django.utils import timezone

    suffix = PurePosixPath(filename).suffix.lower()[:8]
    if not suffix[1:].isalnum():
        suffix = ""
    return f"{prefix}/{timezone.now():%Y}/{secrets.token_urlsafe(24)}{suffix}"
