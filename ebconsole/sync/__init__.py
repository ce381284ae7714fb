"""Replication: the change log, convergent apply, USB bundles and the PostgreSQL hub.

Importing the package registers the change recorder (after the audit recorder).
"""

from ebconsole.sync import recorder  # noqa: F401  (registers the flush hook)
