<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\Engine;
use Chatbot\InvalidArgumentException;
use Chatbot\InvalidSourceException;
use Chatbot\QuestionLog;

/**
 * PHP ints are 64-bit signed: every one that goes to a narrower or unsigned C parameter is
 * range-checked before the call (FFI would wrap or clamp it), and so are instants. Ids with
 * a NUL, which C strings would cut short, are refused by every source.
 */
final class RangesTest extends TestCase
{
    private function log(): QuestionLog
    {
        return new QuestionLog($this->fixtures->dir . '/log.db');
    }

    public function testNegativeValuesNeverReachASizeT(): void
    {
        foreach ([-1, PHP_INT_MIN] as $value) {
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->engine->itemId($value), 'index');
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->log()->inbox(limit: $value), 'limit');
            $this->assertThrowsChatbot(InvalidArgumentException::class,
                fn () => new QuestionLog($this->fixtures->dir . '/q.db', $value), 'queueCapacity');
        }
        // Inside size_t but past the items: the library's own refusal.
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->engine->itemId(PHP_INT_MAX));
    }

    public function testValuesBeyondInt32AndUint32AreRefused(): void
    {
        foreach ([2147483648, 4294967296 + 5, PHP_INT_MAX, -2147483649, PHP_INT_MIN] as $value) {
            $this->assertThrowsChatbot(InvalidArgumentException::class,
                fn () => $this->engine->match('badge', 5, maxSuggestions: $value), 'maxSuggestions');
            $this->assertThrowsChatbot(InvalidArgumentException::class,
                fn () => Engine::build($this->fixtures->tsv(), maxSuggestions: $value), 'maxSuggestions');
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->engine->match('badge', $value), 'top_k');
            // stats' top is a uint32_t: 2^32 + 5 would have been 5.
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->log()->stats(top: $value), 'top');
            // purge's days is an int.
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->log()->purge($value), 'days');
        }
    }

    public function testInt64ExtremesPassUnchanged(): void
    {
        $log = $this->log();
        $this->assertThrowsChatbot(\Chatbot\NotFoundException::class, fn () => $log->feedback(PHP_INT_MAX, 'wrong'));
        $row = $log->record('badge', $this->engine->match('badge'), conversation: 'c', latencyUs: PHP_INT_MAX, sync: true);
        $this->assertIsInt($row);
        $this->assertSame(1, $log->stats(since: PHP_INT_MIN, until: PHP_INT_MAX)['questions']);
        $log->close();
    }

    public function testAnInstantBeyondInt64MillisecondsIsRefusedNotClamped(): void
    {
        $log = $this->log();
        foreach (['@9300000000000000', '@-9300000000000000'] as $far) {
            $moment = new \DateTimeImmutable($far);
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $log->stats(since: $moment), 'since is out of range');
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $log->stats(until: $moment), 'until is out of range');
        }
        // Ordinary instants, milliseconds included, still count; before 1970 too.
        $log->record('badge', $this->engine->match('badge'), conversation: 'c', timeMs: 1_600_000_000_123);
        $log->flush();
        $this->assertSame(1, $log->stats(since: new \DateTimeImmutable('@1600000000.123'))['questions']);
        $this->assertSame(0, $log->stats(since: new \DateTimeImmutable('@1600000000.124'))['questions']);
        $this->assertSame(1, $log->stats(since: new \DateTimeImmutable('@-1.5'))['questions']);
        $log->close();
    }

    public function testANulInAnIdIsRefusedWithItsRow(): void
    {
        $tsv = $this->fixtures->write('nul.tsv', "badge\tj'ai perdu mon badge\nbadge\0b\tbadge perdu\n");
        $json = $this->fixtures->write('nul.json', '{"items": [{"id": "badge", "question": "badge perdu"},'
            . "\n" . '{"id": "badge\u0000", "question": "quand est versé le salaire"}]}');
        foreach ([$tsv, $json] as $source) {
            $e = $this->assertThrowsChatbot(InvalidSourceException::class, fn () => Engine::build($source), 'control character');
            $errors = array_values(array_filter($e->getDiagnostics(), fn ($d) => $d->isError()));
            $this->assertCount(1, $errors);
            $this->assertSame(2, $errors[0]->row);
            $this->assertSame('id_control_character', $errors[0]->code);
        }
    }
}
