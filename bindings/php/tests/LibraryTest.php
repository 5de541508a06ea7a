<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\Library;
use Chatbot\LibraryException;

/** Finding libchatbot.so and the FFI declarations. */
final class LibraryTest extends TestCase
{
    private static function packageDir(): string
    {
        return dirname(__DIR__);
    }

    public function testFfiIsEnabledForTheCli(): void
    {
        $this->assertTrue(extension_loaded('ffi'));
        // "preload" (Debian's default) allows FFI::cdef() in the CLI only; "1" everywhere.
        $this->assertContains(ini_get('ffi.enable'), ['preload', '1', 'On', 'true']);
        $this->assertSame('cli', PHP_SAPI);
    }

    public function testEnvironmentVariableWinsAlone(): void
    {
        $this->assertSame([['$CHATBOT_LIBRARY', '/opt/x/libchatbot.so']],
            Library::candidates(['CHATBOT_LIBRARY' => '/opt/x/libchatbot.so'], '/pkg'));
        $this->assertSame(['/pkg/lib/libchatbot.so', 'libchatbot.so.0'],
            array_column(Library::candidates([], '/pkg'), 1));
        $this->assertSame(['/pkg/lib/libchatbot.so', 'libchatbot.so.0'],
            array_column(Library::candidates(['CHATBOT_LIBRARY' => ''], '/pkg'), 1));
    }

    public function testBadEnvironmentPathIsAnErrorNamingIt(): void
    {
        $missing = $this->fixtures->dir . '/nowhere/libchatbot.so';
        $this->assertThrowsChatbot(LibraryException::class,
            fn () => Library::load(['CHATBOT_LIBRARY' => $missing], self::packageDir()), $missing);
        // No silent fallback to the package folder.
        $package = $this->fakePackage();
        $e = $this->assertThrowsChatbot(LibraryException::class,
            fn () => Library::load(['CHATBOT_LIBRARY' => $missing], $package));
        $this->assertStringNotContainsString('package folder', $e->getMessage());
    }

    public function testFileThatIsNotALibrary(): void
    {
        $fake = $this->fixtures->write('libchatbot.so', 'not an ELF file');
        $this->assertThrowsChatbot(LibraryException::class,
            fn () => Library::load(['CHATBOT_LIBRARY' => $fake], self::packageDir()), $fake);
    }

    public function testLibraryWithoutTheCbFunctions(): void
    {
        $this->assertThrowsChatbot(LibraryException::class,
            fn () => Library::load(['CHATBOT_LIBRARY' => 'libm.so.6'], self::packageDir()), 'cb_');
    }

    public function testPackageFolderIsUsed(): void
    {
        $package = $this->fakePackage();
        [$ffi, $from] = Library::load([], $package);
        $this->assertSame($package . '/lib/libchatbot.so', $from);
        $this->assertSame('0.1.0', $ffi->cb_version());
    }

    public function testNothingFoundListsEveryPlace(): void
    {
        $empty = $this->fixtures->dir . '/empty-package';
        mkdir($empty . '/src', 0777, true);
        copy(self::packageDir() . '/src/chatbot.ffi.h', $empty . '/src/chatbot.ffi.h');
        try {
            [, $from] = Library::load([], $empty);
            $this->assertSame('libchatbot.so.0', $from); // a copy installed on this machine
        } catch (LibraryException $e) {
            $this->assertStringContainsString($empty . '/lib/libchatbot.so', $e->getMessage());
            $this->assertStringContainsString('libchatbot.so.0', $e->getMessage());
            $this->assertStringContainsString('make lib', $e->getMessage());
        }
    }

    public function testDeclarationsFallBackToTheHeader(): void
    {
        $header = self::packageDir() . '/../../Include/chatbot.h';
        $package = $this->fixtures->dir . '/bare-package';
        mkdir($package);
        $this->assertSame(file_get_contents(self::packageDir() . '/src/chatbot.ffi.h'),
            \Chatbot\FfiHeader::BANNER . Library::declarations(['CHATBOT_HEADER' => $header], $package));
        $this->assertThrowsChatbot(LibraryException::class, fn () => Library::declarations([], $package), 'generate-ffi-header.php');
    }

