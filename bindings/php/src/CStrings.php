<?php

declare(strict_types=1);

namespace Chatbot;

use FFI;
use FFI\CData;

/**
 * Text arguments as the C interface takes them: PHP strings checked for a NUL byte, and
 * NUL-terminated copies kept alive by the caller for the length of a call.
 *
 * @internal
 */
trait CStrings
{
    /**
     * `$value` when it is a string without a NUL byte. C would stop at the NUL and silently
     * use a truncated text. Invalid UTF-8 is left to the library, which rejects it with
     * CB_ERR_INVALID_UTF8.
     */
    private static function text(mixed $value, string $what): string
    {
        if (!is_string($value)) {
            throw new InvalidArgumentException("$what must be a string, not " . get_debug_type($value), 1);
        }
        if (str_contains($value, "\0")) {
            throw new InvalidArgumentException("$what contains a NUL byte at offset " . strpos($value, "\0"), 1);
        }
        return $value;
    }

    /** A `char *` to a NUL-terminated copy of `$text`, valid while `$owner` is alive. */
    private static function cString(FFI $ffi, string $text, mixed &$owner): CData
    {
        $length = strlen($text);
        $owner = $ffi->new('char[' . ($length + 1) . ']');
        if ($length > 0) {
            FFI::memcpy($owner, $text, $length);
        }
        return $ffi->cast('char*', $owner);
    }
}
