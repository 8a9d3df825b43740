"""Thin Starlette handlers for the fake Salesforce; the rules live in ``harness.salesforce.models``."""
