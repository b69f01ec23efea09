"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json and checked by schemathesis."""

from app.models.projects import MENU_CATEGORIES

MAX_ID = 2147483647  # PostgreSQL's integer: path ids above it are answered 404, never sent to the database

_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_LINK = {"type": "object", "properties": {"href": _STR}, "required": ["href"]}
_LINKS = {"type": "object", "properties": {"self": _LINK}, "required": ["self"], "additionalProperties": True}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _object(props, required=None):
    return {"type": "object", "properties": props, "required": required or list(props)}


SCHEMAS = {
    "Error": _object({"osdi:error": _object({
        "request_type": {"enum": ["atomic", "non-atomic"]},
        "response_code": {"type": "integer"},
        "resource_status": {"type": "array", "items": _object({
            "resource": _STR, "response_code": {"type": "integer"},
            "error_descriptions": {"type": "array", "items": {
                "type": "object", "required": ["error_code", "description"],
                "properties": {"error_code": _STR, "description": _STR,
                               "properties": {"type": "array", "items": _STR}}}},
        })},
    })}),
    "Person": _object({
        "id": _STR, "identifiers": {"type": "array", "items": _STR}, "created_date": _NSTR,
        "modified_date": _NSTR, "given_name": _STR, "family_name": _STR,
        "email_addresses": {"type": "array", "items": _object({"address": _STR, "primary": {"type": "boolean"}})},
        "postal_addresses": {"type": "array", "items": {"type": "object"}}, "_links": _LINKS,
    }),
    "Tag": _object({"id": _STR, "identifiers": {"type": "array", "items": _STR}, "name": _STR,
                    "created_date": _NSTR, "modified_date": _NSTR, "_links": _LINKS}),
    "Tagging": _object({"id": _STR, "identifiers": {"type": "array", "items": _STR},
                        "item_type": {"const": "osdi:person"}, "_links": _LINKS}),
    "Project": _object({
        "id": _STR, "identifiers": {"type": "array", "items": _STR}, "title": _STR, "summary": _STR,
        "status": _STR, "campaign_id": _STR, "hours_per_week": {"type": "integer"}, "weeks": {"type": "integer"},
        "team_min": {"type": "integer"}, "team_max": {"type": "integer"}, "start_date": _NSTR,
        "end_date": _NSTR, "created_date": _NSTR, "_links": _LINKS,
    }),
    "Sprint": _object({"id": _STR, "number": {"type": "integer"}, "starts_on": _NSTR, "ends_on": _NSTR,
                       "due_on": _NSTR, "_links": _LINKS}),
    "CheckIn": _object({"id": _STR, "sprint": {"type": ["integer", "null"]}, "status": _STR, "done": _STR,
                        "next_steps": _STR, "blockers": _STR, "on_time": {"type": "boolean"},
                        "submitted_date": _NSTR, "_links": _LINKS}),
    "HelpRequest": _object({
        "id": _STR, "campaign_id": _STR, "goals": _STR, "categories": {"type": "array", "items": _STR},
        "timing": _STR, "constraints": _STR, "status": _STR, "desired_start": _NSTR, "created_date": _NSTR,
        "_links": _LINKS,
    }),
    "PersonSignup": {
        "type": "object", "required": ["person"],
        "properties": {
            "person": {"type": "object", "required": ["email_addresses"], "properties": {
                "given_name": {"type": "string", "maxLength": 60},
                "family_name": {"type": "string", "maxLength": 60},
                "email_addresses": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["address"],
                    "properties": {"address": {"type": "string", "format": "email", "maxLength": 254},
                                   "primary": {"type": "boolean"}}}},
            }},
            "add_tags": {"type": "array", "items": _STR},
        },
    },
    # What JSON Schema can say; the rest is the form's rules (a start date not in the past, a goal
    # that is more than blanks), answered 400 with every broken rule named.
    "HelpRequestNew": {
        "type": "object", "required": ["goals", "categories"],
        "properties": {
            "goals": {"type": "string", "minLength": 1, "maxLength": 4000, "pattern": "\\S"},
            "timing": {"type": "string", "maxLength": 2000},
            "constraints": {"type": "string", "maxLength": 2000},
            "categories": {"type": "array", "minItems": 1, "items": {"enum": list(MENU_CATEGORIES)},
                           "description": "kinds of help from the menu"},
            "desired_start": {"type": "string", "format": "date", "description": "not in the past"},
        },
    },
    "SignupAccepted": _object({"status": {"const": "confirmation_sent"}, "email_address": _STR, "_links": _LINKS}),
}


