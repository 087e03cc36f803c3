"""The letters' history begins with each letter as it stood: a signing recorded before the history existed is kept
when it is corrected later (supervision 0005)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = ("supervision", "0004_source_facts"), ("supervision", "0005_letter_history")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return MigrationExecutor(connection).loader.project_state([target]).apps


def test_a_letter_signed_before_the_history_is_its_first_entry(plan):
    old = migrate(BEFORE)
    letter = old.get_model("supervision", "ResponsibilityLetter").objects.create(
        zone_id=plan["lufeng"].pk,
        year=2025,
        prefecture_signatory="甲",
        zone_signatory="乙",
        signed_on=date(2025, 2, 20),
    )
    try:
        new = migrate(AFTER)
        entries = new.get_model("supervision", "HistoricalResponsibilityLetter").objects.filter(id=letter.pk)
        assert list(entries.values_list("prefecture_signatory", "zone_signatory", "signed_on", "history_type")) == [
            ("甲", "乙", date(2025, 2, 20), "+")
        ]
        # When and by whom that signing was recorded is not known: the letter page says so rather than the migration's
        # own time.
        from supervision.models import ResponsibilityLetter
        from supervision.selectors import letter_signings

        [entry] = letter_signings(ResponsibilityLetter.objects.get(pk=letter.pk))
        assert (entry.prefecture_signatory, entry.recorded_at, entry.history_user) == ("甲", None, None)
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
