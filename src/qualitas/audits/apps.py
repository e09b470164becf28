from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "qualitas.audits"
    label = "audits"
    verbose_name = "Internal audits"

    def ready(self) -> None:
        from qualitas.audits import demo, registrations
        from qualitas.core.registry import EvidenceSource, NavEntry, ReviewInput, registry

        registry.add_nav(
            NavEntry("Check", "Internal audits", "audits:home", order=20),
            NavEntry("Check", "Audit findings", "audits:finding_list", order=25),
        )
        registry.evidence_sources["audits.reports"] = EvidenceSource(
            key="audits.reports",
            label="Internal audit programme and reports",
            clauses=("9.2", "9.2.1", "9.2.2"),
            summarize=registrations.summarize_evidence,
            pack_items=registrations.pack_items,
        )
        registry.review_inputs["audits.results"] = ReviewInput(
            key="audits.results",
            label="Audit results",
            clause="9.3.2 c) 6)",
            compute=registrations.audit_results_input,
            order=60,
        )
        registry.demo_loaders.append((60, "audits", demo.load))
        from qualitas.audits import services
        from qualitas.audits.models import Audit
        from qualitas.audits.workflow import AUDIT_WORKFLOW

        registry.add_workflow(Audit, AUDIT_WORKFLOW, services.transition_audit)
        registrations.register_background()
