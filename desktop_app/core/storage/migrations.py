"""The workspace database's schema, one migration per version.

``MIGRATIONS[i]`` takes the database from version i to i+1 (``PRAGMA user_version``). Append new migrations;
never edit one that has shipped.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 0 -> 1: conversations and messages
    """
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        system_prompt TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        sampling_json TEXT NOT NULL DEFAULT '{}',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
        content TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'done',
        stats_json TEXT NOT NULL DEFAULT '{}',
        created_at REAL NOT NULL
    );
    CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
    CREATE INDEX conversations_by_update ON conversations(updated_at DESC);
    """,
    # 1 -> 2: summaries of documents (the Summarize pane's history)
    """
    CREATE TABLE summaries (
        id INTEGER PRIMARY KEY,
        source_name TEXT NOT NULL,
        source_path TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        settings_json TEXT NOT NULL DEFAULT '{}',
        summary TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'done',
        stats_json TEXT NOT NULL DEFAULT '{}',
        created_at REAL NOT NULL
    );
    CREATE INDEX summaries_by_date ON summaries(created_at DESC);
    """,
    # 2 -> 3: a full-text index of message text, kept in step by triggers. The trigram tokenizer
    # matches any substring of 3+ characters in any script (Chinese has no spaces between words).
    """
    CREATE VIRTUAL TABLE messages_fts USING fts5(
        content, content='messages', content_rowid='id', tokenize='trigram'
    );
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
    END;
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    END;
    CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
        INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
    END;
    INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
    """,
    # 3 -> 4: kept evaluation reports (the Evaluate pane's history); the report is its JSON, whole
    """
    CREATE TABLE evaluations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        report_json TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    CREATE INDEX evaluations_by_date ON evaluations(created_at DESC);
    """,
    # 4 -> 5: "Find in documents": the text of opened documents in passages, with where each stands
    """
    CREATE TABLE indexed_documents (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        format TEXT NOT NULL DEFAULT '',
        indexed_at REAL NOT NULL
    );
    CREATE VIRTUAL TABLE document_passages USING fts5(
        text, location UNINDEXED, start UNINDEXED, document_id UNINDEXED, tokenize='trigram'
    );
    """,
    # 5 -> 6: secrets (remote engines' API keys) kept only in an encrypted workspace; Store refuses
    # to write one to a plain file, and storage.workspace empties the table before decrypting
    """
    CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    """,
    # 6 -> 7: the same passages as words, for ranking them by BM25 (Ask offers the best to the model): porter-
    # stemmed English ("boats" finds "boat"); the documents layer writes a space around each Chinese character,
    # so a question's pairs of characters match as phrases. Rows share document_passages' rowids.
    """
    CREATE VIRTUAL TABLE document_words USING fts5(words, tokenize='porter unicode61 remove_diacritics 2');
    INSERT INTO document_words (rowid, words) SELECT rowid, text FROM document_passages;
    """,
]
SEARCH_INDEX_MIGRATION = 2  # optional: skipped where SQLite lacks FTS5 (search then scans with LIKE)
DOCUMENT_INDEX_MIGRATION = next(i for i, m in enumerate(MIGRATIONS) if "document_passages" in m)  # optional too
WORDS_INDEX_MIGRATION = next(i for i, m in enumerate(MIGRATIONS) if "document_words" in m)  # optional, as its passages
