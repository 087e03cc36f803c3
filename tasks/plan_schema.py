"""The schema every plan file follows (JSON Schema 2020-12), and its validation.

A plan file holds one plan: its header (`plan`), its programmes, tasks and indicators with
their targets. Units, counties, zones and clusters are shared by all plans: a file may add
or update them, and may refer to those already loaded. The README describes every field.
"""

from jsonschema import Draft202012Validator

_SLUG = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "maxLength": 50}
_YEAR = {"type": "integer", "minimum": 1990, "maximum": 2100}
_TEXT = {"type": "string"}
_NUMBER_OR_NULL = {"type": ["number", "null"]}
_ORDER = {"type": "integer", "minimum": 0, "maximum": 32767}

PLAN_HEADER = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code", "title", "baseline_year", "first_year", "last_year", "goal_year"],
    "properties": {
        "code": {**_SLUG, "maxLength": 40},
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "document_number": {"type": "string", "maxLength": 60},
        "issuing_body": {"type": "string", "maxLength": 200},
        "baseline_year": _YEAR,
        "first_year": _YEAR,
        "last_year": _YEAR,
        "goal_year": _YEAR,
        "status": {"enum": ["draft", "in_force", "closing", "closed"]},
        "source_text": _TEXT,
        "synthetic": {"type": "boolean"},
    },
}

TARGET = {
    "type": "object",
    "additionalProperties": False,
    "required": ["scope", "year", "committed", "stretch", "wording"],
    "properties": {
        "scope": {"enum": ["zone", "cluster", "prefecture"]},
        "year": _YEAR,
        "zone": _SLUG,
        "cluster": _SLUG,
        "committed": _NUMBER_OR_NULL,
        "stretch": _NUMBER_OR_NULL,
        "wording": _TEXT,
        "due_date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "required_count": {"type": "integer", "minimum": 1, "maximum": 366},
        "basis": {"enum": ["plan", "office"]},
        "note": _TEXT,
        "per_half_year": {"type": "boolean"},
        "due_month": {"type": "integer", "minimum": 1, "maximum": 12},
        "trend": {"type": "boolean"},
    },
    "allOf": [
        {
            "if": {"properties": {"scope": {"const": "zone"}}},
            "then": {"required": ["zone"], "not": {"required": ["cluster"]}},
        },
        {
            "if": {"properties": {"scope": {"const": "cluster"}}},
            "then": {"required": ["cluster"], "not": {"required": ["zone"]}},
        },
        {
            "if": {"properties": {"scope": {"const": "prefecture"}}},
            "then": {"not": {"anyOf": [{"required": ["zone"]}, {"required": ["cluster"]}]}},
        },
    ],
}

INDICATOR = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "code",
        "name",
        "unit",
        "kind",
        "direction",
        "task",
        "source",
        "owner",
        "cadence",
        "year_to_date",
        "min_value",
        "max_value",
        "description",
        "targets",
        "order",
    ],
    "properties": {
        "code": _SLUG,
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "unit": {"type": "string", "maxLength": 20},
        "kind": {
            "enum": [
                "level",
                "growth",
                "share",
                "cumulative",
                "milestone",
                "recurring",
                "qualitative",
                "average_growth",
                "count",
                "part",
            ]
        },
        "direction": {"enum": ["higher", "lower"]},
        "task": {"type": ["integer", "null"], "minimum": 1},
        "source": {"type": "string", "maxLength": 60},
        "owner": {"anyOf": [_SLUG, {"type": "null"}]},
        "cadence": {"enum": ["biweekly", "monthly", "quarterly", "half_yearly", "yearly"]},
        "year_to_date": {"type": "boolean"},
        "min_value": _NUMBER_OR_NULL,
        "max_value": _NUMBER_OR_NULL,
        "description": _TEXT,
        "order": _ORDER,
        "continues": _SLUG,
        "numerator": {"anyOf": [_SLUG, {"type": "null"}]},
        "denominator": {"anyOf": [_SLUG, {"type": "null"}]},
        "growth_of": {"anyOf": [_SLUG, {"type": "null"}]},
        "safeguard": {"type": ["integer", "null"], "minimum": 1},
        "targets": {"type": "array", "items": TARGET},
    },
}

