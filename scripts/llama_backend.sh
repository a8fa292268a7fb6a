#!/bin/sh
# Prints the CMAKE_ARGS for building llama-cpp-python. Usage: llama_backend.sh auto|cpu|cuda|metal
# auto: Metal on macOS; CUDA when nvcc is installed and an NVIDIA GPU answers; otherwise CPU.
case "${1:-auto}" in
  cpu) echo "" ;;
  cuda) echo "-DGGML_CUDA=on" ;;
  metal) echo "-DGGML_METAL=on" ;;
  auto)
    if [ "$(uname -s)" = "Darwin" ]; then
      echo "-DGGML_METAL=on"
    elif command -v nvcc >/dev/null 2>&1 && command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
      echo "-DGGML_CUDA=on"
    else
      echo ""
    fi ;;
  *) echo "unknown GPU backend '$1' (use auto, cpu, cuda or metal)" >&2; exit 2 ;;
esac
