<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\ChatbotException;
use Chatbot\Engine;
use Chatbot\FfiHeader;
use Chatbot\Library;

/** The declarations generated from Include/chatbot.h. */
final class FfiHeaderTest extends \PHPUnit\Framework\TestCase
{
    private static function header(): string
    {
        return (string) file_get_contents(dirname(__DIR__, 3) . '/Include/chatbot.h');
    }

    public function testGeneratedFileIsUpToDate(): void
    {
        $generated = file_get_contents(dirname(__DIR__) . '/src/chatbot.ffi.h');
        $this->assertSame(FfiHeader::BANNER . FfiHeader::fromCHeader(self::header()), $generated);
    }

    public function testNoPreprocessorNoCppAndEveryFunction(): void
    {
        $code = FfiHeader::fromCHeader(self::header());
        $this->assertDoesNotMatchRegularExpression('/^\s*#/m', $code);
        $this->assertStringNotContainsString('extern', $code);
        $this->assertStringNotContainsString('/*', $code);
        preg_match_all('/\b(cb_\w+)\s*\(/', self::header(), $declared);
        foreach (array_unique($declared[1]) as $function) {
            $this->assertStringContainsString($function . '(', $code);
        }
        // FFI resolves every function at cdef time, so this proves they are all exported.
        $ffi = \FFI::cdef($code, Library::path());
        $this->assertSame(1, $ffi->cb_abi_version());
    }

    public function testOptionStructsGoThroughWithTheLibrarysSize(): void
    {
        $code = FfiHeader::fromCHeader(self::header());
        foreach (['cb_build_params', 'cb_match_params'] as $struct) {
            $this->assertMatchesRegularExpression('/typedef struct ' . $struct . ' \{[^}]*\} ' . $struct . ';/', $code);
        }
        $ffi = \FFI::cdef($code, Library::path());
        // Returned by value: the size the library set equals the declared struct's.
        $this->assertSame(\FFI::sizeof($ffi->type('cb_build_params')), $ffi->cb_build_default_params()->size);
        $this->assertSame(\FFI::sizeof($ffi->type('cb_match_params')), $ffi->cb_match_default_params()->size);
        $this->assertSame(5, $ffi->cb_match_default_params()->top_k);
        $this->assertSame(1, $ffi->cb_build_default_params()->learn);
    }

    public function testConstantsMatchTheBinding(): void
    {
        $constants = FfiHeader::constants(self::header());
        $this->assertSame(Engine::MAX_TOP_K, $constants['CB_MAX_TOP_K']);
        $this->assertSame(Library::ABI_VERSION, $constants['CB_ABI_VERSION']);
        $this->assertSame(Engine::version(), $constants['CB_VERSION']);
    }

    public function testCleanerOnASyntheticHeader(): void
    {
        $header = <<<'C'
            #ifndef X_H
            #define X_H
            #include <stddef.h>
            // a line comment with { braces }
            #define MULTI(a, b) \
                ((a) + (b))
            #ifdef __cplusplus
            extern "C" {
            #endif
            /* a block
               comment */ int x_add(int a, int b); // trailing
            #if defined(__cplusplus)
            int only_cpp(void);
            #else
            int only_c(void);
            #endif
            #ifndef __cplusplus
            typedef struct x_t x_t;
            #endif
            #ifdef __cplusplus
            }
            #endif
            #endif
            C;
        $this->assertSame("int x_add(int a, int b);\n\nint only_c(void);\n\ntypedef struct x_t x_t;\n",
            FfiHeader::fromCHeader($header));
    }

    public function testCleanerRejectsUnbalancedConditionals(): void
    {
        foreach (["#endif\nint x;\n", "#ifdef A\nint x;\n", "#else\n", "extern \"C\" {\nint x;\n}\n"] as $bad) {
            try {
                FfiHeader::fromCHeader($bad);
                $this->fail('accepted: ' . $bad);
            } catch (ChatbotException $e) {
                $this->assertNotSame('', $e->getMessage());
            }
        }
    }

    public function testGeneratorScript(): void
    {
        $out = sys_get_temp_dir() . '/chatbot-ffi-' . bin2hex(random_bytes(4)) . '.h';
        $script = dirname(__DIR__) . '/generate-ffi-header.php';
        $header = dirname(__DIR__, 3) . '/Include/chatbot.h';
        exec(escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg($script) . ' ' . escapeshellarg($header) . ' ' . escapeshellarg($out) . ' 2>&1', $lines, $status);
        $this->assertSame(0, $status, implode("\n", $lines));
        $this->assertSame(file_get_contents(dirname(__DIR__) . '/src/chatbot.ffi.h'), file_get_contents($out));
        unlink($out);
        exec(escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg($script) . ' /nonexistent/chatbot.h ' . escapeshellarg($out) . ' 2>&1', $lines, $status);
        $this->assertSame(1, $status);
        $this->assertFileDoesNotExist($out);
    }
}
