<?php
/*
 * Writes src/chatbot.ffi.h, the declarations FFI::cdef() loads, from Include/chatbot.h.
 *
 *   php generate-ffi-header.php [HEADER [OUTPUT]]
 *
 * HEADER defaults to $CHATBOT_HEADER, then ../../Include/chatbot.h (this repository);
 * OUTPUT to src/chatbot.ffi.h. `composer dump-autoload` and run_tests.sh call it.
 */

declare(strict_types=1);

require_once __DIR__ . '/src/ChatbotException.php';
require_once __DIR__ . '/src/FfiHeader.php';

$header = $argv[1] ?? (getenv('CHATBOT_HEADER') ?: __DIR__ . '/../../Include/chatbot.h');
$output = $argv[2] ?? __DIR__ . '/src/chatbot.ffi.h';

$text = @file_get_contents($header);
if ($text === false) {
    fwrite(STDERR, "generate-ffi-header.php: cannot read $header (set CHATBOT_HEADER to chatbot.h)\n");
    exit(1);
}
try {
    $code = Chatbot\FfiHeader::BANNER . Chatbot\FfiHeader::fromCHeader($text);
} catch (Chatbot\ChatbotException $e) {
    fwrite(STDERR, "generate-ffi-header.php: {$e->getMessage()}\n");
    exit(1);
}
// Written to a temporary file then renamed, so a concurrent reader never sees half a file.
$temporary = $output . '.' . getmypid() . '.tmp';
if (@file_put_contents($temporary, $code) === false || !@rename($temporary, $output)) {
    @unlink($temporary);
    fwrite(STDERR, "generate-ffi-header.php: cannot write $output\n");
    exit(1);
}
echo "wrote $output\n";
