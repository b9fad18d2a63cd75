from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.forms import PortalForm, strip


class ReasonForm(PortalForm):
    reason = TextAreaField(_l("Reason"), filters=[strip],
                           description=_l("The organisation sees this in the e-mail. Write plainly and kindly."),
                           validators=[DataRequired(_l("Write a reason.")), Length(max=2000)])


class DecisionForm(PortalForm):
    """Approve or reinstate: only the CSRF token."""


class CategoryForm(PortalForm):
    name_da = StringField(_l("Name in Danish"), filters=[strip],
                          validators=[DataRequired(_l("Enter the Danish name.")), Length(max=80)])
    name_en = StringField(_l("Name in English"), filters=[strip],
                          validators=[DataRequired(_l("Enter the English name.")), Length(max=80)])
