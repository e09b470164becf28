"""The planning registers out to CSV and XLSX (``core.tabular.export``: formula-like text made inert,
labels not codes, dates as dates). The headers are the import's column names, so an exported file
reads back in."""

from __future__ import annotations

from qualitas.core.tabular.export import Column, Export


def columns(*specs: str | tuple[str, str]) -> list[Column]:
    """``"name"`` (a header that is also the field) or ``("header", "field path")``."""
    return [Column(s, s) if isinstance(s, str) else Column(*s) for s in specs]


PROCESSES = Export(
    "processes",
    columns(
        "code", "name", ("type", "process_type"), "owner", "purpose", "inputs", "outputs", "customers",
        "resources", "clauses", ("active", "is_active"),
    ),
)  # fmt: skip

RISKS = Export(
    "risks",
    columns(
        "reference", "kind", "title", "source", ("process", "process__code"), "likelihood", "impact",
        ("inherent score", "inherent_score"), ("inherent level", "inherent_level"),
        ("residual likelihood", "residual_likelihood"), ("residual impact", "residual_impact"),
        ("residual score", "residual_score"), ("residual level", "residual_level"), "treatment", "owner",
        ("review date", "review_date"), "status", ("accepted by", "accepted_by"), "effectiveness",
    ),
)  # fmt: skip

OBJECTIVES = Export(
    "objectives",
    columns(
        "reference", "title", "target", "owner", ("due date", "due_date"), "status",
        ("process", "process__code"), "resources",
    ),
)  # fmt: skip

KPIS = Export(
    "kpis",
    columns(
        "code", "name", "unit", "direction", "target", "warning", "alarm", "frequency", "owner",
        ("process", "process__code"), ("objective", "objective__reference"),
    ),
)  # fmt: skip

MEASUREMENTS = Export(
    "measurements",
    columns(("kpi", "kpi__code"), "period", "value", "status", "note", "source"),
    stream=True,
)

CONTEXT = Export(
    "context",
    columns(
        "title", ("type", "issue_type"), "category", ("climate relevant", "climate_relevant"), "impact",
        ("review date", "review_date"), ("active", "is_active"),
    ),
)  # fmt: skip

PARTIES = Export(
    "parties",
    columns(
        "name", "category", ("internal", "is_internal"), "needs", "expectations", "requirements",
        ("climate related", "climate_related"), "monitoring", ("review date", "review_date"),
    ),
)  # fmt: skip
