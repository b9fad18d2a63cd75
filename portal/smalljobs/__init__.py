"""Small jobs (småjob) and a volunteer's private monthly hours counter (issue 13)."""

from flask import Blueprint

bp = Blueprint("smalljobs", __name__)


@bp.app_template_global()
def small_job_counter(task):
    """The logged-in person's own counter on a small job's page; None for everyone and everything else,
    without a query (the task page's statement count stays the same for them)."""
    from flask_login import current_user

    if not getattr(task, "is_small_job", False) or not current_user.is_authenticated:
        return None
    from portal.models import utcnow
    from portal.smalljobs.services import counter

    return counter(current_user, now=utcnow())


from portal.smalljobs import routes  # noqa: E402,F401
