from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email

from portal.auth.forms import EMAIL_MSG
from portal.forms import PortalForm, strip
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)


class ClearanceForm(PortalForm):
    email = EmailField(_l("The volunteer's e-mail address"), filters=[strip],
                       validators=[DataRequired(_l("Enter an e-mail address.")), Email(EMAIL_MSG)])
    approved = RadioField(_l("Result"), default="yes",
                          choices=[SelectChoice("yes", _l("We have seen a clean børneattest")),
                                   SelectChoice("no", _l("Not approved"))],
                          validators=[DataRequired()])
    checked_on = DateField(_l("Checked on"), validators=[DataRequired(_l("Enter the date it was checked."))])