PLAN_FILE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Plan file",
    "type": "object",
    "additionalProperties": False,
    "required": ["plan", "programmes", "tasks", "indicators"],
    "properties": {
        "plan": PLAN_HEADER,
        "source": _TEXT,
        "programmes": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["number", "name"],
                "properties": {
                    "number": {"type": "integer", "minimum": 1},
                    "name": {"type": "string", "minLength": 1, "maxLength": 100},
                },
            },
        },
        "departments": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["slug", "name", "other_names", "kind", "order"],
                "properties": {
                    "slug": {**_SLUG, "maxLength": 40},
                    "name": {"type": "string", "minLength": 1, "maxLength": 60},
                    "other_names": {"type": "array", "items": {"type": "string"}},
                    "kind": {"enum": ["prefecture", "county", "zones"]},
                    "order": _ORDER,
                },
            },
        },
        "tasks": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "number",
                    "programme",
                    "title",
                    "text",
                    "responsibility_text",
                    "units",
                    "county_body",
                    "zones_body",
                ],
                "properties": {
                    "number": {"type": "integer", "minimum": 1},
                    "programme": {"type": "integer", "minimum": 1},
                    "title": {"type": "string", "minLength": 1, "maxLength": 100},
                    "text": _TEXT,
                    "responsibility_text": _TEXT,
                    "units": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                    "county_body": {"type": "string", "minLength": 1},
                    "zones_body": {"type": "string", "minLength": 1},
                },
            },
        },
        "counties": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "order"],
                "properties": {"code": _SLUG, "name": {"type": "string", "minLength": 1}, "order": _ORDER},
            },
        },
        "zones": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "short_name", "level", "county", "order"],
                "properties": {
                    "code": _SLUG,
                    "name": {"type": "string", "minLength": 1},
                    "short_name": _TEXT,
                    "level": {"enum": ["national", "provincial", "prefecture"]},
                    "county": _SLUG,
                    "order": _ORDER,
                },
            },
        },
        "clusters": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "zones", "description", "order"],
                "properties": {
                    "code": _SLUG,
                    "name": {"type": "string", "minLength": 1},
                    "zones": {"type": "array", "items": _SLUG},
                    "description": _TEXT,
                    "order": _ORDER,
                },
            },
        },
        "indicators": {"type": "array", "items": INDICATOR},
        "safeguards": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["number", "title", "text"],
                "properties": {
                    "number": {"type": "integer", "minimum": 1, "maximum": 32767},
                    "title": {"type": "string", "minLength": 1, "maxLength": 40},
                    "text": _TEXT,
                },
            },
        },
    },
}

_VALIDATOR = Draft202012Validator(PLAN_FILE_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(data) -> list[tuple[str, str, dict]]:
    """Every place where `data` breaks the schema, as (JSON path, rule, details), in document order: the rule is the
    JSON Schema keyword broken (required, type, enum…); the words are the caller's, in the reader's language."""
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: [_step(p) for p in e.absolute_path])
    return [(error.json_path, error.validator, _details(error)) for error in errors]


def _step(part) -> tuple:
    # Indexes in numeric order ($.tasks[2] before $.tasks[10]), keys after them in alphabetical order.
    return (0, part, "") if isinstance(part, int) else (1, 0, str(part))


def _details(error) -> dict:
    instance, expected = error.instance, error.validator_value
    if error.validator == "required":
        return {"names": [name for name in expected if isinstance(instance, dict) and name not in instance]}
    if error.validator == "additionalProperties":
        allowed = error.schema.get("properties", {})
        return {"names": sorted(key for key in instance if key not in allowed)}
    return {"expected": expected, "value": instance}
