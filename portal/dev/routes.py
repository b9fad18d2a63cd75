import io

from flask import abort, render_template, send_file
from sqlalchemy import select

from portal.dev import bp
from portal.extensions import db
from portal.mail import attachment_content_type, attachment_filename
from portal.models import OutboxMessage
from portal.web import loaders


@bp.get("/mail")
def mail_index():
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(100)).all()
    return render_template("dev/mail_index.html", messages=messages)


@bp.get("/mail/<int:message_id>")
def mail_show(message_id):
    return render_template("dev/mail_show.html", message=loaders.get_or_404(OutboxMessage, message_id))


@bp.get("/mail/<int:message_id>/attachment")
def mail_attachment(message_id):
    """The file as the recipient gets it (the confirmation's .ics), always as a download."""
    message = loaders.get_or_404(OutboxMessage, message_id)
    if message.attachment is None:
        abort(404)
    return send_file(io.BytesIO(message.attachment), mimetype=attachment_content_type(message.attachment_type),
                     as_attachment=True, download_name=attachment_filename(message.attachment_name),
                     max_age=0)
