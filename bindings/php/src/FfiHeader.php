<?php

declare(strict_types=1);

namespace Chatbot;

/**
 * Turns Include/chatbot.h into declarations that FFI::cdef() accepts.
 *
 * FFI::cdef() parses C declarations only: no preprocessor. So comments, every directive
 * line (#include, #define, include guards) and the C++-only blocks (`extern "C" {` and its
 * closing brace, inside `#ifdef __cplusplus`) are removed; what remains is the header's
 * own typedefs and prototypes, so the declarations are never maintained twice.
 */
final class FfiHeader
{
    /** Banner of the generated file (FFI::cdef() accepts C comments). */
    public const BANNER = "/* Generated from Include/chatbot.h by bindings/php/generate-ffi-header.php: do not edit. */\n";

    /**
     * @param string $header the text of chatbot.h
     * @return string declarations for FFI::cdef()
     * @throws ChatbotException when the header uses a construct this cleaner does not handle
     */
    public static function fromCHeader(string $header): string
    {
        $text = str_replace("\r\n", "\n", $header);
        // Comments first: a comment may contain '#' or braces. The header has no string
        // literals outside #define lines, which are dropped whole below.
        $text = preg_replace('~/\*.*?\*/~s', ' ', $text);
        $text = preg_replace('~//[^\n]*~', '', $text);
        $text = preg_replace('~\\\\\n~', ' ', $text); // line continuations (multi-line macros)

        $out = [];
        // One entry per open #if: does it hide its lines from a C compiler?
        // Only `__cplusplus` conditions are evaluated; other conditions (include guards)
        // are taken as true, as they are when the header is included once.
        $stack = [];
        foreach (explode("\n", $text) as $number => $line) {
            $trimmed = trim($line);
            if ($trimmed !== '' && $trimmed[0] === '#') {
                $directive = preg_split('/\s+/', ltrim(substr($trimmed, 1)), 2);
                $name = $directive[0];
                $argument = trim($directive[1] ?? '');
                $isCpp = str_contains($argument, '__cplusplus');
                switch ($name) {
                    case 'if':
                    case 'ifdef':
                        // `#ifdef __cplusplus` or `#if defined(__cplusplus)`: C++ only, hidden from C.
                        $stack[] = $isCpp && !str_contains($argument, '!');
                        break;
                    case 'ifndef':
                        $stack[] = false;
                        break;
                    case 'else':
                    case 'elif':
                        if ($stack === []) {
                            throw new ChatbotException('chatbot.h line ' . ($number + 1) . ": #$name without #if");
                        }
                        // After `#ifdef __cplusplus`, the #else branch is the C one.
                        $stack[count($stack) - 1] = false;
                        break;
                    case 'endif':
                        if ($stack === []) {
                            throw new ChatbotException('chatbot.h line ' . ($number + 1) . ': #endif without #if');
                        }
                        array_pop($stack);
                        break;
                }
                continue; // every directive line goes, #define and #include included
            }
            if (in_array(true, $stack, true)) {
                continue;
            }
            $out[] = rtrim($line);
        }
        if ($stack !== []) {
            throw new ChatbotException('chatbot.h: unterminated #if');
        }
        // Blank lines left by comments go; one blank line follows each top-level declaration.
        $code = '';
        $depth = 0;
        foreach ($out as $line) {
            if (trim($line) === '') {
                continue;
            }
            if ($depth === 0) {
                $line = ltrim($line); // indentation left by a removed comment
            }
            $depth += substr_count($line, '{') - substr_count($line, '}');
            $code .= $line . "\n" . ($depth === 0 && str_ends_with($line, ';') ? "\n" : '');
        }
        $code = rtrim($code) . "\n";
        if (str_contains($code, 'extern "C"')) {
            throw new ChatbotException('chatbot.h: extern "C" outside an #ifdef __cplusplus block');
        }
        return $code;
    }

    /**
     * The object-like macros of the header whose value is a number or a string literal,
     * e.g. ['CB_ABI_VERSION' => 1, 'CB_MAX_TOP_K' => 1000, 'CB_VERSION' => '0.1.0'].
     *
     * @return array<string, int|string>
     */
    public static function constants(string $header): array
    {
        preg_match_all('/^\s*#\s*define\s+(\w+)\s+(\d+|"[^"]*")\s*$/m', $header, $matches, PREG_SET_ORDER);
        $constants = [];
        foreach ($matches as [, $name, $value]) {
            $constants[$name] = $value[0] === '"' ? substr($value, 1, -1) : (int) $value;
        }
        return $constants;
    }
}
