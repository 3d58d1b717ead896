"""zhibu: compliance-as-code for grassroots Party-branch records."""

__version__ = "0.1.0"
