<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\Engine;

/** Gives each test a temporary folder with the fixtures, and an engine over the TSV base. */
abstract class TestCase extends \PHPUnit\Framework\TestCase
{
    protected Fixtures $fixtures;
    protected Engine $engine;

    protected function setUp(): void
    {
        $this->fixtures = new Fixtures();
        $this->engine = Engine::open($this->fixtures->index());
    }

    protected function tearDown(): void
    {
        $this->engine->close();
        $this->fixtures->remove();
    }

    /** Asserts that $call throws $class (a ChatbotException subclass) and returns it. */
    protected function assertThrowsChatbot(string $class, callable $call, ?string $messagePart = null): \Throwable
    {
        try {
            $call();
        } catch (\Throwable $e) {
            $this->assertInstanceOf($class, $e, get_class($e) . ': ' . $e->getMessage());
            $this->assertInstanceOf(\Chatbot\ChatbotException::class, $e);
            if ($messagePart !== null) {
                $this->assertStringContainsString($messagePart, $e->getMessage());
            }
            return $e;
        }
        $this->fail("expected $class, nothing was thrown");
    }
}
