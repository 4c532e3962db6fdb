"""External ids ("refs"): every record keeps the id it has in a bundle.

Records created inside Salescope get a fresh ref with a short kind prefix so
that exports, reports and the API can always name them.
"""

import uuid


def new_ref(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"
