#!/bin/bash
# Refits `Calibrator.prior` (Sources/ChatbotEngine/Learning/Calibrator.swift) on MASSIVE fr-FR.
#
# The build fits the calibrator on the base's own held-out questions (3-fold CV, in-scope and
# out-of-scope examples), pulled towards the prior with weight 5: on 10,348 questions that
# pull is negligible, so the coefficients stored in the index are the MASSIVE fit. Round them
# to two digits and paste them into `Calibrator.prior`; then rebuild and re-run this script to
# check that the fit no longer moves (the prior only changes where the fit starts).
#
# usage: scripts/fit_calibration_prior.sh [DATA_DIR]   (default /work/shared/data/massive-fr)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-/work/shared/data/massive-fr}
CHATBOT_CPU_FLAGS=1 swift build -c release --product chatbot-cli >&2
index=$(mktemp --suffix=.idx)
trap 'rm -f "$index"' EXIT
.build/release/chatbot-cli build "$data/kb.tsv" -o "$index" 2>/dev/null >&2
python3 scripts/read_calibration.py "$index"
