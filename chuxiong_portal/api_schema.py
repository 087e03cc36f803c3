"""The OpenAPI schema says what the API does (checked by tests/api/test_schemathesis.py with every check).

`document_errors` (a drf-spectacular post-processing hook) documents on every operation the error answers the
API gives, all with the one error body `{"detail", "errors"}` (chuxiong_portal/api_support.py): 400 (bad query or
body), 401 (no or bad token), 403 (no role, or not a writer), 404 (no such object or page), 429 (throttled), 503
(database busy: try again, with Retry-After); bounds the page parameters (`page` ≥ 1, `page_size` 1…1000) and
says that string filters take no empty value; closes the bulk request bodies (no undocumented field, at most
MAX_BULK_ROWS rows), so that a body that keeps to the schema is never a 400: the imports answer a well-formed batch
they refuse with 409 (`api_support.import_response`).
"""

from .api_support import MAX_BULK_ROWS

ERROR_SCHEMA = {
    "type": "object",
    "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object",
            "required": ["index", "field", "message"],
            "properties": {"index": {"type": "integer", "nullable": True},
                           "field": {"type": "string", "nullable": True},
                           "message": {"type": "string"}},
        }},
    },
}
ERRORS = {
    "400": "请求参数或请求体有误 Invalid query or body",
    "401": "未认证 Missing or invalid token",
    "403": "无权限 No role, or not allowed to write",
    "404": "不存在 No such object or page (or no plan of that code)",
    "429": "请求过于频繁 Throttled",
    "503": "数据库繁忙，未写入任何数据，请稍后重试 Database busy, nothing written: retry after Retry-After seconds",
}

# Query parameters whose filter bounds its value (indicators/filters.py ProgressFilter.target).
QUERY_BOUNDS = {"target": {"minimum": 1, "maximum": 2**53}}


def document_errors(result, generator, request, public):
    """Post-processing hook: every operation documents the error answers; `page` starts at 1."""
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, {"content": {"application/json": {"schema": ERROR_SCHEMA}},
                                            "description": description})
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and parameter.get("name") == "page":
                    parameter["schema"] = {"type": "integer", "minimum": 1}
                if parameter.get("in") == "query" and parameter.get("name") == "page_size":
                    parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 1000}
                schema = parameter.get("schema", {})
                if parameter.get("in") == "query" and schema.get("type") == "number":
                    # The number filters are whole numbers (api_support.StrictFilterBackend refuses 0.5).
                    schema["type"] = "integer"
                if parameter.get("in") == "query" and parameter.get("name") in QUERY_BOUNDS:
                    schema.update(QUERY_BOUNDS[parameter["name"]])
                if (parameter.get("in") == "query" and parameter.get("name") != "cursor"
                        and schema.get("type") == "string" and "enum" not in schema):
                    schema["minLength"] = 1  # an empty filter value is refused (api_support.StrictFilterBackend)
        for method, operation in path_item.items():
            if method == "post" and "requestBody" in operation:
                _close_request_body(result, operation["requestBody"])
    return result


def _close_request_body(result: dict, body: dict) -> None:
    """A bulk body is an array of at most MAX_BULK_ROWS rows, and a row (or a row's part) takes no other fields than
    those documented: the imports refuse an unknown field as invalid (a 400)."""
    components = result.get("components", {}).get("schemas", {})
    seen = set()

    def close(schema: dict) -> None:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen and name in components:
                seen.add(name)
                close(components[name])
            return
        if schema.get("type") == "object" and "properties" in schema:
            schema["additionalProperties"] = False
            for part in schema["properties"].values():
                close(part)
        if schema.get("type") == "array":
            close(schema.get("items", {}))
        for key in ("allOf", "oneOf", "anyOf"):
            for part in schema.get(key, []):
                close(part)

    for media in body.get("content", {}).values():
        schema = media.get("schema", {})
        if schema.get("type") == "array":
            schema["maxItems"] = MAX_BULK_ROWS
        close(schema)
