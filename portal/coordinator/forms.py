from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from portal.forms import strip


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), filters=[strip],
                           description=_l("The organisation sees this in the e-mail. Write plainly and kindly."),
                           validators=[DataRequired(_l("Write a reason.")), Length(max=2000)])


class DecisionForm(FlaskForm):
    """Approve or reinstate: only the CSRF token."""
