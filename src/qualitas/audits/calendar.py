"""An iCalendar (RFC 5545) feed of audits and management reviews, written by hand (no dependency)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from qualitas.core.registry import CalendarEvent, registry

# The calendar entry is core's, so that other areas contribute entries through the registry.
Event = CalendarEvent


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def render(events: Iterable[Event], *, name: str) -> str:
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Qualitas//Audits and reviews//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for e in events:
        last = e.end or e.start
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{e.start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{last + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(e.summary)}",
            f"STATUS:{e.status}",
        ]
        if e.description:
            lines.append(f"DESCRIPTION:{escape(e.description)}")
        if e.url:
            lines.append(f"URL:{e.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def audit_events(organization: Any, base_url: str) -> list[Event]:
    from qualitas.audits.choices import AuditStatus
    from qualitas.audits.models import Audit

    events = []
    for a in Audit.objects.filter(organization=organization).select_related("lead_auditor__user"):
        status = {"cancelled": "CANCELLED", "planned": "TENTATIVE"}.get(a.status, "CONFIRMED")
        lead = f"Lead auditor: {a.lead_auditor.user}. " if a.lead_auditor_id else ""
        events.append(
            Event(
                uid=f"audit-{a.pk}@{organization.uuid}",
                start=a.planned_start,
                end=a.planned_end,
                summary=f"Audit {a.reference}: {a.title}",
                description=f"{lead}Status: {AuditStatus(a.status).label}. {a.scope}".strip(),
                url=base_url + a.get_absolute_url(),
                status=status,
            )
        )
    return events


def organization_events(organization: Any, base_url: str) -> list[Event]:
    events = audit_events(organization, base_url)
    for source in registry.calendar_sources:
        events += source(organization, base_url)
    return events
