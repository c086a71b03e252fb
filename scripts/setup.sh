#!/usr/bin/env bash
# Sets up Earshot on a fresh Debian/Ubuntu machine: system tools, npm packages (which also
# compiles the TypeScript), and the Silero VAD model. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v pocketsphinx_continuous >/dev/null || missing+=(pocketsphinx)
[ -d /usr/share/pocketsphinx/model/en-us/en-us ] || missing+=(pocketsphinx-en-us)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} …"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q ffmpeg pocketsphinx pocketsphinx-en-us
fi

npm ci

# The VAD model: from a local copy when there is one (air-gapped machines, CI), else downloaded.
shared_vad="${EARSHOT_SHARED_DIR:-../shared}/models/vad"
if [ -f "$shared_vad/silero_vad_v6.2.onnx" ]; then
  node bin/earshot.js models pull silero-vad-v6.2 --from "$shared_vad"
else
  node bin/earshot.js models pull silero-vad-v6.2
fi

# VADER's sentiment lexicon (MIT, a text file): from the local shared data when present.
lexicon_dir="${EARSHOT_MODELS_DIR:-${EARSHOT_DATA_DIR:-./data}/models}/vader"
shared_lexicon="${EARSHOT_SHARED_DIR:-../shared}/data/text/vader/vader_lexicon.txt"
if [ -f "$shared_lexicon" ]; then
  mkdir -p "$lexicon_dir" && cp "$shared_lexicon" "$lexicon_dir/vader_lexicon.txt"
else
  echo "Sentiment analysis needs vader_lexicon.txt (github.com/cjhutto/vaderSentiment) in $lexicon_dir" >&2
fi
