from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "qualitas.improvement"
    label = "improvement"
    verbose_name = "Improvement"

    def ready(self) -> None:
        from qualitas.core.registry import (
            DashboardTile,
            EvidenceSource,
            Indicator,
            NavEntry,
            ReviewInput,
            SearchSource,
            registry,
        )
        from qualitas.improvement import contributions as c
        from qualitas.improvement import demo

        registry.add_nav(
            NavEntry("Improve", "Nonconformities", "improvement:nonconformity_list", order=10),
            NavEntry("Improve", "Report a problem", "improvement:report", order=11),
            NavEntry("Improve", "NC analysis", "improvement:analysis", order=20),
            NavEntry("Improve", "Improvement ideas", "improvement:opportunity_list", order=30),
            NavEntry("Improve", "Lessons learned", "improvement:lesson_list", order=40),
        )
        registry.dashboard_tiles.append(
            DashboardTile("improvement", "Nonconformities", c.tile, order=20, shared=True)
        )
        registry.search_sources.append(SearchSource("improvement", "Nonconformities and lessons", c.search))
        for source in (
            EvidenceSource(
                "improvement.nonconforming_output",
                "Nonconforming outputs with disposition",
                ("8.7", "8.7.1", "8.7.2"),
                c.nonconforming_output,
            ),
            EvidenceSource(
                "improvement.corrective_action",
                "Nonconformities closed with verified effectiveness",
                ("10.2", "10.2.1", "10.2.2"),
                c.corrective_action,
            ),
            EvidenceSource(
                "improvement.continual_improvement",
                "Improvement projects (PDCA)",
                ("10.3", "10.1"),
                c.continual_improvement,
            ),
            EvidenceSource("improvement.lessons", "Lessons learned knowledge base", ("7.1.6",), c.lessons),
        ):
            registry.evidence_sources[source.key] = source
        for ind in (
            Indicator(
                "improvement.capa_on_time",
                "Corrective actions closed on time and verified effective",
                ("11.2",),
                c.indicator_on_time,
            ),
            Indicator(
                "improvement.capa_overdue",
                "Share of open corrective actions that are overdue",
                ("11.2",),
                c.indicator_overdue,
            ),
            Indicator("improvement.lessons", "Lessons learned published", ("11.3",), c.indicator_lessons),
        ):
            registry.indicators[ind.key] = ind
        for review_input in (
            ReviewInput(
                "improvement.nonconformities",
                "Nonconformities and corrective actions",
                "9.3.2 c) 4)",
                c.review_nonconformities,
                order=40,
            ),
            ReviewInput(
                "improvement.opportunities",
                "Opportunities for improvement",
                "9.3.2 f)",
                c.review_opportunities,
                order=90,
            ),
        ):
            registry.review_inputs[review_input.key] = review_input
        registry.demo_loaders.append((30, "improvement", demo.load))
        from qualitas.improvement import services
        from qualitas.improvement.models import ImprovementOpportunity, Nonconformity
        from qualitas.improvement.workflow import NC_WORKFLOW, OPPORTUNITY_WORKFLOW

        registry.add_workflow(Nonconformity, NC_WORKFLOW, services.transition_nonconformity)
        registry.add_workflow(ImprovementOpportunity, OPPORTUNITY_WORKFLOW, services.transition_opportunity)
