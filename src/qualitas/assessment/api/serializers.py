from __future__ import annotations

from typing import Any

from rest_framework import serializers

from qualitas.assessment.models import (
    Assessment,
    Assessor,
    Criterion,
    Element,
    ElementResult,
    Level,
    MaturityModel,
    Rating,
)
from qualitas.core.api.serializers import TenantModelSerializer


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "position", "text"]


class LevelSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Level
        fields = ["number", "description", "criteria"]


class ElementSerializer(serializers.ModelSerializer):
    levels = LevelSerializer(many=True, read_only=True)

    class Meta:
        model = Element
        fields = ["id", "kind", "clause", "clause_title", "number", "title", "question", "summary", "levels"]


class MaturityModelSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaturityModel
        fields = ["code", "title", "version", "based_on", "description", "level_names", "profiles"]


class MaturityModelDetailSerializer(MaturityModelSerializer):
    elements = ElementSerializer(many=True, read_only=True)

    class Meta(MaturityModelSerializer.Meta):
        fields = [*MaturityModelSerializer.Meta.fields, "elements"]


class AssessorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Assessor
        fields = ["id", "user", "name", "perspective", "submitted_at"]


class AssessmentSerializer(TenantModelSerializer):
    facilitator_name = serializers.CharField(source="facilitator.display_name", read_only=True)
    maturity_model = serializers.SlugRelatedField(
        slug_field="code", queryset=MaturityModel.objects.all(), required=False
    )
    assessors = AssessorSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "reference",
            "title",
            "scope",
            "date",
            "facilitator",
            "facilitator_name",
            "maturity_model",
            "mode",
            "status",
            "summary",
            "completed_at",
            "assessors",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["reference", "status", "completed_at", "created_at", "updated_at"]


class RatingSerializer(TenantModelSerializer):
    level = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    met_criteria = serializers.ListField(child=serializers.IntegerField(), required=False)
    assessor_name = serializers.CharField(source="assessor.display_name", read_only=True)
    element_number = serializers.CharField(source="element.number", read_only=True)

    class Meta:
        model = Rating
        fields = [
            "id",
            "assessment",
            "element",
            "element_number",
            "assessor",
            "assessor_name",
            "level",
            "met_criteria",
            "comment",
            "evidence",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["assessor", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if (
            self.instance is not None
            and not isinstance(self.instance, list | tuple)
            and hasattr(self.instance, "pk")
        ):
            fields["assessment"].read_only = True
            fields["element"].read_only = True
        return fields


class ElementResultSerializer(TenantModelSerializer):
    element_number = serializers.CharField(source="element.number", read_only=True)
    element_title = serializers.CharField(source="element.title", read_only=True)
    gap = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = ElementResult
        fields = [
            "id",
            "assessment",
            "element",
            "element_number",
            "element_title",
            "level",
            "target_level",
            "gap",
            "reasoning",
            "is_priority",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["assessment", "element", "created_at", "updated_at"]


class ResultRowSerializer(serializers.Serializer):
    element = serializers.CharField()
    title = serializers.CharField()
    clause = serializers.CharField()
    level = serializers.IntegerField(allow_null=True)
    target = serializers.IntegerField(allow_null=True)
    gap = serializers.IntegerField(allow_null=True)
    previous = serializers.IntegerField(allow_null=True)
    trend = serializers.CharField()
    ratings = serializers.ListField(child=serializers.IntegerField())
    stdev = serializers.FloatField(allow_null=True)
    indicators = serializers.ListField(child=serializers.DictField())


class ResultsSerializer(serializers.Serializer):
    assessment = serializers.CharField()
    previous = serializers.CharField(allow_null=True)
    clauses = serializers.DictField(child=serializers.FloatField(allow_null=True))
    targets = serializers.DictField(child=serializers.FloatField(allow_null=True))
    elements = ResultRowSerializer(many=True)
