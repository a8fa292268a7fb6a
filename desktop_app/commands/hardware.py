"""`hearth hardware`: what this computer has and which model sizes it runs comfortably."""

from __future__ import annotations

import argparse

from desktop_app.commands import print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser("hardware", help="show CPU, memory, GPUs and what the backends can use")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(func=run_hardware)


def run_hardware(args: argparse.Namespace) -> int:
    from desktop_app.core.system import detect_hardware

    report = detect_hardware()
    if args.json:
        print_json(report.to_json())
        return 0
    gb = 1e9
    print(f"CPU:        {report.cpu_model} ({report.cpu_physical_cores} cores, {report.cpu_count} threads)")
    print(f"Memory:     {report.ram_available_bytes / gb:.1f} GB free of {report.ram_total_bytes / gb:.1f} GB")
    for gpu in report.gpus or []:
        print(f"GPU:        {gpu.name}: {gpu.memory_free_bytes / gb:.1f} GB free of {gpu.memory_total_bytes / gb:.1f} GB ({gpu.source})")
    if not report.gpus:
        print("GPU:        none found")
    offload = "yes" if report.llama_gpu_offload else "no (CPU build)"
    print(f"llama.cpp:  GPU offload {offload}; {', '.join(report.llama_instruction_sets) or 'no SIMD extensions'}")
    print(f"onnxruntime: {', '.join(report.onnx_providers)}")
    print()
    print(report.recommendation)
    for note in report.notes:
        print(note)
    return 0
