"""Shared plumbing of the REST API (/api/v1/): access rules, throttles, pagination, parsing, error bodies.

Every API view derives from `ApiViewSet`, so that the rules below hold everywhere:

- anonymous requests get 401 (TokenAuthentication is the first authentication class, so DRF
  answers 401 with `WWW-Authenticate: Token`); a logged-in account without a role gets 403;
- every role reads; only the provincial-sync client and the prefecture office (or a superuser)
  may call the bulk-write actions (listed in a view's `write_actions`);
- errors always have the body `{"detail": "...", "errors": [{"index", "field", "message"}]}`.
"""

import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.parsers import BaseParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from .bulk_import import MAX_ROWS as MAX_BULK_ROWS
from .bulk_import import VALUE_STRING
from .busy import RETRY_AFTER_SECONDS, busy_message, is_busy
from .params import whole_number
from .roles import Role

# A bulk request carries at most MAX_BULK_ROWS rows (the bulk import's limit), and at most this many bytes of JSON.
MAX_BULK_BODY_BYTES = 10 * 1024 * 1024
WRITER_ROLES = frozenset({Role.PREFECTURE_OFFICE, Role.PROVINCIAL_SYNC})


# --------------------------------------------------------------------------- access


def can_bulk_write(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in WRITER_ROLES))


class ApiAccess(BasePermission):
    """Read for every role; bulk writes for the provincial-sync client and the prefecture office."""

    message = gettext_lazy("您的账号尚未分配角色，不能使用数据接口。")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False  # DRF turns this into 401 because an authenticator was tried
        if not (user.is_superuser or user.role):
            return False
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "action", None) in getattr(view, "write_actions", ()):
            if not can_bulk_write(user):
                raise exceptions.PermissionDenied(_("只有省统计系统同步客户端和州开发区办可以通过接口批量写入数据。"))
        return True  # any other method falls through to 405


# --------------------------------------------------------------------------- throttles


class _SettingsRateThrottle(UserRateThrottle):
    """A per-user throttle whose rate is read from REST_FRAMEWORK at request time (overridable in tests)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class ReadThrottle(_SettingsRateThrottle):
    scope = "api_read"


class BulkThrottle(_SettingsRateThrottle):
    scope = "api_bulk"


# --------------------------------------------------------------------------- parsing


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self):
        super().__init__(
            _("请求体过大：每次最多提交 %(mb)d MB 的 JSON 数据（且不超过 %(rows)d 行），请分批提交。")
            % {"mb": MAX_BULK_BODY_BYTES // (1024 * 1024), "rows": MAX_BULK_ROWS}
        )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class Busy(exceptions.APIException):
    """The database is busy with other writers; nothing was written and the same request may be sent again."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "busy"


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


class DuplicateKey(ValueError):
    pass


def _unique_object(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object whose keys are all different: {"value": "abc", "value": "1"} is refused, not half-read."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen = set()
        for key, _value in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return data


def loads_strict(text: str):
    """JSON as the API reads it: numbers exact (Decimal, never a binary float), no NaN/Infinity, no repeated key."""
    return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant, object_pairs_hook=_unique_object)


