"""Static checks that ruff and bandit do not make: no template or Python code marks user data
as safe HTML, and the dependencies with known flaws are at their fixed versions."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]

# What switches Jinja's escaping off for a value, in templates and in Python code.
TEMPLATE_UNSAFE = re.compile(r"\|\s*safe\b|\bMarkup\b|\{%-?\s*autoescape\s+false|\|\s*unescape\b")
PYTHON_UNSAFE = re.compile(r"\bMarkup\s*\(|\bmarkupsafe\b|\brender_template_string\s*\(")
# Reviewed exceptions, "path:line" → why the value is not user data. None so far: add one only
# with a reason a reviewer can check.
ALLOWED: dict[str, str] = {}
# Known flaws fixed upstream: the installed version and the declared floor must be at least.
FLOORS = {
    # Loading a CMap unpickled a file a crafted PDF could point to: code execution.
    "pdfminer.six": "20251230",
}


def unsafe_lines(text: str, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
    """(line number, line) for every line where ``pattern`` turns escaping off."""
    return [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if pattern.search(line)
    ]


@pytest.mark.parametrize(
    ("text", "pattern", "found"),
    [
        ("{{ note|safe }}", TEMPLATE_UNSAFE, True),
        ("{{ note | safe }}", TEMPLATE_UNSAFE, True),
        ("{% autoescape false %}{{ x }}{% endautoescape %}", TEMPLATE_UNSAFE, True),
        ("{{ note }} {{ safety_note }}", TEMPLATE_UNSAFE, False),
        ("return Markup(f'<b>{name}</b>')", PYTHON_UNSAFE, True),
        ("from markupsafe import Markup", PYTHON_UNSAFE, True),
        ("render_template_string(request.args['t'])", PYTHON_UNSAFE, True),
        ("escape(name)", PYTHON_UNSAFE, False),
    ],
)
def test_the_scanner_finds_what_it_looks_for(text: str, pattern, found: bool) -> None:
    assert bool(unsafe_lines(text, pattern)) is found


def test_no_template_marks_data_safe() -> None:
    findings = [
        f"{path.relative_to(ROOT)}:{number}: {line}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in unsafe_lines(path.read_text(encoding="utf-8"), TEMPLATE_UNSAFE)
        if f"{path.relative_to(ROOT)}:{number}" not in ALLOWED
    ]
    assert findings == [], "escaping switched off in templates:\n" + "\n".join(findings)


def test_no_python_code_builds_unescaped_html() -> None:
    findings = [
        f"{path.relative_to(ROOT)}:{number}: {line}"
        for package in ("portal", "clauses", "contracts")
        for path in sorted((ROOT / package).rglob("*.py"))
        for number, line in unsafe_lines(path.read_text(encoding="utf-8"), PYTHON_UNSAFE)
        if f"{path.relative_to(ROOT)}:{number}" not in ALLOWED
    ]
    assert findings == [], "unescaped HTML built in Python:\n" + "\n".join(findings)


def test_templates_are_autoescaped(tmp_path: Path) -> None:
    from portal import create_app
    from portal_testing import base_config

    app = create_app({**base_config(tmp_path), "DATABASE_URL": "sqlite://"})
    assert app.jinja_env.autoescape("errors/error.html") is True
    rendered = app.jinja_env.from_string("{{ v }}").render(v="<script>")
    assert "<script>" not in rendered


@pytest.mark.parametrize(("package", "floor"), sorted(FLOORS.items()))
def test_dependency_floors(package: str, floor: str) -> None:
    installed = Version(version(package))
    assert installed >= Version(floor), f"{package} {installed} is older than {floor}"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = [
        Requirement(item)
        for item in pyproject["project"]["dependencies"]
        if Requirement(item).name.lower() == package.lower()
    ]
    assert declared, f"{package} is not declared in pyproject.toml"
    for requirement in declared:
        lowest = [Version(spec.version) for spec in requirement.specifier if spec.operator == ">="]
        assert lowest and min(lowest) >= Version(floor), f"pyproject: {requirement} < {floor}"
