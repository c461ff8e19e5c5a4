"""Every string renders in Home Assistant's frontend, with what the code gives it.

The frontend formats translations with intl-messageformat (ICU messages): a
literal `<word>` is read as a tag, a `{name}` the code does not fill is an
error; either shows "Translation error" instead of the text. Each string of
strings.json and translations/*.json is compiled and formatted by that same
library under node, with the placeholders the integration's code passes for
it (read from the code: `description_placeholders` of the flow step that
shows it, `translation_placeholders` of the issues and exceptions).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
import json
from pathlib import Path
from typing import Any

import pytest

from .frontend_tools import REPOSITORY, run_node

COMPONENT = REPOSITORY / "custom_components" / "ev_load_balancer"
FILES = [
    COMPONENT / "strings.json",
    *sorted((COMPONENT / "translations").glob("*.json")),
]
PLACEHOLDER_KEYWORDS = {"description_placeholders", "translation_placeholders"}


def _leaves(
    tree: Any, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(tree, str):
        yield path, tree


@dataclass
class CodePlaceholders:
    """Which placeholders the integration's code passes, read from its source."""

    by_step: dict[str, set[str]]  # flow step id -> description_placeholders keys
    flows: set[str]  # every description_placeholders key (errors, aborts)
    issues: set[str]  # every key a module that raises issues passes
    exceptions: set[str]

    @classmethod
    def read(cls, package: Path) -> CodePlaceholders:
        trees = {path: ast.parse(path.read_text()) for path in package.rglob("*.py")}
        returns = _returned_keys(trees.values())
        constants = _string_constants(trees.values())
        found = cls(by_step={}, flows=set(), issues=set(), exceptions=set())
        for tree in trees.values():
            module_keys: set[str] = set()
            raises_issues = raises_exceptions = False
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                keywords = {k.arg: k.value for k in node.keywords if k.arg}
                for name in PLACEHOLDER_KEYWORDS & set(keywords):
                    keys = _keys(keywords[name], returns)
                    module_keys |= keys
                    if name == "description_placeholders":
                        found.flows |= keys
                        step = _text(keywords.get("step_id"), constants)
                        if step is not None:
                            found.by_step.setdefault(step, set()).update(keys)
                    elif _called(node).endswith("issue"):
                        raises_issues = True
                    else:
                        raises_exceptions = True
            # Placeholders handed through a helper: the dicts the module builds.
            module_keys |= _dict_keys_named_placeholders(tree)
            if raises_issues:
                found.issues |= module_keys
            if raises_exceptions:
                found.exceptions |= module_keys
        return found

    def for_string(self, path: tuple[str, ...]) -> set[str] | None:
        """The placeholders a string gets; None where no code shows it with any."""
        section = path[0]
        if section == "issues":
            return self.issues
        if section == "exceptions":
            return self.exceptions
        if section in ("config", "options", "config_subentries"):
            if "step" in path:
                step = path[path.index("step") + 1]
                # A step's errors and aborts are shown with its placeholders too.
                return self.by_step.get(step, set())
            return self.flows
        return set()


def _string_constants(trees: Any) -> dict[str, str]:
    """Module-level NAME = "text" of every module (step ids, issue keys)."""
    constants: dict[str, str] = {}
    for tree in trees:
        for node in tree.body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                targets = (
                    node.targets if isinstance(node, ast.Assign) else [node.target]
                )
                for target in targets:
                    if isinstance(target, ast.Name):
                        constants[target.id] = value.value
    return constants


def _text(value: ast.expr | None, constants: dict[str, str]) -> str | None:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    if isinstance(value, ast.Name):
        return constants.get(value.id)
    return None


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _keys(value: ast.expr, returns: dict[str, set[str]]) -> set[str]:
    if isinstance(value, ast.Dict):
        keys = {str(k.value) for k in value.keys if isinstance(k, ast.Constant)}
        for key, item in zip(value.keys, value.values, strict=True):
            if key is None:  # {**other, ...}
                keys |= _keys(item, returns)
        return keys
    if isinstance(value, ast.Call):
        return returns.get(_called(value), set())
    return set()


