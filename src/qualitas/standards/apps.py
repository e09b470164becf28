from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "qualitas.standards"
    label = "standards"
    verbose_name = "Standards and readiness"

    def ready(self) -> None:
        from qualitas.core.registry import DashboardTile, EvidenceSource, NavEntry, registry
        from qualitas.standards import dashboard, demo, evidence
        from qualitas.standards.models import LegacyProcedure

        registry.add_nav(
            NavEntry("Plan", "Scope", "standards:scope", order=5),
            NavEntry("Check", "Readiness", "standards:readiness", order=5),
            NavEntry("Check", "Statement of applicability", "standards:soa", order=6),
        )
        if not any(t.key == "readiness" for t in registry.dashboard_tiles):
            registry.dashboard_tiles.append(
                DashboardTile(
                    "readiness", "Certification readiness", dashboard.readiness_tile, order=20, shared=True
                )
            )
        registry.evidence_sources["standards.scope"] = EvidenceSource(
            "standards.scope",
            "Scope statement and statement of applicability",
            ("4.3",),
            evidence.scope_summary,
        )
        registry.linkable_models.setdefault("standards.legacyprocedure", LegacyProcedure)
        if not any(name == "standards" for _o, name, _l in registry.demo_loaders):
            registry.demo_loaders.append((8, "standards", demo.load))
            registry.demo_loaders.append((95, "standards evidence links", demo.link_demo_evidence))
        from qualitas.standards import schedules

        schedules.register()
