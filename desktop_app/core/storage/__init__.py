"""The workspace database: the store and its migrations, encryption (workspace, keys, keychain) and salvage."""
