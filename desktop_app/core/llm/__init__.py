"""llama.cpp: engine, resident-model host, chat template, native log, GGUF probe and info, memory estimate."""
