"""Payload builders shared by the API tests (a module of its own: `conftest` names clash between folders)."""


def value_row(
    zone="lufeng", indicator="industrial-output", year=2024, index=3, value="100.5", cadence="monthly", **extra
):
    row = {
        "zone": zone,
        "indicator": indicator,
        "period": {"cadence": cadence, "year": year, "index": index},
        "value": value,
    }
    row.update(extra)
    return row
