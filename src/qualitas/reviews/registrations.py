from __future__ import annotations

from typing import Any

from django.urls import reverse


def summarize_evidence(organization: Any) -> dict[str, Any]:
    from qualitas.reviews.choices import ReviewStatus
    from qualitas.reviews.models import ManagementReview

    held = ManagementReview.objects.filter(
        organization=organization, status__in=(ReviewStatus.MINUTED, ReviewStatus.CLOSED)
    )
    return {
        "count": held.count(),
        "url": reverse("reviews:review_list"),
        "items": [
            (f"{r} (minutes)", reverse("reviews:review_pdf", args=[r.pk]))
            for r in held.order_by("-planned_date")[:10]
        ],
    }


def pack_items(organization: Any) -> list[tuple[str, str, str | None]]:
    from qualitas.reviews.choices import ReviewStatus
    from qualitas.reviews.models import ManagementReview

    return [
        (f"Management review minutes {r}", reverse("reviews:review_pdf", args=[r.pk]), None)
        for r in ManagementReview.objects.filter(
            organization=organization, status__in=(ReviewStatus.MINUTED, ReviewStatus.CLOSED)
        )
    ]