def _collection(rel, item):
    return _object({
        "total_pages": {"type": "integer"}, "per_page": {"type": "integer"}, "page": {"type": "integer"},
        "total_records": {"type": "integer"},
        "_links": {"type": "object", "required": ["self"], "properties": {
            "self": _LINK, "next": _LINK, "prev": _LINK, rel: {"type": "array", "items": _LINK}}},
        "_embedded": _object({rel: {"type": "array", "items": _ref(item)}}),
    })


def _hal(schema):
    return {"application/hal+json": {"schema": schema}}


def _errors(*codes):
    text = {400: "Invalid input", 401: "No valid API key", 403: "The key may not do this", 404: "Not found",
            429: "Rate limited"}
    return {str(c): {"description": text[c], "content": _hal(_ref("Error"))} for c in codes}


_PAGING = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 999999999}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
]


def _id(name, kind="integer"):
    schema = {"type": "integer", "minimum": 0, "maximum": MAX_ID} if kind == "integer" else {"type": "string"}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _list(summary, rel, item, *path_params):
    return {"get": {"summary": summary, "parameters": [*path_params, *_PAGING],
                    "responses": {"200": {"description": "A page", "content": _hal(_collection(rel, item))},
                                  **_errors(400, 401, 404, 429)}}}


def _one(summary, item, *path_params):
    return {"get": {"summary": summary, "parameters": list(path_params),
                    "responses": {"200": {"description": "Found", "content": _hal(_ref(item))},
                                  **_errors(401, 404, 429)}}}


def spec():
    person_id, project_id, tag_id = _id("person_id"), _id("project_id"), _id("tag_id", "string")
    return {
        "openapi": "3.1.0",
        "info": {"title": "Barnstorm API", "version": "1.0.0",
                 "description": "OSDI 1.1 (HAL+JSON) people, tags, taggings and person signup helper, plus "
                                "Barnstorm's projects, sprints, check-ins and help requests. Every call reads "
                                "only the calling key's organisation; people are those who consented."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"osdiToken": []}],
        "components": {
            "securitySchemes": {"osdiToken": {"type": "apiKey", "in": "header", "name": "OSDI-API-Token"}},
            "schemas": SCHEMAS,
        },
        "paths": {
            "/people": _list("Consented people", "osdi:people", "Person"),
            "/people/{person_id}": _one("One consented person", "Person", person_id),
            "/people/{person_id}/taggings": _list("A person's taggings", "osdi:taggings", "Tagging", person_id),
            "/people/person_signup_helper": {"post": {
                "summary": "Refer a volunteer: they are emailed a link; nothing is stored until they confirm",
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("PersonSignup")}}},
                "responses": {"202": {"description": "Confirmation email queued",
                                      "content": _hal(_ref("SignupAccepted"))},
                              **_errors(400, 401, 403, 429)}}},
            "/tags": _list("Tags: skills, causes and project teams", "osdi:tags", "Tag"),
            "/tags/{tag_id}": _one("One tag", "Tag", tag_id),
            "/tags/{tag_id}/taggings": _list("Who carries a tag", "osdi:taggings", "Tagging", tag_id),
            "/tags/{tag_id}/taggings/{tagging_id}": _one("One tagging", "Tagging", tag_id,
                                                         _id("tagging_id", "string")),
            "/projects": _list("Projects", "barnstorm:projects", "Project"),
            "/projects/{project_id}": _one("One project", "Project", project_id),
            "/projects/{project_id}/sprints": _list("A project's sprints", "barnstorm:sprints", "Sprint", project_id),
            "/projects/{project_id}/check_ins": _list("A project's check-ins", "barnstorm:check_ins", "CheckIn",
                                                      project_id),
            "/help_requests": {**_list("Help requests", "barnstorm:help_requests", "HelpRequest"), "post": {
                "summary": "Ask for help (a campaign's read-write key): the same rules as the form",
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": _ref("HelpRequestNew")}}},
                "responses": {"201": {"description": "Recorded; staff and the campaign are told",
                                      "content": _hal(_ref("HelpRequest"))},
                              **_errors(400, 401, 403, 429)}}},
            "/help_requests/{request_id}": _one("One help request", "HelpRequest", _id("request_id")),
        },
    }
