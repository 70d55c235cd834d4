"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po → .mo) in pure Python, so a
fresh machine needs no GNU gettext. Run by `make setup`; only stale catalogues are rebuilt."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    compiled = 0
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled += 1
    if compiled:
        print(f"compiled {compiled} translation catalogue(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
