from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "qualitas.reviews"
    label = "reviews"
    verbose_name = "Management review"

    def ready(self) -> None:
        from qualitas.core.registry import EvidenceSource, NavEntry, registry
        from qualitas.reviews import demo, registrations

        registry.add_nav(NavEntry("Check", "Management reviews", "reviews:review_list", order=40))
        registry.evidence_sources["reviews.minutes"] = EvidenceSource(
            key="reviews.minutes",
            label="Management review minutes and decisions",
            clauses=("9.3", "9.3.2", "9.3.3"),
            summarize=registrations.summarize_evidence,
            pack_items=registrations.pack_items,
        )
        registry.demo_loaders.append((62, "management reviews", demo.load))
        from qualitas.reviews.queries import calendar_events

        registry.calendar_sources.append(calendar_events)
        from qualitas.reviews import services
        from qualitas.reviews.models import ManagementReview
        from qualitas.reviews.workflow import REVIEW_WORKFLOW

        registry.add_workflow(ManagementReview, REVIEW_WORKFLOW, services.transition_review)
