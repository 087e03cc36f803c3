"""Every migration can be reversed and applied again, on a database that holds data.

1. Each migration of the project's apps that changes an existing schema (not an `initial` one) is unapplied
   and applied again while the demo history is in the database: every row is still there afterwards.
2. Then everything goes back to zero (the tables, and the data in them, are dropped: as far as a reversal
   can go) and forward again: the schema is the same as before and the plan loads into it.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import CreateModel

from chuxiong_portal.backup import exported_models, project_app_configs
from indicators.models import ProgressResult
from tasks.models import Task
from tests.dashboards.data import build_small
from tools.demo import demo_load

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees the new state


def leaves() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def row_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._default_manager.count() for m in exported_models(include_credentials=True)}


def schema() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        return {
            table: sorted(column.name for column in connection.introspection.get_table_description(cursor, table))
            for table in connection.introspection.table_names(cursor)
        }


def schema_changes() -> list[tuple[str, str]]:
    """The project's migrations that alter tables created earlier, in the order they apply."""
    executor = MigrationExecutor(connection)
    labels = {config.label for config in project_app_configs()}
    full_plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    return [(m.app_label, m.name) for m, _ in full_plan if m.app_label in labels and not m.initial]


def parent_in_app(key: tuple[str, str]) -> tuple[str, str | None]:
    graph = MigrationExecutor(connection).loader.graph
    parents = sorted(p for p in graph.node_map[key].parents if p.key[0] == key[0])
    return (key[0], parents[-1].key[1] if parents else None)


def test_it_reverses_and_reapplies_each_schema_change_with_data_in_place(plan):
    demo_load()
    call_command("recompute", verbosity=0)
    before = row_counts()
    assert before["indicators.indicatorvalue"] > 0 and before["assessments.flag"] > 0

    changes = schema_changes()
    assert changes  # e.g. assessments.0003_flag_reason
    for key in changes:
        before = row_counts()  # a table an earlier step re-created is empty from then on
        applied = set(MigrationExecutor(connection).loader.applied_migrations)
        reversed_ = applied - set(migrate([parent_in_app(key)]).loader.applied_migrations)
        assert key in reversed_
        migrate(leaves())
        # A table a reversed migration created goes with its rows: that is as far as a reversal can go.
        created = tables_created_by(reversed_)
        kept = {label: count for label, count in before.items() if label not in created}
        after = {label: count for label, count in row_counts().items() if label not in created}
        assert after == kept, f"rows lost by reversing and re-applying {key}"


def tables_created_by(keys) -> set[str]:
    graph = MigrationExecutor(connection).loader.graph
    return {
        f"{app}.{operation.name_lower}"
        for app, name in keys
        for operation in graph.nodes[(app, name)].operations
        if isinstance(operation, CreateModel)
    }


def test_it_migrates_to_zero_and_back_to_the_same_schema(plan):
    demo_load()
    expected = schema()
    labels = {app for app, _ in leaves()}

    migrate([(label, None) for label in labels])
    assert not MigrationExecutor(connection).loader.applied_migrations
    assert not set(schema()) & {m._meta.db_table for m in exported_models()}

    migrate(leaves())
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)  # content types, permissions
    assert schema() == expected
    call_command("load_plan", verbosity=0)
    assert Task.objects.count() == 26


def test_the_reason_code_and_basis_columns_are_filled_from_the_stored_inputs(plan):
    build_small()  # results of every kind, recomputed
    written = dict(ProgressResult.objects.values_list("pk", "reason_code"))
    held = set(ProgressResult.objects.filter(against_goal=True).values_list("pk", flat=True))
    assert held and len(held) < len(written)

    migrate([("indicators", "0011_value_scope_source")])  # the columns go
    migrate(leaves())  # and come back, filled from each result's inputs

    assert dict(ProgressResult.objects.values_list("pk", "reason_code")) == written
    assert set(ProgressResult.objects.filter(against_goal=True).values_list("pk", flat=True)) == held


def index_columns(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [c["columns"] for c in constraints.values() if c["index"] and not c["unique"] and not c["primary_key"]]


def test_a_values_updated_at_is_indexed_only_with_its_id_and_the_drop_reverses(plan):
    """Migration indicators.0016 drops the single-column index of `updated_at` (the value's and its history's), which
    the (updated_at, id) index leads with; unapplied, it builds both again."""
    value, history = "indicators_indicatorvalue", "indicators_historicalindicatorvalue"
    assert ["updated_at", "id"] in index_columns(value)
    assert ["updated_at"] not in index_columns(value) and ["updated_at"] not in index_columns(history)
    migrate([("indicators", "0015_result_sync_order")])
    try:
        assert ["updated_at"] in index_columns(value) and ["updated_at"] in index_columns(history)
    finally:
        migrate(leaves())
    assert ["updated_at"] not in index_columns(value)
