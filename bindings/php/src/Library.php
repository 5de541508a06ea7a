<?php

declare(strict_types=1);

namespace Chatbot;

use FFI;

/**
 * Finds libchatbot.so and its declarations, and loads them once per process.
 *
 * Library: $CHATBOT_LIBRARY alone when set (naming a file means that file: no silent
 * fallback), else this package's lib/libchatbot.so, else `libchatbot.so.0` from the
 * system loader (ldconfig paths, LD_LIBRARY_PATH).
 *
 * Declarations: src/chatbot.ffi.h, generated from Include/chatbot.h by
 * generate-ffi-header.php (run by `composer dump-autoload`). When it is missing, they are
 * generated in memory from $CHATBOT_HEADER or the repository's Include/chatbot.h, so a
 * checkout works without the generation step; nothing is written at run time.
 */
final class Library
{
    /** Environment variable naming the library file to load. */
    public const LIBRARY_ENV = 'CHATBOT_LIBRARY';
    /** Environment variable naming chatbot.h, used when src/chatbot.ffi.h is missing. */
    public const HEADER_ENV = 'CHATBOT_HEADER';
    /** The C interface version this binding is written against (CB_ABI_VERSION). */
    public const ABI_VERSION = 1;

    private static ?FFI $ffi = null;
    private static ?string $loadedFrom = null;

    /** The process-wide FFI instance, loaded on first use. */
    public static function ffi(): FFI
    {
        if (self::$ffi === null) {
            [self::$ffi, self::$loadedFrom] = self::load(getenv(), dirname(__DIR__));
        }
        return self::$ffi;
    }

    /** Where the library was loaded from (loads it if needed). */
    public static function path(): string
    {
        self::ffi();
        return (string) self::$loadedFrom;
    }

    /**
     * The places to try, in order, as [description, path or soname] pairs.
     *
     * @param array<string, string> $environment
     * @return list<array{string, string}>
     */
    public static function candidates(array $environment, string $packageDir): array
    {
        $explicit = $environment[self::LIBRARY_ENV] ?? '';
        if ($explicit !== '') {
            return [['$' . self::LIBRARY_ENV, $explicit]];
        }
        return [
            ['package folder', $packageDir . '/lib/libchatbot.so'],
            ['system loader', 'libchatbot.so.0'],
        ];
    }

    /**
     * Loads the first usable library among the candidates.
     *
     * @param array<string, string> $environment
     * @return array{FFI, string} the FFI instance and where it was loaded from
     * @throws LibraryException listing every place tried and why it failed
     */
    public static function load(array $environment, string $packageDir): array
    {
        if (!extension_loaded('ffi')) {
            throw new LibraryException('the PHP FFI extension is not loaded (Debian: php8.2-cli ships it; enable ffi.so)');
        }
        $declarations = self::declarations($environment, $packageDir);
        $failures = [];
        foreach (self::candidates($environment, $packageDir) as [$description, $target]) {
            if (str_contains($target, '/') && !is_file($target)) {
                $failures[] = "$description: $target: no such file";
                continue;
            }
            try {
                $ffi = FFI::cdef($declarations, $target);
            } catch (FFI\Exception $e) {
                $failures[] = "$description: $target: {$e->getMessage()}";
                continue;
            }
            $abi = $ffi->cb_abi_version();
            if ($abi !== self::ABI_VERSION) {
                $failures[] = "$description: $target: C interface version $abi, this binding needs " . self::ABI_VERSION;
                continue;
            }
            return [$ffi, $target];
        }
        throw new LibraryException("libchatbot could not be loaded; tried, in order:\n  " . implode("\n  ", $failures)
            . "\nBuild it with `make lib`, then set " . self::LIBRARY_ENV . ' to .build/release/libchatbot.so.');
    }

    /**
     * The FFI declarations: the generated file, else generated in memory from chatbot.h.
     *
     * @param array<string, string> $environment
     */
    public static function declarations(array $environment, string $packageDir): string
    {
        $generated = $packageDir . '/src/chatbot.ffi.h';
        if (is_file($generated)) {
            $code = file_get_contents($generated);
            if ($code === false || $code === '') {
                throw new LibraryException("cannot read $generated");
            }
            return $code;
        }
        $headers = array_filter([$environment[self::HEADER_ENV] ?? '', $packageDir . '/../../Include/chatbot.h']);
        foreach ($headers as $header) {
            if (is_file($header) && ($text = file_get_contents($header)) !== false) {
                return FfiHeader::fromCHeader($text);
            }
        }
        throw new LibraryException("$generated is missing and chatbot.h was not found (tried "
            . implode(', ', $headers) . '): run `php generate-ffi-header.php` in the package folder, or set '
            . self::HEADER_ENV);
    }
}