class BulkJSONParser(BaseParser):
    """JSON with a size cap of its own and no way to crash the server.

    Deliberately not a subclass of DRF's JSONParser, so that DRF hands over the raw stream and the
    cap here (MAX_BULK_BODY_BYTES) applies instead of Django's DATA_UPLOAD_MAX_MEMORY_SIZE.
    """

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read(MAX_BULK_BODY_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BULK_BODY_BYTES:
            raise PayloadTooLarge()
        try:
            return loads_strict(raw.decode("utf-8"))
        except RecursionError as error:
            raise exceptions.ParseError(_("JSON 嵌套层级过深。")) from error
        except DuplicateKey as error:
            raise exceptions.ParseError(
                _("请求体中同一对象内的字段“%(key)s”重复出现。") % {"key": str(error.args[0])[:60]}
            ) from error
        except json.JSONDecodeError as error:
            # Where, in the reader's language: the decoder's own words ("Expecting property name enclosed in double
            # quotes") are English whatever the reader's.
            message = _("请求体不是有效的 JSON：第 %(line)d 行第 %(column)d 列有误。") % {
                "line": error.lineno,
                "column": error.colno,
            }
            raise exceptions.ParseError(message) from error
        except (ValueError, UnicodeDecodeError) as error:  # not UTF-8, or NaN / Infinity
            raise exceptions.ParseError(_("请求体不是有效的 JSON（UTF-8 编码）。")) from error


# --------------------------------------------------------------------------- bulk rows in the schema


# A code as the bulk imports read it (chuxiong_portal.bulk_import.CODE): ASCII letters, digits, - and _.
CODE_PATTERN = r"^[-A-Za-z0-9_]{1,100}$"


def code_field(help_text: str, *, optional: bool = False, max_length: int = 100) -> serializers.RegexField:
    """A code in a bulk row, documented with its pattern. `optional`: it may be left out, null or empty (a rule
    between fields says when it is needed, and a row that breaks it is refused, a 409)."""
    if optional:
        return serializers.RegexField(
            r"^[-A-Za-z0-9_]+$",
            max_length=max_length,
            required=False,
            allow_null=True,
            allow_blank=True,
            help_text=help_text,
        )
    return serializers.RegexField(
        CODE_PATTERN.replace("100", str(max_length)), max_length=max_length, help_text=help_text
    )


def decimal_field(help_text: str, *, minimum: int, maximum: int, exclusive: bool = False) -> serializers.Field:
    """An optional decimal in a bulk row, documented as the imports read it: a JSON number within the bounds, or a
    decimal string (`bulk_import.VALUE_STRING`), the form in which the API's lists give decimals ("85.50"), so that a
    figure read from a list may be sent back as it stands. A string's bounds cannot be written in the schema: one
    outside them is refused (409), a number outside them is invalid (400) (`bulk_import.decimal_refusable`)."""
    number = {"type": "number", "minimum": minimum, "maximum": maximum}
    if exclusive:
        number.update(exclusiveMinimum=True, exclusiveMaximum=True)
    schema = {"oneOf": [number, {"type": "string", "pattern": VALUE_STRING}], "nullable": True}
    field_class = extend_schema_field(schema)(type("BulkDecimalField", (serializers.Field,), {}))
    return field_class(required=False, allow_null=True, help_text=help_text)


# --------------------------------------------------------------------------- errors


def error_items(data, field: str | None = None, index: int | None = None) -> list[dict]:
    """Flatten DRF/django-filter error data into [{index, field, message}]."""
    if isinstance(data, dict):
        items = []
        for key, value in data.items():
            name = None if key in ("non_field_errors", "__all__", "detail") else str(key)
            items += error_items(value, f"{field}.{name}" if field and name else (name or field), index)
        return items
    if isinstance(data, list | tuple):
        items = []
        for position, value in enumerate(data):
            if isinstance(value, dict):
                items += error_items(value, field, position)
            else:
                items += error_items(value, field, index)
        return items
    return [{"index": index, "field": field, "message": str(data)}]


def api_exception_handler(exc, context):
    """DRF's handler, with one body shape for every error: {"detail": "...", "errors": [...]}."""
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(_("请求无效。"))
    elif is_busy(exc):
        exc = Busy(busy_message())
    elif isinstance(exc, Http404):
        # Django's text ("No Task matches the given query.") is for developers and in English only: the reader gets
        # DRF's own, in their language (「未找到。」). A NotFound raised with a message of its own keeps it.
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Busy):
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": _("请求参数有误，请按提示修改。"), "errors": error_items(response.data)}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"detail": str(detail), "errors": []}
    return response


