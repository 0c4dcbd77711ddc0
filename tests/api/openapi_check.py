"""Checks of the OpenAPI document for tests/api/openapi.rs.

    python openapi_check.py document DOC.json            the document is valid OpenAPI 3.1 and
                                                         every example matches its schema
    python openapi_check.py responses DOC.json REPLIES   each reply (a JSON list of {method,
                                                         path, status, content_type, body})
                                                         matches the schema documented for it

Prints how many things were checked; exits non-zero naming each mismatch.
"""

import json
import sys

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "urn:nansen:openapi"


def pointer(parts):
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def checker(doc):
    registry = Registry().with_resource(BASE, Resource.from_contents(doc, default_specification=DRAFT202012))

    def check(parts, value):
        schema = {"$ref": BASE + pointer(parts)}
        validator = Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
        return [f"{pointer(parts)}: {e.message}" for e in validator.iter_errors(value)]

    return check


def examples(doc):
    """Every (schema pointer, example) in the document."""
    found = []

    def walk(node, parts):
        if isinstance(node, dict):
            if "schema" in node and "example" in node:
                found.append((parts + ["schema"], node["example"]))
            if "schema" in node and isinstance(node.get("examples"), dict):
                for example in node["examples"].values():
                    if "value" in example:
                        found.append((parts + ["schema"], example["value"]))
            is_schema = "schema" not in node and ("type" in node or "$ref" in node or "oneOf" in node or "allOf" in node)
            if is_schema and isinstance(node.get("examples"), list):
                found.extend((parts, example) for example in node["examples"])
            if is_schema and "example" in node:
                found.append((parts, node["example"]))
            for key, value in node.items():
                walk(value, parts + [key])
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, parts + [i])

    walk(doc, [])
    return found


def check_document(doc):
    try:
        validate(doc)
    except Exception as error:  # the validator's own errors quote the whole document
        return 0, [f"not valid OpenAPI 3.1: {str(error)[:1000]}"]
    check = checker(doc)
    found = examples(doc)
    errors = [error for parts, example in found for error in check(parts, example)]
    return len(found), errors


def check_responses(doc, replies):
    check = checker(doc)
    errors = []
    for reply in replies:
        method, path, status = reply["method"].lower(), reply["path"], str(reply["status"])
        where = f"{reply['method']} {path} → {status}"
        documented = find_path(doc, path)
        if documented is None:
            errors.append(f"{where}: no documented path")
            continue
        responses = doc["paths"][documented].get(method, {}).get("responses", {})
        if status not in responses:
            errors.append(f"{where}: status not documented ({sorted(responses)})")
            continue
        content = responses[status].get("content", {})
        media = reply["content_type"].split(";")[0].strip() if reply["content_type"] else None
        if not content:
            if reply["body"]:
                errors.append(f"{where}: a body where none is documented")
            continue
        if media not in content:
            errors.append(f"{where}: content type {media} not documented ({sorted(content)})")
            continue
        if media.endswith("json"):
            parts = ["paths", documented, method, "responses", status, "content", media, "schema"]
            errors.extend(f"{where}: {e}" for e in check(parts, json.loads(reply["body"])))
    return len(replies), errors


def find_path(doc, path):
    """The documented path template that `path` (without its query) matches."""
    path = path.split("?")[0].rstrip("/") or "/"
    if path in doc["paths"]:
        return path
    for template in doc["paths"]:
        a, b = template.split("/"), path.split("/")
        if len(a) == len(b) and all(t == p or (t.startswith("{") and t.endswith("}")) for t, p in zip(a, b)):
            if all(t == p for t, p in zip(a, b) if not t.startswith("{")):
                return template
    return None


def main():
    mode, doc_file = sys.argv[1], sys.argv[2]
    with open(doc_file, encoding="utf-8") as f:
        doc = json.load(f)
    if mode == "document":
        count, errors = check_document(doc)
    else:
        with open(sys.argv[3], encoding="utf-8") as f:
            count, errors = check_responses(doc, json.load(f))
    print(json.dumps({"checked": count, "errors": errors}))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
