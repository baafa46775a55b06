"""triage: a leg-cramp questionnaire that ends in a personal advice sheet."""

__version__ = "0.1.0"
