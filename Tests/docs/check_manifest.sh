#!/usr/bin/env bash
# README, "Portability": the products a Swift host depends on carry no unsafeFlags unless
# CHATBOT_CPU_FLAGS=1, and the library the Makefile builds does use the x86-64-v3 flags
# (its SIMD kernels contain fused multiply-adds, which baseline x86-64 has not).
# Usage: check_manifest.sh path/to/libchatbot.so
set -uo pipefail
cd "$(dirname "$0")/../.."
lib=$1
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok    $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }

# The targets of the product `ChatbotEngine`, and whether any of them has unsafe flags.
unsafe_targets() {
    python3 -c '
import json, sys
p = json.load(sys.stdin)
product = next(x for x in p["products"] if x["name"] == "ChatbotEngine")
flagged = [t["name"] for t in p["targets"] if t["name"] in product["targets"]
           and any(s.get("kind", {}).get("unsafeFlags") for s in t.get("settings", []))]
print(" ".join(flagged))'
}
plain=$(env -u CHATBOT_CPU_FLAGS swift package dump-package 2>/dev/null | unsafe_targets)
if [[ -z $plain ]]; then ok "without CHATBOT_CPU_FLAGS, the ChatbotEngine product has no unsafeFlags"
else fail "unsafeFlags without CHATBOT_CPU_FLAGS in: $plain"; fi
if [[ $(uname -m) == x86_64 ]]; then
    tuned=$(CHATBOT_CPU_FLAGS=1 swift package dump-package 2>/dev/null | unsafe_targets)
    if [[ -n $tuned ]]; then ok "CHATBOT_CPU_FLAGS=1 turns the CPU flags on ($(wc -w <<<"$tuned") targets)"
    else fail "CHATBOT_CPU_FLAGS=1 sets no flag"; fi
    fma=$(objdump -d --no-show-raw-insn "$lib" | grep -c 'vfmadd')  # not grep -q: pipefail would see objdump's SIGPIPE
    if ((fma > 0)); then ok "$lib uses FMA ($fma instructions: built for x86-64-v3)"
    else fail "$lib has no FMA instruction: built without the CPU flags"; fi
fi
echo "$passed passed, $failed failed"
((failed == 0))
