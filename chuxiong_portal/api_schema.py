"""The OpenAPI schema says what the API does (checked by tests/api/test_schemathesis.py with every check).

`document_errors` (a drf-spectacular post-processing hook) documents on every operation the error answers the
API gives, all with the one error body `{"detail", "errors"}` (chuxiong_portal/api_support.py): 400 (bad query or
body), 401 (no or bad token), 403 (no role, or not a writer), 404 (no such object or page), 429 (throttled), 503
(database busy: try again, with Retry-After); bounds the page parameters (`page` ≥ 1, `page_size` 1…1000) and
says that string filters take no empty value; closes the bulk request bodies (no undocumented field, at most
MAX_BULK_ROWS rows), so that a body that keeps to the schema is never a 400: the imports answer a well-formed batch
they refuse with 409 (`api_support.import_response`).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.authentication import SessionScheme

from .api_support import MAX_BULK_ROWS


class PortalSessionScheme(SessionScheme):
    """The browser session (`api_auth.SessionAuthentication`, DRF's with its CSRF refusal in the reader's language) is
    documented as DRF's: registered by being defined, when chuxiong_portal/api.py imports this module."""

    target_class = "chuxiong_portal.api_auth.SessionAuthentication"


ERROR_SCHEMA = {
    "type": "object",
    "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["index", "field", "message"],
                "properties": {
                    "index": {"type": "integer", "nullable": True},
                    "field": {"type": "string", "nullable": True},
                    "message": {"type": "string"},
                },
            },
        },
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
                responses.setdefault(
                    code, {"content": {"application/json": {"schema": ERROR_SCHEMA}}, "description": description}
                )
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
                if (
                    parameter.get("in") == "query"
                    and parameter.get("name") != "cursor"
                    and schema.get("type") == "string"
                    and "enum" not in schema
                ):
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


# What each resource of the API is, in the reader's language: the operations' descriptions come from here, not
# from the views' docstrings (English notes for developers).
RESOURCES = {
    "departments": gettext_lazy("责任单位：单位名称、曾用名及其承担的任务"),
    "evaluation_results": gettext_lazy(
        "开发区评价结果：各评价方案年度版本下的总分、排名及各分项指标的数值、得分和排名"
    ),
    "evaluation_schemes": gettext_lazy("评价方案：按类别和年度分版本，含分组加权的分项指标"),
    "evaluations": gettext_lazy("评价年度汇总：每个评价方案每年参评的开发区数"),
    "flags": gettext_lazy("问责提示：任务8规则的判定结果，可按开发区、年度、规则、处理状态筛选"),
    "indicator_values": gettext_lazy("指标数据：规划各指标各期的填报值和省统计数据"),
    "indicators": gettext_lazy("指标定义：名称、计量单位、类型、报送周期"),
    "plans": gettext_lazy("规划（实施方案）：代码、标题、文号、年度和状态"),
    "progress": gettext_lazy("目标进度：各目标（开发区、产业集群、全州 × 指标）各期的进度判定"),
    "project_investments": gettext_lazy("重点项目投资：各项目各月完成投资"),
    "project_reports": gettext_lazy("重点项目双周调度报告"),
    "projects": gettext_lazy("重点项目：阶段、节点日期、年度投资计划和倒排工期基线"),
    "rankings": gettext_lazy("省级开发区综合评价排名：年度、开发区、名次、参评数、得分、是否获资金支持"),
    "reconciliation": gettext_lazy("省州数据对账：同一指标同一期既有省统计数据又有单位填报值的差异"),
    "reconciliation_project_rates": gettext_lazy(
        "项目类比率对账：由项目计算的落地率、开工率、资金到位率与省统计数据对照"
    ),
    "targets": gettext_lazy("目标值：各指标按范围、年度的约束值和力争值"),
    "tasks": gettext_lazy("任务：规划的各项任务及其责任单位"),
    "timeliness": gettext_lazy("报送及时率：时间窗口内应报、按时、逾期的报告数（默认本月）"),
    "zones": gettext_lazy("开发区：代码、名称、级别、所在县市、产业集群"),
}


def _operation_description(operation_id: str, *, keyset: bool) -> str | None:
    for suffix, words in (
        (
            "_list",
            _("%(what)s。列表，可按查询参数筛选；按更新时间和编号顺序分页，沿 next 链接取下一页，可用于增量同步。")
            if keyset
            else _("%(what)s。列表，可按查询参数筛选，按页码分页。"),
        ),
        ("_retrieve", _("%(what)s。单条记录。")),
        (
            "_bulk_create",
            _(
                "%(what)s。批量写入：请求体为 JSON 数组，每次最多 %(rows)d 行，"
                "整批校验通过才写入，任何一行有误则整批不写入；不符合接口格式返回 400，"
                "格式正确但被业务规则拒绝返回 409，数据库繁忙返回 503（请按 Retry-After 重试）。"
            ),
        ),
    ):
        if operation_id.endswith(suffix):
            resource = operation_id[: -len(suffix)]
            if resource == "timeliness" and suffix == "_retrieve":
                return str(RESOURCES[resource]) + _("。")
            if resource in RESOURCES:
                return words % {"what": RESOURCES[resource], "rows": MAX_BULK_ROWS}
    return None


def describe_operations(result, generator, request, public):
    """Post-processing hook: every operation's description in the reader's language (zh-hans by default)."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            keyset = any(p.get("name") == "cursor" for p in operation.get("parameters", []))
            words = _operation_description(operation["operationId"], keyset=keyset)
            operation["description"] = words if words is not None else ""
    return result
