<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\ChatbotException;
use Chatbot\ClosedEngineException;
use Chatbot\Engine;
use Chatbot\InvalidIndexException;
use Chatbot\IOException;

final class LifecycleTest extends TestCase
{
    public function testVersion(): void
    {
        $this->assertSame('0.1.0', Engine::version());
    }

    public function testOpenBuildAndFromBytesAgree(): void
    {
        $built = Engine::build($this->fixtures->tsv());
        $loaded = Engine::fromBytes(file_get_contents($this->fixtures->dir . '/faq.cbindex'));
        $this->assertSame(5, $this->engine->itemCount());
        $this->assertSame(5, $built->itemCount());
        $this->assertSame(5, $loaded->itemCount());
        foreach (["j'ai perdu mon badge", 'vacances', 'salaire'] as $question) {
            $this->assertEquals($this->engine->match($question), $built->match($question));
            $this->assertEquals($this->engine->match($question), $loaded->match($question));
        }
    }

    public function testSaveRoundTripWithStringAndStringablePaths(): void
    {
        foreach ([$this->fixtures->dir . '/a.cbindex', new \SplFileInfo($this->fixtures->dir . '/b.cbindex')] as $path) {
            $this->engine->save($path);
            $reopened = Engine::open($path);
            $this->assertSame($this->engine->itemIds(), $reopened->itemIds());
            $this->assertEquals($this->engine->match('badge perdu'), $reopened->match('badge perdu'));
        }
    }

    public function testMappedOpenAnswersAsTheCopyAndVerifies(): void
    {
        $index = $this->fixtures->dir . '/faq.cbindex';
        $mapped = Engine::open($index, mapped: true);
        $mapped->verify();
        $mapped->verify();
        foreach (["j'ai perdu mon badge", 'vacances', 'xyzzy'] as $question) {
            $this->assertEquals($this->engine->match($question), $mapped->match($question));
        }
        $this->assertSame($this->engine->itemIds(), $mapped->itemIds());
        $this->expectException(IOException::class);
        Engine::open($this->fixtures->dir . '/missing.cbindex', true);
    }

    public function testMappedOpenReportsDamagedContentsAtFirstNeed(): void
    {
        $bytes = file_get_contents($this->fixtures->dir . '/faq.cbindex');
        $at = strlen($bytes) - 100;
        $bytes[$at] = chr(ord($bytes[$at]) ^ 0x5A);
        $damaged = $this->fixtures->dir . '/damaged.cbindex';
        file_put_contents($damaged, $bytes);
        try {
            Engine::open($damaged);
            $this->fail('a damaged file opened as a copy');
        } catch (InvalidIndexException $e) {
            $this->assertStringContainsString('checksum', $e->getMessage());
        }
        $engine = Engine::open($damaged, true);
        foreach (['match', 'match', 'verify'] as $call) {
            try {
                $call === 'match' ? $engine->match('badge perdu') : $engine->verify();
                $this->fail("$call answered from a damaged file");
            } catch (InvalidIndexException $e) {
                $this->assertStringContainsString('checksum', $e->getMessage());
            }
        }
        // Reload keeps the mapped mode and verifies first: the old index stays.
        $live = Engine::open($this->fixtures->dir . '/faq.cbindex', true);
        try {
            $live->reload($damaged);
            $this->fail('reloaded a damaged file');
        } catch (InvalidIndexException $e) {
            $this->assertStringContainsString('checksum', $e->getMessage());
        }
        $this->assertEquals($this->engine->match('badge perdu'), $live->match('badge perdu'));
        $engine->close();
        $this->expectException(ClosedEngineException::class);
        $engine->verify();
    }

    public function testItemIdsAndDimension(): void
    {
        $this->assertSame(['conges', 'badge', 'salaire', 'teletravail', 'mutuelle'], $this->engine->itemIds());
        $this->assertSame('salaire', $this->engine->itemId(2));
        $this->assertSame(0, $this->engine->embeddingDimension());
    }

    public function testCloseIsIdempotentAndClosedEngineThrows(): void
    {
        $engine = Engine::open($this->fixtures->dir . '/faq.cbindex');
        $this->assertFalse($engine->isClosed());
        $engine->close();
        $engine->close();
        $this->assertTrue($engine->isClosed());
        $path = $this->fixtures->dir . '/x.cbindex';
        $calls = [
            fn () => $engine->match('badge'),
            fn () => $engine->match('badge', 5, 'RH'),
            fn () => $engine->matchBatch(['badge']),
            fn () => $engine->rankBatch(['badge']),
            fn () => $engine->matchJson('badge'),
            fn () => $engine->analyze('badge'),
            fn () => $engine->save($path),
            fn () => $engine->itemCount(),
            fn () => $engine->itemId(0),
            fn () => $engine->itemIds(),
            fn () => $engine->embeddingDimension(),
        ];
        foreach ($calls as $call) {
            $this->assertThrowsChatbot(ClosedEngineException::class, $call, 'closed');
        }
        $this->assertFileDoesNotExist($path);
    }

    public function testResultsOutliveTheEngine(): void
    {
        $engine = Engine::open($this->fixtures->dir . '/faq.cbindex');
        $result = $engine->match("j'ai perdu mon badge", 2);
        $engine->close();
        unset($engine);
        $this->assertSame('badge', $result->matches[0]->id);
        $this->assertSame("j'ai perdu mon badge", $result->matches[0]->question);
    }

    public function testCloneIsRefused(): void
    {
        $this->assertThrowsChatbot(ChatbotException::class, fn () => clone $this->engine, 'cloned');
        $this->assertSame(5, $this->engine->itemCount());
    }

    public function testDestroyedEnginesAreFreed(): void
    {
        $path = $this->fixtures->dir . '/faq.cbindex';
        $before = memory_get_usage();
        for ($i = 0; $i < 300; $i++) {
            $this->assertSame('badge', Engine::open($path)->match('badge')->matches[0]->id);
        }
        // PHP's own memory: the engines' objects did not pile up.
        $this->assertLessThan(256 * 1024, memory_get_usage() - $before);
    }

    /** PHP CLI has no threads; a prefork server shares an engine opened before fork(). */
    public function testForkedChildrenShareAnOpenEngine(): void
    {
        if (!function_exists('pcntl_fork')) {
            $this->markTestSkipped('pcntl is not available');
        }
        $expected = array_map(fn ($q) => $this->engine->match($q, 3), Fixtures::QUESTIONS);
        $children = [];
        for ($c = 0; $c < 4; $c++) {
            $pid = pcntl_fork();
            if ($pid === 0) {
                $ok = true;
                for ($r = 0; $r < 100; $r++) {
                    $i = ($c + $r) % count(Fixtures::QUESTIONS);
                    $ok = $ok && $this->engine->match(Fixtures::QUESTIONS[$i], 3) == $expected[$i];
                }
                // Replace the child by a shell that exits with the verdict, so that PHPUnit's
                // shutdown code never runs twice.
                pcntl_exec('/bin/sh', ['-c', $ok ? 'exit 0' : 'exit 3']);
                exit(4);
            }
            $this->assertGreaterThan(0, $pid);
            $children[] = $pid;
        }
        foreach ($children as $pid) {
            pcntl_waitpid($pid, $status);
            $this->assertTrue(pcntl_wifexited($status));
            $this->assertSame(0, pcntl_wexitstatus($status), 'a child saw different results');
        }
    }
}
