"""GET /api/v1/schema/ is a valid OpenAPI 3 document; /api/v1/docs/ is Swagger UI from local static files."""

from io import StringIO

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command


def test_it_serves_an_openapi_3_schema_listing_every_endpoint(anon, plan):
    response = anon.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for path in (
        "/api/v1/plans/",
        "/api/v1/plans/{code}/",
        "/api/v1/zones/",
        "/api/v1/tasks/",
        "/api/v1/tasks/{number}/",
        "/api/v1/departments/",
        "/api/v1/indicators/",
        "/api/v1/targets/",
        "/api/v1/indicator-values/",
        "/api/v1/indicator-values/bulk/",
        "/api/v1/rankings/",
        "/api/v1/rankings/bulk/",
        "/api/v1/progress/",
        "/api/v1/flags/",
        "/api/v1/evaluations/",
        "/api/v1/reconciliation/",
        "/api/v1/evaluation-schemes/",
        "/api/v1/evaluation-results/",
        "/api/v1/evaluation-results/bulk/",
        "/api/v1/projects/",
        "/api/v1/projects/{code}/",
        "/api/v1/project-reports/",
        "/api/v1/project-investments/",
        "/api/v1/project-investments/bulk/",
    ):
        assert path in paths, path
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    bulk = schema["paths"]["/api/v1/indicator-values/bulk/"]["post"]
    assert {"200", "400", "401", "403", "413"} <= set(bulk["responses"])
    assert any(p["name"] == "dry_run" for p in bulk["parameters"])
    results_bulk = schema["paths"]["/api/v1/evaluation-results/bulk/"]["post"]
    assert {"200", "400", "401", "403", "413"} <= set(results_bulk["responses"])
    assert any(p["name"] == "dry_run" for p in results_bulk["parameters"])
    assert "增量同步" in schema["paths"]["/api/v1/indicator-values/"]["get"]["description"]
    assert "按页码分页" in schema["paths"]["/api/v1/zones/"]["get"]["description"]
    project_bulk = schema["paths"]["/api/v1/project-investments/bulk/"]["post"]
    assert {"200", "400", "401", "403", "413"} <= set(project_bulk["responses"])
    assert any(p["name"] == "dry_run" for p in project_bulk["parameters"])
    for path in ("/api/v1/projects/", "/api/v1/project-reports/"):
        assert {"cursor", "updated_since", "zone"} <= {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
    value_params = {p["name"] for p in schema["paths"]["/api/v1/indicator-values/"]["get"]["parameters"]}
    assert {"zone", "indicator", "period_from", "period_to", "updated_since", "cursor", "page_size"} <= value_params


def _readme_filters() -> list[tuple[str, list[str]]]:
    """(list path, filter names) as the README's API table and the projects' list state them: "`GET /api/v1/x/` |
    … filter by `a`, `b`" or "`GET /api/v1/x/` (filters `a`, `b`)" (a line naming two lists: the last one's)."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    found = []
    for line in readme.splitlines():
        match = re.search(r"(/api/v1/[-a-z/]+/)`[^`]*?(?:\| .*?)?\bfilters?( by)? ((?:`\w+`(?:, |\)| \||$))+)", line)
        if match and "GET /api/v1/" in line:
            paths = re.findall(r"(/api/v1/[-a-z/]+/)`", line.split("filter")[0])
            found.append((paths[-1], re.findall(r"`(\w+)`", match.group(3))))
    return found


def test_every_filter_the_readme_lists_is_a_query_parameter_of_its_list(anon, plan):
    # The README said evaluations filter by zone; they have no zone (one row per scheme and year), and the API ignored
    # `?zone=` and answered every evaluation.
    schema = anon.get("/api/v1/schema/?format=json").json()
    listed = _readme_filters()
    assert {path for path, _names in listed} >= {"/api/v1/indicator-values/", "/api/v1/evaluations/", "/api/v1/flags/"}
    for path, names in listed:
        parameters = {p["name"] for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}
        assert set(names) <= parameters, (path, set(names) - parameters)


def test_it_generates_the_schema_without_warnings(plan, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=StringIO())
    assert yaml.safe_load(out.read_text())["info"]["title"]


def test_it_serves_the_docs_from_sidecar_static_files_not_a_cdn(anon, plan):
    html = anon.get("/api/v1/docs/").content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "jsdelivr" not in html and "unpkg" not in html
    assert "/api/v1/schema/" in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


@pytest.mark.parametrize("path", ["/api/v1/indicator-values/bulk/", "/api/v1/rankings/bulk/"])
def test_the_documented_bulk_example_is_accepted_as_it_stands(sync, path):
    schema = sync.get("/api/v1/schema/?format=json").json()
    (example,) = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["examples"].values()
    response = sync.post(f"{path}?dry_run=true", example["value"], format="json")
    assert response.status_code == 200, response.json()


BULK_PATHS = [
    "/api/v1/indicator-values/bulk/",
    "/api/v1/rankings/bulk/",
    "/api/v1/evaluation-results/bulk/",
    "/api/v1/project-investments/bulk/",
]


def _request_body_validator(schema, path):
    """A validator of `path`'s bulk body as the schema documents it (OpenAPI 3.0's schema objects read as Draft 4:
    the same boolean exclusiveMinimum/exclusiveMaximum)."""
    import jsonschema

    body = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return jsonschema.Draft4Validator({**body, "components": schema["components"]})


@pytest.mark.parametrize("path", BULK_PATHS)
def test_the_documented_bulk_example_keeps_to_the_documented_body(anon, plan, path):
    # The rankings' example sent its score as "85.50", the form the lists give, while the schema allowed a number only.
    schema = anon.get("/api/v1/schema/?format=json").json()
    (example,) = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["examples"].values()
    errors = [error.message for error in _request_body_validator(schema, path).iter_errors(example["value"])]
    assert errors == []


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/rankings/bulk/", [{"year": 2024, "zone": "lufeng", "rank": 12, "total_zones": 66, "score": "85.50"}]),
        (
            "/api/v1/evaluation-results/bulk/",
            [
                {
                    "year": 2024,
                    "zone": "lufeng",
                    "total": "78.40",
                    "sub_scores": [{"indicator": "x", "value": "1.8", "score": "62"}],
                }
            ],
        ),
    ],
)
def test_the_decimals_of_a_bulk_row_may_be_sent_as_the_lists_give_them_as_strings(anon, plan, path, body):
    # The lists give decimals as strings ("score": "85.50"), the README's examples send them so, and the imports read
    # them: the schema says so (a generated client typed `number` only could not send a figure back as it read it).
    schema = anon.get("/api/v1/schema/?format=json").json()
    validator = _request_body_validator(schema, path)
    assert [error.message for error in validator.iter_errors(body)] == []
    assert not validator.is_valid([{**body[0], "score": True, "total": "abc"}])


def _response_schema(schema, path, status):
    import jsonschema

    documented = schema["paths"][path]["post"]["responses"][status]["content"]["application/json"]["schema"]
    name = documented["$ref"].rsplit("/", 1)[1]
    return schema["components"]["schemas"][name], jsonschema.Draft4Validator(
        {**documented, "components": schema["components"]}
    )


@pytest.mark.parametrize(
    ("status", "rows"),
    [
        (
            "200",
            [
                {
                    "zone": "lufeng",
                    "indicator": "industrial-output",
                    "period": {"cadence": "monthly", "year": 2024, "index": 3},
                    "value": "1.5",
                }
            ],
        ),
        (
            "400",
            [
                {
                    "zone": "lufeng",
                    "indicator": "industrial-output",
                    "period": {"cadence": "monthly", "year": 2024, "index": 3},
                    "value": "abc",
                }
            ],
        ),
        (
            "409",
            [
                {
                    "zone": "nowhere",
                    "indicator": "industrial-output",
                    "period": {"cadence": "monthly", "year": 2024, "index": 3},
                    "value": "1.5",
                }
            ],
        ),
    ],
)
def test_a_bulk_answer_is_documented_with_every_key_it_has(sync, status, rows):
    # A refused batch answers the whole import summary (counts, dry_run), which the schema documented as the bare
    # {detail, errors}: a client generated from it could not read the counts of a refused dry run.
    schema = sync.get("/api/v1/schema/?format=json").json()
    response = sync.post("/api/v1/indicator-values/bulk/?dry_run=true", rows, format="json")
    assert str(response.status_code) == status
    documented, validator = _response_schema(schema, "/api/v1/indicator-values/bulk/", status)
    assert [error.message for error in validator.iter_errors(response.json())] == []
    assert set(response.json()) == set(documented["properties"])


def test_an_unreadable_bulk_body_keeps_to_the_documented_400(sync):
    schema = sync.get("/api/v1/schema/?format=json").json()
    response = sync.generic("POST", "/api/v1/rankings/bulk/", "[{", content_type="application/json")
    assert response.status_code == 400
    _documented, validator = _response_schema(schema, "/api/v1/rankings/bulk/", "400")
    assert [error.message for error in validator.iter_errors(response.json())] == []


def test_the_timeliness_answer_is_documented_as_the_object_it_is(sync):
    schema = sync.get("/api/v1/schema/?format=json").json()
    ref = schema["paths"]["/api/v1/timeliness/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    documented = schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]
    assert documented["type"] == "object"
    assert set(documented["properties"]) == set(sync.get("/api/v1/timeliness/").json())


def test_every_operation_documents_its_error_answers(sync):
    schema = sync.get("/api/v1/schema/?format=json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert {"400", "401", "403", "404", "429", "503"} <= set(operation["responses"]), (method, path)


ENGLISH_WORD = r"[A-Za-z]{4,}"
ALLOWED = {"JSON", "next", "Retry", "After"}  # the format, the link to follow and the header to read


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_operation_is_described_in_the_readers_language(anon, plan, language):
    import re

    schema = anon.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE=language).json()
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) >= 40
    for path, method, operation in operations:
        description = operation["description"]
        chinese = re.findall(r"[\u4e00-\u9fff]", description)
        if language == "zh-hans":  # Chinese, none of the views' English docstrings
            assert chinese and not set(re.findall(ENGLISH_WORD, description)) - ALLOWED, (path, method, description)
        else:
            assert description and not chinese, (path, method, description)


def test_the_api_root_lists_every_list_endpoint_and_the_timeliness_schema_and_docs(client, olga, plan):
    """A client starting at /api/v1/ finds every collection the schema has, and the views outside the router; each
    link it gives answers."""
    client.force_login(olga)
    root = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert root.status_code == 200
    links = root.json()
    schema_paths = set(client.get("/api/v1/schema/?format=json").json()["paths"])
    collections = {
        path.removeprefix("/api/v1/").rstrip("/")
        for path in schema_paths
        if "{" not in path and not path.endswith(("/bulk/", "/summary/")) and path.count("/") >= 4
    }
    assert collections <= set(links), collections - set(links)
    assert {"timeliness", "schema", "docs"} <= set(links)
    for name, url in links.items():
        assert client.get(url).status_code == 200, name
