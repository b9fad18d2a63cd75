from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError

from portal.core.smalljobs import LIMIT_MAX, LIMIT_MIN, parse_limit
from portal.forms import PortalForm


class LimitForm(PortalForm):
    limit = StringField(_l("My own limit, in hours a month"),
                        description=_l("A whole number from 1 to 200. Leave the box empty to have no limit."))

    def validate_limit(self, field):
        hours, problem = parse_limit(field.data)
        if problem:
            raise ValidationError(_l("Enter a whole number of hours between %(min)d and %(max)d, or leave the "
                                     "box empty.", min=LIMIT_MIN, max=LIMIT_MAX))
        self.hours = hours
