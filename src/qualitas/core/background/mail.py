"""Mail with absolute links and both a plain-text and an HTML part."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    """``path`` on this installation (``QUALITAS_BASE_URL``); an absolute URL is returned as it is."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.QUALITAS_BASE_URL}/{path.lstrip('/')}"


def send(
    to: Sequence[str],
    subject: str,
    *,
    intro: str,
    items: Sequence[tuple[str, str, str]] = (),
    outro: str = "",
) -> int:
    """Send one mail: ``intro``, then ``items`` as (title, detail, link) lines, then ``outro``.

    Links are made absolute; the text part and the HTML part say the same."""
    rows = [(title, detail, absolute_url(link)) for title, detail, link in items]
    context = {
        "subject": subject,
        "intro": intro,
        "items": rows,
        "outro": outro,
        "home": absolute_url("/"),
        "preferences": absolute_url("/notices/preferences/"),
    }
    text = render_to_string("core/mail/message.txt", context)
    html = render_to_string("core/mail/message.html", context)
    message = EmailMultiAlternatives(subject, text, None, list(to))
    message.attach_alternative(html, "text/html")
    return message.send()
