from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Evaluation, Flag, Ranking


class RankingInline(admin.TabularInline):
    model = Ranking
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["year", "scheme", "total_zones", "is_demo"]
    list_filter = ["scheme", "year"]
    inlines = [RankingInline]


@admin.register(Ranking)
class RankingAdmin(SimpleHistoryAdmin):
    list_display = ["zone", "evaluation", "rank", "score", "funding_awarded"]
    list_filter = ["evaluation__scheme", "evaluation__year", "zone", "funding_awarded"]
    search_fields = ["zone__name"]
    list_select_related = ["zone", "evaluation"]


@admin.register(Flag)
class FlagAdmin(SimpleHistoryAdmin):
    list_display = ["zone", "year", "scheme", "rule", "outcome", "state", "responsible_party", "handled_by"]
    list_filter = ["rule", "outcome", "state", "scheme", "year", "zone"]
    search_fields = ["zone__name", "consequence", "note"]
    list_select_related = ["zone", "handled_by"]
    readonly_fields = ["evidence", "created_at", "updated_at"]
