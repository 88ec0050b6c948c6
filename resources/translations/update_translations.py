"""Developer tool for the Qt Linguist translations (source strings are English, zh_CN is the default).

    python resources/translations/update_translations.py update          # lupdate + lrelease
    python resources/translations/update_translations.py fill FILE.json  # {context: {source: text}}
    python resources/translations/update_translations.py check           # exit 1 if anything untranslated

``fill`` is for filling many strings at once; Qt Linguist edits the .ts files just as well.
Run ``update`` after changing any user-visible string; the .qm files are committed and shipped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LANGUAGES = {"zh_CN": "integrity_desk_zh_CN.ts"}


def sources() -> list[str]:
    # Besides the UI: the services' 待办 titles (services/**/todo.py, marked with QT_TRANSLATE_NOOP).
    files = [
        ROOT / "desktop_app" / "app.py",
        *sorted((ROOT / "desktop_app" / "ui").rglob("*.py")),
        *sorted((ROOT / "desktop_app" / "services").rglob("todo.py")),
    ]
    return [str(f) for f in files if f.is_file()]


def tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}") or str(Path(sys.executable).parent / f"pyside6-{name}")
    return found


def update() -> None:
    for lang, ts in LANGUAGES.items():
        subprocess.run(
            [
                tool("lupdate"),
                "-no-obsolete",
                "-locations",
                "none",
                "-target-language",
                lang,
                *sources(),
                "-ts",
                str(HERE / ts),
            ],
            check=True,
        )
    release()


def release() -> None:
    for ts in LANGUAGES.values():
        subprocess.run([tool("lrelease"), "-silent", str(HERE / ts)], check=True)


def unfinished(ts: Path) -> list[tuple[str, str]]:
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") == "unfinished":
                missing.append((name, message.findtext("source") or ""))
                continue
            # A plural (%n) message has one <numerusform> per plural form of the language.
            texts = [f.text for f in translation.findall("numerusform")] or [translation.text]
            if any(not (text or "").strip() for text in texts):
                missing.append((name, message.findtext("source") or ""))
    return missing


def fill(path: Path) -> None:
    table: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    for ts in LANGUAGES.values():
        tree = ET.parse(HERE / ts)
        for context in tree.getroot().iter("context"):
            wanted = table.get(context.findtext("name") or "", {})
            for message in context.iter("message"):
                source = message.findtext("source") or ""
                if source in wanted:
                    translation = message.find("translation")
                    if translation is None:
                        translation = ET.SubElement(message, "translation")
                    forms = translation.findall("numerusform")
                    if forms:  # Chinese has one plural form: the same text for every count
                        for form in forms:
                            form.text = wanted[source]
                    else:
                        translation.text = wanted[source]
                    translation.attrib.pop("type", None)
        tree.write(HERE / ts, encoding="utf-8", xml_declaration=True)
    release()


def check() -> int:
    status = 0
    for ts in LANGUAGES.values():
        for context, source in unfinished(HERE / ts):
            print(f"{ts}: untranslated in {context}: {source!r}")
            status = 1
    return status


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "update":
        update()
        sys.exit(check())
    if command == "fill":
        fill(Path(sys.argv[2]))
        sys.exit(check())
    if command == "check":
        sys.exit(check())
    print(__doc__)
    sys.exit(2)
