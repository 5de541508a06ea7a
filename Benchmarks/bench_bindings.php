<?php
/*
 * Per-call cost of matching through the PHP binding: the PHP column of bench_bindings.sh
 * (which runs the same questions through Swift, C, Python and PHP).
 *
 *   php bench_bindings.php INDEX QUESTIONS [TOP_K] [ROUNDS]
 *
 * INDEX is an index file (.cbindex); QUESTIONS has one question per line (empty lines are
 * skipped). Every question is matched ROUNDS times (default 3) after one warm-up round, as
 * in bench_bindings_c.c, through Engine::match (typed result), Engine::matchJson (the
 * library's JSON, json_decode'd), Engine::rankBatch (one cb_match_batch call for all) and
 * the raw FFI call (cb_match + cb_result_free, no conversion). Prints mean µs per question
 * (best round) and median (p50 of the last round's per-call times), then one
 * `RESULT name mean median` line each for bench_bindings.sh.
 *
 * Needs bindings/php/vendor/autoload.php (composer dump-autoload) and CHATBOT_LIBRARY.
 */

declare(strict_types=1);

require __DIR__ . '/../bindings/php/vendor/autoload.php';

use Chatbot\Engine;
use Chatbot\Library;

if ($argc < 3) {
    fwrite(STDERR, "usage: php bench_bindings.php INDEX QUESTIONS [TOP_K] [ROUNDS]\n");
    exit(2);
}
$topK = (int) ($argv[3] ?? 5);
$rounds = max(1, (int) ($argv[4] ?? 3));
$questions = [];
foreach (file($argv[2], FILE_IGNORE_NEW_LINES) ?: [] as $line) {
    $line = rtrim($line, "\r");
    if (trim($line) !== '') {
        $questions[] = $line;
    }
}
if ($questions === []) {
    fwrite(STDERR, "{$argv[2]}: no questions\n");
    exit(1);
}
$n = count($questions);

/** @return array{float, float} mean µs of the best round, median µs of the last round */
function timeEach(array $questions, callable $call, int $rounds): array
{
    $best = INF;
    $laps = [];
    for ($r = 0; $r <= $rounds; $r++) { // round 0 warms caches and allocators
        $start = hrtime(true);
        foreach ($questions as $i => $q) {
            $a = hrtime(true);
            $call($q);
            $laps[$i] = hrtime(true) - $a;
        }
        $total = hrtime(true) - $start;
        if ($r > 0) {
            $best = min($best, $total);
        }
    }
    sort($laps);
    $m = intdiv(count($laps), 2);
    $median = count($laps) % 2 ? $laps[$m] : ($laps[$m - 1] + $laps[$m]) / 2;
    return [$best / count($questions) / 1e3, $median / 1e3];
}

function timeWhole(array $questions, callable $call, int $rounds): float
{
    $best = INF;
    for ($r = 0; $r <= $rounds; $r++) {
        $start = hrtime(true);
        $call($questions);
        if ($r > 0) {
            $best = min($best, hrtime(true) - $start);
        }
    }
    return $best / count($questions) / 1e3;
}

$engine = Engine::open($argv[1]);
printf("PHP %s, libchatbot %s, %d items, %d questions, top_k %d, best of %d rounds\n",
    PHP_VERSION, Engine::version(), $engine->itemCount(), $n, $topK, $rounds);

// The raw row measures FFI alone, below the binding: a second engine opened directly.
$ffi = Library::ffi();
$raw = $ffi->new('cb_engine*');
if ($ffi->cb_engine_open($argv[1], FFI::addr($raw)) !== 0) {
    fwrite(STDERR, $ffi->cb_last_error() . "\n");
    exit(1);
}
$result = $ffi->new('cb_result*');
$resultAddress = FFI::addr($result);

$engine->itemIds(); // rankBatch maps indices to ids through this cached list
$rows = [
    'match' => timeEach($questions, fn ($q) => $engine->match($q, $topK), $rounds),
    'match_json' => timeEach($questions, fn ($q) => $engine->matchJson($q, $topK), $rounds),
    'rank_batch' => [timeWhole($questions, fn ($qs) => $engine->rankBatch($qs, $topK), $rounds), null],
    'raw_ffi' => timeEach($questions, function ($q) use ($ffi, $raw, $topK, $result, $resultAddress) {
        if ($ffi->cb_match($raw, $q, $topK, $resultAddress) !== 0) {
            throw new RuntimeException($ffi->cb_last_error());
        }
        $ffi->cb_result_free($result);
    }, $rounds),
];
$ffi->cb_engine_free($raw);
$engine->close();

$labels = ['match' => 'Engine::match (typed)', 'match_json' => 'Engine::matchJson', 'rank_batch' => 'Engine::rankBatch (all at once)',
    'raw_ffi' => 'raw FFI cb_match + free'];
foreach ($rows as $name => [$mean, $median]) {
    printf("%-32s: %7.2f us/question (median %s)\n", $labels[$name], $mean, $median === null ? '-' : sprintf('%.2f', $median));
}
foreach ($rows as $name => [$mean, $median]) {
    printf("RESULT %s %.3f %s\n", $name, $mean, $median === null ? '-' : sprintf('%.3f', $median));
}