def import_response(summary) -> Response:
    """An import summary as the response: 200 when the batch was (or would be) written; else 400 when the batch
    breaks the published schema, and 409 when it keeps to it but the portal refuses it as it stands (a code it does
    not hold, a rule between fields or against the stored data: `ImportSummary.refuse`). Nothing is written then."""
    if not summary.errors:
        return Response(summary.as_dict(), status=status.HTTP_200_OK)
    refused = summary.only_refused
    return Response(summary.as_dict(), status=status.HTTP_409_CONFLICT if refused else status.HTTP_400_BAD_REQUEST)


def dry_run_param(request) -> bool:
    raw = request.query_params.get("dry_run", "").strip().lower()
    if raw in ("", "0", "false", "no"):
        return False
    if raw in ("1", "true", "yes"):
        return True
    raise exceptions.ValidationError({"dry_run": [_("dry_run 只能为 true 或 false。")]})


# --------------------------------------------------------------------------- pagination


def page_size_param(request, name: str, default: int, most: int) -> int:
    """?page_size: absent → `default`; a whole number 1…`most`; anything else (-5, 2.5, 1001, "") a 400."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    number = whole_number(raw, digits=6)
    if number is None or not 1 <= number <= most:
        raise exceptions.ValidationError({name: [_("每页行数应为 1—%(max)d 之间的整数。") % {"max": most}]})
    return number


class StandardPagination(PageNumberPagination):
    """Page numbers for reference data (small, rarely changing): ?page=N&page_size=M (max 1000)."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        return page_size_param(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def get_page_number(self, request, paginator):
        """A malformed page (``?page=``, ``abc``, ``0``, ``-1``, ``2.5``) is a 400 like every malformed value (DRF
        reads ``?page=`` as page 1 and answers the others 404 「无效页面。」, as if the page were past the end); a whole
        number beyond the last page stays a 404, and DRF's ``last`` is kept."""
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings:
            number = whole_number(raw.strip(), digits=18)
            if number is None or number < 1:
                raise exceptions.ValidationError({self.page_query_param: [_("页码应为从1起的整数。")]})
        return super().get_page_number(request, paginator)


# A keyset cursor: microseconds since the epoch (17 digits reach year 5138) and the row id (at most 18 digits).
CURSOR_PATTERN = r"^([0-9]{1,17})-([0-9]{1,18})$"
CURSOR_RE = re.compile(CURSOR_PATTERN.rstrip("$").lstrip("^"))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class KeysetPagination(BasePagination):
    """Keyset ("seek") pagination over (`view.keyset_field`, id), ascending.

    `next` carries the (timestamp, id) of the last row of the page, and the next page is
    `WHERE (ts, id) > (last_ts, last_id)`. Unlike offsets, this neither skips nor repeats a row
    when rows are inserted or changed while a client pages through: a changed row gets a newer
    timestamp and reappears at the end. The last page has `next: null`.
    """

    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"

    def _page_size(self, request) -> int:
        return page_size_param(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def _decode(self, raw: str) -> tuple[datetime, int]:
        """`<microseconds since 1970-01-01 UTC>-<id>`: every string matching CURSOR_PATTERN decodes."""
        match = CURSOR_RE.fullmatch(raw)
        if match is None:
            message = _("分页游标无效，请使用接口返回的 next 链接。")
            raise exceptions.ValidationError({self.cursor_query_param: [message]})
        return _EPOCH + timedelta(microseconds=int(match[1])), int(match[2])

    @staticmethod
    def encode(moment: datetime, pk: int) -> str:
        return f"{(moment - _EPOCH) // timedelta(microseconds=1)}-{pk}"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.field = getattr(view, "keyset_field", "updated_at")
        size = self._page_size(request)
        raw = request.query_params.get(self.cursor_query_param)
        if raw is not None:  # an empty cursor is malformed too
            moment, pk = self._decode(raw)
            queryset = queryset.filter(Q(**{f"{self.field}__gt": moment}) | Q(**{self.field: moment, "pk__gt": pk}))
        rows = list(queryset.order_by(self.field, "pk")[: size + 1])
        self.has_next = len(rows) > size
        rows = rows[:size]
        self.last = rows[-1] if rows else None
        return rows

    def get_next_link(self) -> str | None:
        if not self.has_next or self.last is None:
            return None
        url = self.request.build_absolute_uri()
        cursor = self.encode(getattr(self.last, self.field), self.last.pk)
        return replace_query_param(remove_query_param(url, self.cursor_query_param), self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "下一页的完整链接；最后一页为 null。Link to the next page; null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "schema": {"type": "string", "pattern": CURSOR_PATTERN},
                "description": "上一页响应中 next 链接携带的游标（微秒时间戳-id）。"
                "Cursor taken from the previous page's `next` link: `<microseconds since 1970 UTC>-<id>`;"
                " rows after that (time, id) follow.",
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
                "description": f"每页行数（默认 {self.page_size}，最多 {self.max_page_size}）。Rows per page.",
            },
        ]


