from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Evaluation, Flag, Ranking


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["scheme", "year", "total_zones", "is_demo"]

    def clean(self):
        cleaned = super().clean()
        problems = services.evaluation_problems(year=cleaned.get("year"), total_zones=cleaned.get("total_zones"))
        for field, message in problems.items():
            self.add_error(field, message)
        return cleaned


class RankingForm(forms.ModelForm):
    """One ranking, on its own or in its evaluation's page: checked against that evaluation as the form sets it."""

    class Meta:
        model = Ranking
        fields = ["evaluation", "zone", "rank", "score", "funding_awarded"]

    def clean(self):
        cleaned = super().clean()
        problems = services.ranking_problems(
            evaluation=cleaned.get("evaluation"),
            zone=cleaned.get("zone"),
            rank=cleaned.get("rank"),
            score=cleaned.get("score"),
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return cleaned


class RecomputesFlags:
    """Saving or deleting rankings here recomputes the accountability flags after the commit, as an import does."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.rankings_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.rankings_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.rankings_changed()


class RankingInline(admin.TabularInline):
    model = Ranking
    form = RankingForm
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(RecomputesFlags, admin.ModelAdmin):
    form = EvaluationForm
    list_display = ["year", "scheme", "total_zones", "is_demo"]
    list_filter = ["scheme", "year"]
    inlines = [RankingInline]


@admin.register(Ranking)
class RankingAdmin(RecomputesFlags, SimpleHistoryAdmin):
    form = RankingForm
    list_display = ["zone", "evaluation", "rank", "score", "funding_awarded"]
    list_filter = ["evaluation__scheme", "evaluation__year", "zone", "funding_awarded"]
    search_fields = ["zone__name"]
    list_select_related = ["zone", "evaluation"]


@admin.register(Flag)
class FlagAdmin(SimpleHistoryAdmin):
    """Flags to read: the rules raise and withdraw them (`services.flags_recompute`), people handle them on their own
    page (`services.flag_transition`: a note to resolve, no handling overwritten unseen, a history that says why)."""

    list_display = ["zone", "year", "scheme", "rule", "outcome", "state", "responsible_party", "handled_by"]
    list_filter = ["rule", "outcome", "state", "scheme", "year", "zone"]
    search_fields = ["zone__name", "consequence", "note"]
    list_select_related = ["zone", "handled_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
