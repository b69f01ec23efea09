"""HAL+JSON helpers: OSDI collections with paging, and OSDI error bodies."""
import math

from flask import jsonify, request, url_for

HAL = "application/hal+json"
CURIES = [{"name": "osdi", "href": "http://opensupporter.github.io/osdi-docs/{rel}", "templated": True},
          {"name": "barnstorm", "href": "/api/v1/docs/{rel}", "templated": True}]
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25


class ApiError(Exception):
    """An OSDI error answer: status, a machine code, a description and the properties concerned."""

    def __init__(self, status, code, description, properties=(), resource=None):
        super().__init__(description)
        self.status, self.code, self.description = status, code, description
        self.properties, self.resource = list(properties), resource


def error_body(status, code, description, properties=(), resource=None):
    """OSDI's osdi:error object for an atomic request."""
    detail = {"error_code": code, "description": description}
    if properties:
        detail["properties"] = list(properties)
    return {"osdi:error": {
        "request_type": "atomic", "response_code": status,
        "resource_status": [{"resource": resource or "osdi:request", "response_code": status,
                             "error_descriptions": [detail]}],
    }}


def hal_response(body, status=200, headers=None):
    resp = jsonify(body)
    resp.status_code = status
    resp.mimetype = HAL
    resp.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def _positive_int(name, default, ceiling=None):
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        raise ApiError(400, "INVALID_PAGING", f"{name} must be a whole number from 1.", [name])
    value = int(raw)
    return min(value, ceiling) if ceiling else value


def paging():
    """(page, per_page) from the query string; bad values are a 400, per_page is capped at 100."""
    return _positive_int("page", 1), _positive_int("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)


def collection(rel, items, total, page, per_page, endpoint, **values):
    """An OSDI collection: paging counters, links (self, next, prev, one per item) and the embedded items."""
    total_pages = max(1, math.ceil(total / per_page)) if total else 0
    links = {"self": {"href": url_for(endpoint, page=page, per_page=per_page, **values)}, "curies": CURIES,
             rel: [{"href": item["_links"]["self"]["href"]} for item in items]}
    if page < total_pages:
        links["next"] = {"href": url_for(endpoint, page=page + 1, per_page=per_page, **values)}
    if page > 1:
        links["prev"] = {"href": url_for(endpoint, page=page - 1, per_page=per_page, **values)}
    return {"total_pages": total_pages, "per_page": per_page, "page": page, "total_records": total,
            "_links": links, "_embedded": {rel: items}}
