"""The `salescope` console script: a thin front over Django management commands."""

from __future__ import annotations

import os
import sys

# CLI verbs whose command module has another name (e.g. `import` is a Python keyword).
ALIASES = {
    "import": "import_bundle",
    "export": "export_bundle",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salescope.config.settings")
    from django.core.management import execute_from_command_line

    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    argv[0] = "salescope"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
