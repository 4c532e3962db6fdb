"""Problems found in a bundle, each naming file, line and field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class BundleError:
    """One problem (or warning) in a bundle: `file:line: field: message`."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class BundleInvalid(Exception):
    """The bundle was rejected; nothing was written. `errors` lists every problem found."""

    def __init__(self, errors: list[BundleError]) -> None:
        self.errors = errors
        lines = "\n".join(str(e) for e in errors)
        super().__init__(f"the bundle has {len(errors)} error(s):\n{lines}")


class ExportTargetError(Exception):
    """The export folder cannot be used (not empty, or not a folder)."""
