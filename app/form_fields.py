"""Form fields whose numbers are real numbers: `inf`, `-inf` and `nan` are refused beside the field.

Python's float() and Decimal() accept them, and they then break what follows (a chart's JSON, a
Decimal comparison, PostgreSQL's JSON audit column).
"""
import math

from wtforms import DecimalField, FloatField


class FiniteFloatField(FloatField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not math.isfinite(self.data):
            self.data = None
            raise ValueError(self.gettext("Enter a number."))


class FiniteDecimalField(DecimalField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Enter a number."))
