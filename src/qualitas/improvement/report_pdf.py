"""The printable 8D report of one nonconformity (WeasyPrint from a template)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from qualitas.improvement import fishbone, queries
from qualitas.improvement.models import Nonconformity


def render_html(nc: Nonconformity) -> str:
    actions = list(queries.nc_actions(nc).order_by("due_date", "pk"))
    causes = list(queries.causes_of(nc))
    settings = queries.settings_for(nc.organization_id)
    context: dict[str, Any] = {
        "nc": nc,
        # The organization's labels for the codes (read once, as the detail page does).
        "source_label": settings.labels("source").get(nc.source, nc.source),
        "severity_label": settings.labels("severity").get(nc.severity, nc.severity),
        "organization": nc.organization,
        "printed": timezone.localtime(),
        "actions": actions,
        "team": sorted({str(a.owner) for a in actions}),
        "whys": list(queries.whys_of(nc)),
        "causes": causes,
        "fishbone_svg": fishbone.render(nc.title, causes),
        "lessons": list(nc.lessons.all()),
    }
    return render_to_string("improvement/nonconformity_8d.html", context)


def render_8d(nc: Nonconformity) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(nc)).write_pdf()
