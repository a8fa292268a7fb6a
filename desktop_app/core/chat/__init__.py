"""Chat: the conversation session, conversation export, Markdown for the transcript."""
