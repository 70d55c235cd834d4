"""Background work of the network."""

from core.tasks import organization_task

from .services.imports import import_job_run


@organization_task(name="network.tasks.import_entrepreneurs", ignore_result=True)
def import_entrepreneurs(job_id: int) -> None:
    """Import one stored CSV file (see network.services.imports)."""
    import_job_run(job_id=job_id)
