"""Documents: text extraction per format, chunking, prompts, map-reduce summaries, summary export."""
