from django.db import models

from qualitas.core.tones import declare_tones


class CharacteristicKind(models.TextChoices):
    NUMERIC = "numeric", "Numeric (measured value)"
    ATTRIBUTE = "attribute", "Attribute (pass/fail or defect count)"


class Criticality(models.TextChoices):
    CRITICAL = "critical", "Critical"
    MAJOR = "major", "Major"
    MINOR = "minor", "Minor"


class ChartType(models.TextChoices):
    XBAR_R = "xbar_r", "X̄-R (mean and range)"
    XBAR_S = "xbar_s", "X̄-S (mean and standard deviation)"
    IMR = "imr", "I-MR (individuals and moving range)"
    P = "p", "p (share defective)"
    NP = "np", "np (number defective)"
    C = "c", "c (defects per sample)"
    U = "u", "u (defects per unit)"


VARIABLE_CHARTS = (ChartType.XBAR_R, ChartType.XBAR_S, ChartType.IMR)
ATTRIBUTE_CHARTS = (ChartType.P, ChartType.NP, ChartType.C, ChartType.U)


class SignalAction(models.TextChoices):
    CREATE = "create", "Open a nonconformity and hold the lot"
    PROPOSE = "propose", "Propose: give the process owner a task to decide"
    NONE = "none", "Only show on the chart"


class Stage(models.TextChoices):
    RECEIVING = "receiving", "Receiving"
    IN_PROCESS = "in_process", "In-process"
    FINAL = "final", "Final"


class Frequency(models.TextChoices):
    EVERY_UNIT = "every_unit", "Every unit"
    ONE_IN_N = "one_in_n", "1 in N units"
    PER_LOT = "per_lot", "Sample per lot (AQL-style)"


class LotStatus(models.TextChoices):
    IN_PROCESS = "in_process", "In process"
    ON_HOLD = "on_hold", "On hold"
    RELEASED = "released", "Released"
    REJECTED = "rejected", "Rejected"


class Verdict(models.TextChoices):
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"


class RecordSource(models.TextChoices):
    ENTRY = "entry", "Station entry"
    API = "api", "Measuring machine (API)"
    IMPORT = "import", "File import"


class LotDecision(models.TextChoices):
    USE_AS_IS = "use_as_is", "Use as is under concession"
    REWORK = "rework", "Rework"
    SORT = "sort", "Sort 100 %"
    SCRAP = "scrap", "Scrap"
    RETURN = "return", "Return to supplier"


class SignalKind(models.TextChoices):
    OUT_OF_SPEC = "out_of_spec", "Outside the specification"
    RULE = "rule", "Control-chart rule"


# How these statuses look on badges (core.tones).
declare_tones(Criticality, {"critical": "bad", "major": "warn", "minor": "info"})
declare_tones(LotStatus, {"released": "ok", "on_hold": "bad", "rejected": "bad"})