def _returned_keys(trees: Any) -> dict[str, set[str]]:
    """Function name -> keys of the dict literals it returns."""
    returned: dict[str, set[str]] = {}
    for tree in trees:
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(function):
                    if isinstance(node, ast.Return) and isinstance(
                        node.value, ast.Dict
                    ):
                        returned.setdefault(function.name, set()).update(
                            _keys(node.value, {})
                        )
    return returned


def _dict_keys_named_placeholders(tree: ast.Module) -> set[str]:
    """Keys of dicts bound to a name with 'placeholders' in it, or passed to a
    function parameter of that name (alerts.py's _issue(..., placeholders))."""
    keys: set[str] = set()
    helpers: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            names = [a.arg for a in node.args.args]
            for index, name in enumerate(names):
                if "placeholders" in name:
                    helpers[node.name] = index - (1 if names[0] == "self" else 0)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if node.value is not None and any(
                "placeholders" in getattr(t, "id", "") for t in targets
            ):
                keys |= _keys(node.value, {})
            if isinstance(node.value, ast.DictComp) and isinstance(
                node.value.value, ast.Dict
            ):
                keys |= _keys(node.value.value, {})
        if isinstance(node, ast.Call) and _called(node) in helpers:
            index = helpers[_called(node)]
            if index < len(node.args):
                keys |= _keys(node.args[index], {})
    return keys


CODE = CodePlaceholders.read(COMPONENT)


def _messages() -> list[dict[str, Any]]:
    messages = []
    for file in FILES:
        locale = "en" if file.name == "strings.json" else file.stem
        for path, message in _leaves(json.loads(file.read_text(encoding="utf-8"))):
            given = CODE.for_string(path)
            messages.append(
                {
                    "id": f"{file.relative_to(COMPONENT)}: {'.'.join(path)}",
                    "locale": locale,
                    "message": message,
                    "values": {name: f"[{name}]" for name in given or ()},
                }
            )
    return messages


@pytest.fixture(scope="module")
def formatted() -> list[dict[str, Any]]:
    answers: list[dict[str, Any]] = run_node(
        "check-messages.mjs", _messages(), "intl-messageformat"
    )
    return answers


def test_the_frontend_formats_every_string(formatted: list[dict[str, Any]]) -> None:
    failures = [f"{a['id']}: {a['error']}" for a in formatted if a["error"]]
    assert not failures, "\n".join(failures)


def test_every_placeholder_is_filled_by_the_code(
    formatted: list[dict[str, Any]],
) -> None:
    given = {m["id"]: set(m["values"]) for m in _messages()}
    unfilled = [
        f"{a['id']}: {sorted(set(a['arguments']) - given[a['id']])}"
        for a in formatted
        if set(a["arguments"]) - given[a["id"]]
    ]
    assert not unfilled, "\n".join(unfilled)


def test_the_check_reads_the_code() -> None:
    """The placeholders found in the code are those the flows really pass."""
    assert CODE.by_step["user"] >= {"url", "waiting"}  # ocpp_flow.py
    assert CODE.by_step["modbus_confirm"] >= {"meter", "current", "energy"}
    assert {"detail"} <= CODE.flows
    assert {"site", "charger", "error", "charger_id", "details"} <= CODE.issues
    assert {"charger", "site", "hours"} <= CODE.exceptions


def test_the_check_catches_what_the_frontend_refuses() -> None:
    answers = run_node(
        "check-messages.mjs",
        [
            {"id": "tag", "locale": "en", "message": "at {url}/<id>", "values": None},
            {"id": "two", "locale": "en", "message": "at <a b>", "values": None},
            {"id": "missing", "locale": "sv", "message": "{a} {b}", "values": {"a": 1}},
            {
                "id": "fine",
                "locale": "sv",
                "message": "laddarens {a}",
                "values": {"a": 1},
            },
        ],
        "intl-messageformat",
    )
    errors = {a["id"]: a["error"] for a in answers}
    assert errors["tag"] == "Translation error: UNCLOSED_TAG"
    assert '"b" was not provided' in errors["missing"]
    assert errors["two"] == "Translation error: INVALID_TAG"
    assert errors["fine"] is None