# --------------------------------------------------------------------------- filters


class _SafeIsoDateTimeField(filters.IsoDateTimeFilter.field_class):
    """An ISO 8601 datetime, converted to UTC (0001-01-01T00:00+14:00 cannot be: a 400, not a 500)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            # In UTC, because PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
            return moment.astimezone(UTC)
        except OverflowError as error:
            raise DjangoValidationError(_("日期时间超出有效范围。"), code="invalid") from error


class SafeIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = _SafeIsoDateTimeField


def code_filter(field_name: str, label: str) -> filters.CharFilter:
    """A filter on a related row's `code` (zone, cluster, indicator): a code that does not exist matches nothing.

    A sync client asking for a code it does not know simply gets no rows (200, empty page), as for any other filter
    that matches nothing; only a malformed value (empty, a non-date, a fraction) is a 400.
    """
    return filters.CharFilter(field_name=f"{field_name}__code", label=label)


class UpdatedSinceFilterSet(filters.FilterSet):
    """`updated_since`: rows changed at or after an ISO 8601 datetime (naive times are Asia/Shanghai)."""

    updated_since = SafeIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="只返回该时间（含）之后变更的数据，ISO 8601。Rows changed at or after this ISO 8601 datetime.",
    )


# --------------------------------------------------------------------------- base view


_WHOLE = re.compile(r"[-+]?[0-9]+")


class StrictFilterBackend(filters.DjangoFilterBackend):
    """django-filter, but a filter given with an empty value (`?zone=`) is a 400, not silently no filter; and a text
    filter whose value holds a NUL character (which no code has, and PostgreSQL cannot even compare) matches nothing.
    """

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None and any(
            "\x00" in value
            for name, declared in filterset.filters.items()
            if isinstance(declared, filters.CharFilter)
            for value in request.query_params.getlist(name)
        ):
            return queryset.none()
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = sorted(
                name
                for name in filterset.filters
                if name in request.query_params
                and any(not value.strip() for value in request.query_params.getlist(name))
            )
            if empty:
                message = _("筛选条件不能为空值；不按此筛选时请省略该参数。")
                raise exceptions.ValidationError({name: [message] for name in empty})
            # The number filters here are all whole numbers (years, task and programme numbers, ids): 0.5 is a 400.
            fractional = sorted(
                name
                for name, declared in filterset.filters.items()
                if isinstance(declared, filters.NumberFilter)
                and name in request.query_params
                and not all(_WHOLE.fullmatch(value.strip()) for value in request.query_params.getlist(name))
            )
            if fractional:
                message = _("应为整数。")
                raise exceptions.ValidationError({name: [message] for name in fractional})
        return filterset


class ApiViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only by default; subclasses add bulk actions and list them in `write_actions`."""

    permission_classes = [ApiAccess]
    throttle_classes = [ReadThrottle]
    filter_backends = [StrictFilterBackend]
    pagination_class = StandardPagination
    parser_classes = [BulkJSONParser]
    write_actions: tuple[str, ...] = ()


class SyncViewSet(ApiViewSet):
    """A list that clients sync incrementally: keyset-paginated by (`keyset_field`, id)."""

    pagination_class = KeysetPagination
    keyset_field = "updated_at"
