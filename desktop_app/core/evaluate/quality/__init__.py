"""Quality on the user's own data: question sets, summaries, image classes and boxes, blind votes."""
