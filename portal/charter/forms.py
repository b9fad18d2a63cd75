from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.forms import PortalForm, strip


class AcceptForm(PortalForm):
    # The version the person read: if a newer one is published meanwhile, they read that first.
    version = HiddenField()
    next = HiddenField()
    accept = BooleanField(_l("I have read and accept the volunteer charter"),
                          validators=[DataRequired(_l("Tick the box to accept the volunteer charter."))])


class PublishForm(PortalForm):
    body_da = TextAreaField(_l("The charter in Danish"), filters=[strip],
                            description=_l("Short points in plain language. A blank line starts a new paragraph."),
                            validators=[DataRequired(_l("Write the charter in Danish.")), Length(min=20, max=20000)])
    body_en = TextAreaField(_l("The charter in English"), filters=[strip],
                            description=_l("The same points in English, for volunteers who read English."),
                            validators=[DataRequired(_l("Write the charter in English.")), Length(min=20, max=20000)])
