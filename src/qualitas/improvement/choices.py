from django.db import models

from qualitas.core.tones import declare_tones


class Source(models.TextChoices):
    INTERNAL_AUDIT = "internal_audit", "Internal audit"
    CUSTOMER_COMPLAINT = "customer_complaint", "Customer complaint"
    SUPPLIER = "supplier", "Supplier"
    PROCESS = "process", "Process"
    INSPECTION = "inspection", "Inspection"
    MANAGEMENT_REVIEW = "management_review", "Management review"
    OTHER = "other", "Other"


class Severity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    MAJOR = "major", "Major"
    MINOR = "minor", "Minor"


# The organization's lists start from these; other areas send these codes to open_nonconformity, so the
# built-in codes can be renamed but never removed or retired (see services.save_settings).
def default_sources() -> list[dict[str, object]]:
    return [{"code": code, "label": label, "retired": False} for code, label in Source.choices]


def default_severities() -> list[dict[str, object]]:
    """Most severe first: the list order is the severity order."""
    return [{"code": code, "label": label, "retired": False} for code, label in Severity.choices]


class NCStatus(models.TextChoices):
    REPORTED = "reported", "Reported"
    CONTAINMENT = "containment", "Containment"
    ANALYSIS = "analysis", "Root-cause analysis"
    ACTION_PLAN = "action_plan", "Action plan"
    IMPLEMENTATION = "implementation", "Implementation"
    VERIFICATION = "verification", "Effectiveness verification"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


OPEN_NC_STATES = tuple(s for s in NCStatus.values if s not in (NCStatus.CLOSED, NCStatus.CANCELLED))


class Disposition(models.TextChoices):
    NONE = "", "Not decided"
    REWORK = "rework", "Rework"
    REPAIR = "repair", "Repair"
    SCRAP = "scrap", "Scrap"
    CONCESSION = "concession", "Use as is under concession"
    RETURN_TO_SUPPLIER = "return_to_supplier", "Return to supplier"


class Verdict(models.TextChoices):
    NONE = "", "Not verified"
    EFFECTIVE = "effective", "Effective"
    NOT_EFFECTIVE = "not_effective", "Not effective"


class SixM(models.TextChoices):
    MAN = "man", "Man (people)"
    MACHINE = "machine", "Machine"
    METHOD = "method", "Method"
    MATERIAL = "material", "Material"
    MEASUREMENT = "measurement", "Measurement"
    ENVIRONMENT = "environment", "Environment"


class OpportunityStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    PLAN = "plan", "Plan"
    DO = "do", "Do"
    CHECK = "check", "Check"
    ACT = "act", "Act"
    DONE = "done", "Done"
    REJECTED = "rejected", "Rejected"


DEFAULT_CAUSE_CATEGORIES = [
    ("Tool wear", "Cutting tool worn beyond its life or not changed on time."),
    ("Machine set-up / offset", "Wrong offset, zero point or program version at set-up."),
    ("Material / certificate", "Material out of specification or its certificate missing."),
    ("Measurement system", "Gauge out of calibration, wrong gauge or measuring method."),
    ("Handling and storage", "Damage while moving, packing or storing parts."),
    ("Training / skill", "The person did not know or had not practised the method."),
    ("Work instruction", "Instruction missing, unclear or out of date."),
    ("Supplier process", "A cause that lies in a supplier's process."),
    ("Design / drawing", "Drawing or specification error or ambiguity."),
    ("Environment", "Temperature, dirt, lighting or other workplace conditions."),
]


# How these statuses look on badges (core.tones).
declare_tones(OpportunityStatus, {"done": "ok", "rejected": "bad"})
declare_tones(NCStatus, {"closed": "ok", "cancelled": "muted", "reported": "warn"})
declare_tones(Verdict, {"effective": "ok"})
declare_tones(Severity, {"critical": "bad", "major": "warn", "minor": "info"})
