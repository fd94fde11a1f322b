"""E-mails that carry a link, never personal details.

Whatever the occasion, the text says only what happened and where to look; the page behind the
link decides (through the access helpers and the consent rule) what the reader may see.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation


def mail_link(users: Iterable, *, subject: str, text: str, path: str) -> int:
    """Send one e-mail per user (in the user's language) with ``text`` and a link to ``path``."""
    messages = []
    for user in users:
        if not user.email:
            continue
        with translation.override(getattr(user, "preferred_language", None) or "de"):
            body = render_to_string(
                "emails/link_only.txt",
                {"user": user, "text": text, "url": f"{settings.SITE_URL}{path}"},
            )
            messages.append((str(subject), body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def notify_with_link(users, *, kind: str, text, subject, link: str, key: str) -> None:
    """A notification row per user now, and a link-only e-mail once the transaction commits.

    ``text`` and ``subject`` should be lazy strings so each e-mail is in its reader's language.
    """
    from django.db import transaction

    from triangle.models import Notification

    users = list(users)
    Notification.objects.send(kind=kind, text=str(text), link=link, users=users, key=key)
    transaction.on_commit(lambda: mail_link(users, subject=subject, text=text, path=link))
