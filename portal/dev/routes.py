from flask import abort, render_template
from sqlalchemy import select

from portal.dev import bp
from portal.extensions import db
from portal.models import OutboxMessage


@bp.get("/mail")
def mail_index():
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(100)).all()
    return render_template("dev/mail_index.html", messages=messages)


@bp.get("/mail/<int:message_id>")
def mail_show(message_id):
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return render_template("dev/mail_show.html", message=message)
