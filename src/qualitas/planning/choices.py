from django.db import models

from qualitas.core.tones import declare_tones


class ProcessType(models.TextChoices):
    MANAGEMENT = "management", "Management process"
    CORE = "core", "Core (operational) process"
    SUPPORT = "support", "Support process"


class IssueType(models.TextChoices):
    INTERNAL = "internal", "Internal"
    EXTERNAL = "external", "External"


class IssueCategory(models.TextChoices):
    # SWOT
    STRENGTH = "strength", "Strength (SWOT)"
    WEAKNESS = "weakness", "Weakness (SWOT)"
    OPPORTUNITY = "opportunity", "Opportunity (SWOT)"
    THREAT = "threat", "Threat (SWOT)"
    # PESTLE
    POLITICAL = "political", "Political (PESTLE)"
    ECONOMIC = "economic", "Economic (PESTLE)"
    SOCIAL = "social", "Social (PESTLE)"
    TECHNOLOGICAL = "technological", "Technological (PESTLE)"
    LEGAL = "legal", "Legal (PESTLE)"
    ENVIRONMENTAL = "environmental", "Environmental (PESTLE)"


class PartyCategory(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    EMPLOYEE = "employee", "Employees"
    OWNER = "owner", "Owners and shareholders"
    SUPPLIER = "supplier", "Supplier or partner"
    REGULATOR = "regulator", "Authority or regulator"
    CERTIFIER = "certifier", "Certification body"
    COMMUNITY = "community", "Neighbours and society"
    OTHER = "other", "Other"


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"


class RiskKind(models.TextChoices):
    RISK = "risk", "Risk"
    OPPORTUNITY = "opportunity", "Opportunity"


class RiskSource(models.TextChoices):
    CONTEXT = "context", "Context issue"
    PARTY = "party", "Interested party"
    PROCESS = "process", "Process"
    OTHER = "other", "Other"


class Treatment(models.TextChoices):
    # Risks
    AVOID = "avoid", "Avoid"
    REDUCE = "reduce", "Reduce"
    ACCEPT = "accept", "Accept"
    TRANSFER = "transfer", "Transfer"
    # Opportunities
    PURSUE = "pursue", "Pursue"
    ENHANCE = "enhance", "Enhance"
    SHARE = "share", "Share"
    IGNORE = "ignore", "Do not pursue"


RISK_TREATMENTS = (Treatment.AVOID, Treatment.REDUCE, Treatment.ACCEPT, Treatment.TRANSFER)
OPPORTUNITY_TREATMENTS = (Treatment.PURSUE, Treatment.ENHANCE, Treatment.SHARE, Treatment.IGNORE)


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    CLOSED = "closed", "Closed"


class Effectiveness(models.TextChoices):
    NOT_EVALUATED = "not_evaluated", "Not evaluated yet"
    EFFECTIVE = "effective", "Effective"
    PARTLY = "partly", "Partly effective"
    NOT_EFFECTIVE = "not_effective", "Not effective"


class ObjectiveStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    YEARLY = "yearly", "Yearly"


class KpiStatus(models.TextChoices):
    ON_TARGET = "on_target", "On target"
    AT_RISK = "at_risk", "At risk"
    OFF_TARGET = "off_target", "Off target"
    NO_DATA = "no_data", "No data"


class MeasurementSource(models.TextChoices):
    MANUAL = "manual", "Entered by hand"
    IMPORT = "import", "Imported file"
    API = "api", "API"
    DEMO = "demo", "Demo data"


# How these statuses look on badges (core.tones).
declare_tones(RiskStatus, {"open": "info", "closed": "ok", "accepted": "ok"})
declare_tones(ObjectiveStatus, {"cancelled": "muted", "achieved": "ok", "missed": "bad", "active": "info"})
declare_tones(PolicyStatus, {"draft": "muted", "approved": "ok", "superseded": "muted"})
declare_tones(Effectiveness, {"effective": "ok"})
declare_tones(KpiStatus, {"on_target": "ok", "at_risk": "warn", "off_target": "bad"})
