from django_filters import rest_framework as filters

from .models import Zone


class ZoneFilter(filters.FilterSet):
    county = filters.CharFilter(field_name="county__code", label="属地县市代码 Host county code")

    class Meta:
        model = Zone
        fields = ["level", "county"]
