"""Outbound e-mail and SMS: send one message, say precisely what happened.

The package keeps no state. Callers (survey invitations, case notifications) record the
outcome themselves and decide about retries from the exception type; see outcomes.py.
"""
