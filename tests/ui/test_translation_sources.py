"""Every text the interface translates is in the Chinese translation, translated.

lupdate reads ``self.tr("…")`` and ``QCoreApplication.translate("Context", "…")`` calls with literal
texts — but not one inside an f-string's braces, nor a text handed through a helper function — and
such a text then shows in English on a Chinese screen. This test reads the sources as Python does
and names each call whose text the .ts file does not hold, and each text still untranslated
(``update_translations.py check``, plural forms included).
"""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
TS = TRANSLATIONS / "integrity_desk_zh_CN.ts"

# Functions that look up a text computed elsewhere on purpose, the texts marked where they are made.
DYNAMIC = {("desktop_app/ui/home.py", "todo_text")}


def literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def translate_calls(path: Path) -> Iterator[tuple[int, str | None, str | None, str | None]]:
    """(line, context, text, enclosing function) of each tr/translate call; None where not literal."""

    def walk(
        node: ast.AST, cls: str | None, func: str | None
    ) -> Iterator[tuple[int, str | None, str | None, str | None]]:
        for child in ast.iter_child_nodes(node):
            inner_cls, inner_func = cls, func
            if isinstance(child, ast.ClassDef):
                inner_cls = child.name
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner_func = child.name
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
                name, args = child.func.attr, child.args
                if name == "tr" and args:
                    yield child.lineno, cls, literal(args[0]), func
                elif name == "translate" and len(args) >= 2:
                    yield child.lineno, literal(args[0]), literal(args[1]), func
            yield from walk(child, inner_cls, inner_func)

    yield from walk(ast.parse(path.read_text(encoding="utf-8")), None, None)


def test_every_translated_text_of_the_interface_is_in_the_translation() -> None:
    known = {
        (context.findtext("name"), message.findtext("source"))
        for context in ET.parse(TS).getroot().iter("context")
        for message in context.iter("message")
    }
    files = [ROOT / "desktop_app" / "app.py", *sorted((ROOT / "desktop_app" / "ui").rglob("*.py"))]
    missing = []
    for path in files:
        relative = path.relative_to(ROOT).as_posix()
        for line, context, text, func in translate_calls(path):
            if context is None or text is None:
                if (relative, func) not in DYNAMIC:
                    missing.append(f"{relative}:{line}: not a literal text (lupdate cannot read it)")
            elif (context, text) not in known:
                missing.append(f"{relative}:{line}: {context}: {text!r} not in {TS.name}")
    assert missing == [], "\n".join(missing)


def test_nothing_is_left_untranslated() -> None:
    sys.path.insert(0, str(TRANSLATIONS))
    try:
        import update_translations
    finally:
        sys.path.remove(str(TRANSLATIONS))
    assert update_translations.unfinished(TS) == []