    public function testFreshProcesses(): void
    {
        $autoload = self::packageDir() . '/vendor/autoload.php';
        $code = 'require ' . var_export($autoload, true) . '; '
            . 'try { echo Chatbot\Engine::version(), " ", Chatbot\Library::path(); } '
            . 'catch (Chatbot\ChatbotException $e) { echo get_class($e), ": ", $e->getMessage(); }';
        $run = function (string $library, array $options = []) use ($code): string {
            $command = 'CHATBOT_LIBRARY=' . escapeshellarg($library) . ' ' . escapeshellarg(PHP_BINARY) . ' '
                . implode(' ', array_map('escapeshellarg', $options)) . ' -r ' . escapeshellarg($code) . ' 2>&1';
            return (string) shell_exec($command);
        };
        $real = Library::path();
        $this->assertSame("0.1.0 $real", $run($real));
        $bad = $this->fixtures->dir . '/absent.so';
        $this->assertStringStartsWith("Chatbot\\LibraryException: libchatbot could not be loaded", $run($bad));
        // With FFI disabled, the binding still throws its own exception (no fatal error).
        $this->assertStringContainsString('Chatbot\\LibraryException', $run($real, ['-d', 'ffi.enable=0']));
    }

    public function testCheckoutBuildComesAfterThePackageFolder(): void
    {
        $checkout = $this->fakeCheckout();
        $package = $checkout . '/bindings/php';
        $this->assertSame($checkout, Library::checkout($package));
        $this->assertSame([$package . '/lib/libchatbot.so', $checkout . '/.build/release/libchatbot.so', 'libchatbot.so.0'],
            array_column(Library::candidates([], $package), 1));
        // Not a checkout: a copied package, or bindings/php without the sources around it.
        $this->assertNull(Library::checkout($checkout));
        unlink($checkout . '/Package.swift');
        $this->assertNull(Library::checkout($package));
        // The checkout's own build is found with no variable.
        $real = $this->fakeCheckout('checkout2');
        mkdir($real . '/.build/release', 0777, true);
        symlink(Library::path(), $real . '/.build/release/libchatbot.so');
        [$ffi, $from] = Library::load([], $real . '/bindings/php');
        $this->assertSame($real . '/.build/release/libchatbot.so', $from);
        $this->assertSame('0.1.0', $ffi->cb_version());
    }

    public function testStaleGeneratedDeclarationsAreSkippedInACheckout(): void
    {
        $checkout = $this->fakeCheckout();
        $generated = $checkout . '/bindings/php/src/chatbot.ffi.h';
        file_put_contents($generated, "/* generated */\n");
        touch($generated, time() - 60);
        $fromHeader = Library::declarations([], $checkout . '/bindings/php');
        $this->assertStringContainsString('cb_abi_version', $fromHeader);
        touch($generated, time() + 60);
        $this->assertSame("/* generated */\n", Library::declarations([], $checkout . '/bindings/php'));
        // Outside a checkout, the generated file is all there is.
        $this->assertSame(file_get_contents(self::packageDir() . '/src/chatbot.ffi.h'),
            Library::declarations([], $this->fakePackage()));
    }

    public function testHeaderVariableWinsAlone(): void
    {
        $missing = $this->fixtures->dir . '/nowhere/chatbot.h';
        $package = $this->fakePackage();
        $this->assertThrowsChatbot(LibraryException::class,
            fn () => Library::declarations(['CHATBOT_HEADER' => $missing], $package), $missing);
        $this->assertThrowsChatbot(LibraryException::class,
            fn () => Library::load(['CHATBOT_HEADER' => $missing], $package), $missing);
        $header = self::packageDir() . '/../../Include/chatbot.h';
        $this->assertSame(\Chatbot\FfiHeader::fromCHeader((string) file_get_contents($header)),
            Library::declarations(['CHATBOT_HEADER' => $header], $package));
    }

    /** A libchatbot source tree (Include/chatbot.h, Package.swift) with bindings/php/src. */
    private function fakeCheckout(string $name = 'checkout'): string
    {
        $checkout = $this->fixtures->dir . '/' . $name;
        mkdir($checkout . '/Include', 0777, true);
        mkdir($checkout . '/bindings/php/src', 0777, true);
        copy(self::packageDir() . '/../../Include/chatbot.h', $checkout . '/Include/chatbot.h');
        touch($checkout . '/Package.swift');
        return $checkout;
    }

    /** A package folder holding the generated declarations and lib/libchatbot.so. */
    private function fakePackage(): string
    {
        $package = $this->fixtures->dir . '/package';
        mkdir($package . '/lib', 0777, true);
        mkdir($package . '/src');
        copy(self::packageDir() . '/src/chatbot.ffi.h', $package . '/src/chatbot.ffi.h');
        symlink(Library::path(), $package . '/lib/libchatbot.so');
        return $package;
    }
}
