"""API serializers of the parks app (read-only)."""

from rest_framework import serializers

from .models import County, IndustryCluster, Zone


class CountySerializer(serializers.ModelSerializer):
    class Meta:
        model = County
        fields = ["code", "name"]


class ClusterRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndustryCluster
        fields = ["code", "name"]


class ZoneSerializer(serializers.ModelSerializer):
    county = CountySerializer(read_only=True, help_text="属地县市 Host county")
    clusters = ClusterRefSerializer(
        many=True, read_only=True, help_text="依托本园区的产业集群 Clusters resting on the zone"
    )

    class Meta:
        model = Zone
        fields = ["code", "name", "short_name", "level", "county", "clusters"]
