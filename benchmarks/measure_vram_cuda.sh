#!/bin/bash
# Run on a machine with an NVIDIA GPU and the CUDA toolkit, from the repository root, with OUT set to a scratch
# folder and .bench/gpu_est/llama-src.tgz holding llama.cpp as vendored in llama-cpp-python (see README).
# Validate hardware.estimate_gguf_memory's VRAM figure against a CUDA build of the llama.cpp that
# llama-cpp-python 0.3.36 vendors: llama.cpp's own buffer reports and nvidia-smi's peak per process.
set -u
export PATH=$PATH:/usr/local/cuda/bin
ROOT=$(pwd); HERE=$ROOT/.bench/gpu_est; SRC=$HERE/src; BUILD=$HERE/build
mkdir -p $SRC && tar xzf $HERE/llama-src.tgz -C $SRC
if [ ! -x $BUILD/bin/llama-lookup ]; then
  cmake -S $SRC -B $BUILD -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF \
    -DLLAMA_BUILD_EXAMPLES=ON -DLLAMA_BUILD_APP=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DGGML_NATIVE=OFF \
    -DCMAKE_BUILD_TYPE=Release > $OUT/cmake.log 2>&1 || { tail -30 $OUT/cmake.log; exit 4; }
  ( time cmake --build $BUILD --target llama-lookup -j16 ) > $OUT/build.log 2>&1 || { tail -30 $OUT/build.log; exit 5; }
  tail -3 $OUT/build.log
fi
PY=/opt/torch/.venv/bin/python; $PY -c "import numpy" 2>/dev/null || PY=python3
export PYTHONPATH=$SRC/gguf-py:$ROOT/.bench/gpu_check/deps:$ROOT:$ROOT/tests
$PY - <<'PYEOF' || exit 6
from gguf_factory import write_tiny_llama
write_tiny_llama("/tmp/a.gguf", n_embd=256, n_layer=4, n_head=4, n_ff=512, context_length=32768)
write_tiny_llama("/tmp/b.gguf", n_embd=1024, n_layer=8, n_head=16, n_ff=2816, context_length=16384)
PYEOF
for spec in "a 4096 99" "a 32768 99" "b 4096 99" "b 16384 99" "b 16384 4"; do
  set -- $spec; m=$1; ctx=$2; ngl=$3
  $BUILD/bin/llama-lookup -m /tmp/$m.gguf -p "hello there" -n 8 -c $ctx -ngl $ngl -v > $OUT/run_${m}_${ctx}_${ngl}.log 2>&1 &
  pid=$!; peak=0
  while kill -0 $pid 2>/dev/null; do
    used=$(nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits | awk -F, -v p=$pid '$1==p {print $2+0}')
    [ -n "$used" ] && [ "$used" -gt "$peak" ] && peak=$used
    sleep 0.03
  done
  bufs=$(grep -a -E "CUDA0 (model|KV|compute) buffer size" $OUT/run_${m}_${ctx}_${ngl}.log | grep -v "= *0.00 MiB" | sed -E 's/.*CUDA0 ([a-zA-Z]+) buffer size = *([0-9.]+) MiB/\1=\2/' | tr '\n' ' ')
  est=$($PY -c "
from desktop_app.core import hardware as h
e = h.estimate_gguf_memory('/tmp/$m.gguf', $ctx, $ngl, gpu_offload_supported=True, ram_available=2**36, vram_available=2**36)
print(f'est_vram={e.vram_bytes/2**20:.1f} est_kv={e.kv_cache_bytes*e.gpu_layers/max(1,e.gpu_layers)/2**20:.1f} est_gpu_compute={e.gpu_compute_bytes/2**20:.1f} layers={e.gpu_layers}')
")
  echo "$m ctx=$ctx ngl=$ngl smi_peak_MiB=$peak llama: $bufs | $est"
done
PY_FA=$(grep -a -m1 "flash_attn" $OUT/run_b_16384_99.log); echo "$PY_FA"
