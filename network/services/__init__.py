"""Writes of the network. Import from here: `from network.services import entrepreneur_ensure`."""

from .entrepreneurs import (
    PHOTO_MAX_BYTES,
    entrepreneur_deactivate,
    entrepreneur_ensure,
    entrepreneur_reactivate,
    entrepreneur_update,
    photo_validate,
)
from .geography import (
    country_create,
    country_update,
    metro_create,
    metro_update,
    region_create,
    region_update,
    require_organization_admin,
    sector_create,
    sector_delete,
    sector_reactivate,
    sector_retire,
    sector_update,
)
from .imports import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    REQUIRED_COLUMNS,
    import_job_create,
    import_job_run,
    invitation_link,
)

__all__ = [
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "PHOTO_MAX_BYTES",
    "REQUIRED_COLUMNS",
    "country_create",
    "country_update",
    "entrepreneur_deactivate",
    "entrepreneur_ensure",
    "entrepreneur_reactivate",
    "entrepreneur_update",
    "import_job_create",
    "import_job_run",
    "invitation_link",
    "metro_create",
    "metro_update",
    "photo_validate",
    "region_create",
    "region_update",
    "require_organization_admin",
    "sector_create",
    "sector_delete",
    "sector_reactivate",
    "sector_retire",
    "sector_update",
]
