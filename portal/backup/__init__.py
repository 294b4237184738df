"""Encrypted backups of a whole instance (database and stored files) and their restore."""
