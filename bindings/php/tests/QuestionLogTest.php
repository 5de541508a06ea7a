<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\ClosedException;
use Chatbot\ClosedLogException;
use Chatbot\Decision;
use Chatbot\InvalidArgumentException;
use Chatbot\IOException;
use Chatbot\NotFoundException;
use Chatbot\QuestionLog;

/**
 * The question log. With CHATBOT_TEST_LOG_BACKEND=postgresql (and CHATBOT_TEST_POSTGRESQL
 * naming a server, see scripts/with-postgres.sh) every log lives in a PostgreSQL schema of
 * its own instead of a file: `make test-php` runs this class both ways.
 */
final class QuestionLogTest extends TestCase
{
    /** @var array<string, string> log name => location, for this test */
    private array $locations = [];
    /** @var list<string> schemas to drop after this test */
    private array $schemas = [];

    private const QUESTIONS = [
        'comment poser des congés', "j'ai perdu mon badge", 'quand est versé le salaire',
        'la recette de la tarte aux pommes', 'quel temps fera-t-il demain à Tokyo', 'badge',
    ];

    private function location(string $name = 'log.db'): string
    {
        if (isset($this->locations[$name])) {
            return $this->locations[$name];
        }
        if (getenv('CHATBOT_TEST_LOG_BACKEND') !== 'postgresql') {
            return $this->locations[$name] = $this->fixtures->dir . '/' . $name;
        }
        $url = getenv('CHATBOT_TEST_POSTGRESQL');
        if ($url === false || $url === '') {
            $this->markTestSkipped('no PostgreSQL test server (scripts/with-postgres.sh)');
        }
        $schema = 'php_' . getmypid() . '_' . count($this->schemas) . '_' . bin2hex(random_bytes(4));
        self::psql($url, "CREATE SCHEMA $schema");
        $this->schemas[] = $schema;
        return $this->locations[$name] = $url . '?options=-csearch_path%3D' . $schema;
    }

    private static function psql(string $url, string $sql): void
    {
        $command = 'PGOPTIONS="-c client_min_messages=warning" psql -q -v ON_ERROR_STOP=1 '
            . escapeshellarg($url) . ' -c ' . escapeshellarg($sql) . ' 2>&1';
        exec($command, $output, $status);
        if ($status !== 0) {
            throw new \RuntimeException("psql failed: " . implode("\n", $output));
        }
    }

    protected function tearDown(): void
    {
        $url = getenv('CHATBOT_TEST_POSTGRESQL');
        foreach ($this->schemas as $schema) {
            self::psql((string) $url, "DROP SCHEMA $schema CASCADE");
        }
        parent::tearDown();
    }

    private function log(string $name = 'log.db'): QuestionLog
    {
        return new QuestionLog($this->location($name));
    }

    public function testASynchronousRecordReturnsTheIdForFeedback(): void
    {
        $log = $this->log();
        $q = "j'ai perdu mon badge, écrivez-moi à jean.dupont@exemple.fr";
        $id = $log->record($q, $this->engine->match($q), conversation: 'c1', sync: true);
        $this->assertIsInt($id);
        $this->assertGreaterThan(0, $id);
        $log->feedback($id, 'relevant');
        $this->assertNull($log->record('badge', $this->engine->match('badge'), conversation: 'c1'));
        $log->flush();
        $rows = array_column($log->inbox(limit: 10), null, 'id');
        $this->assertSame('relevant', $rows[$id]['feedback']);
        $this->assertSame("j'ai perdu mon badge, écrivez-moi à [EMAIL]", $rows[$id]['question']);
        $log->close();
    }

    public function testEndToEndStatsAndInbox(): void
    {
        $log = $this->log();
        $decisions = [];
        foreach (self::QUESTIONS as $q) {
            $result = $this->engine->match($q);
            $decisions[] = $result->decision;
            $log->record($q, $result, conversation: 'c1', channel: 'web', latencyUs: 120, kbVersion: 'kb-1');
        }
        $log->record('badge', $this->engine->match('badge'), conversation: 'c1', kind: 'click');
        $log->flush();
        $this->assertSame(0, $log->dropped());
        $counts = array_count_values($decisions);
        $answered = $counts[Decision::ANSWER] ?? 0;
        $fallbacks = $counts[Decision::FALLBACK] ?? 0;
        $stats = $log->stats();
        $this->assertSame(count(self::QUESTIONS), $stats['questions']);
        $this->assertSame($answered, $stats['answered']);
        $this->assertSame($fallbacks, $stats['fallbacks']);
        $this->assertSame(1, $stats['clicks']);
        $this->assertEqualsWithDelta($answered / count(self::QUESTIONS), $stats['answer_rate'], 1e-6);
        $this->assertNull($stats['never_asked']);
        $this->assertGreaterThan(0, $answered);
        $this->assertGreaterThan(0, $fallbacks);

        $inbox = $log->inbox();
        $this->assertCount(count(self::QUESTIONS), $inbox);
        $this->assertSame('badge', $inbox[0]['question']); // newest first
        $this->assertSame('kb-1', $inbox[0]['kb_version']);
        $pending = $log->inbox('pending');
        $this->assertCount($fallbacks, $pending);
        $this->assertCount(2, $log->inbox(null, 2));

        $byDay = $log->stats(new \DateTimeImmutable('2020-01-01'), null, 'day', $this->engine);
        $this->assertSame('day', $byDay['by']);
        $this->assertIsArray($byDay['never_asked']);
        $this->assertSame(0, $log->stats(null, 1000)['questions']);
        $log->close();
    }

    public function testFeedbackAndReview(): void
    {
        $log = $this->log();
        $log->record("j'ai perdu mon badge", $this->engine->match("j'ai perdu mon badge"), conversation: 'c');
        $log->record('la recette de la tarte aux pommes', $this->engine->match('la recette de la tarte aux pommes'),
            conversation: 'c');
        $log->flush();
        $ids = array_column($log->inbox(), 'id', 'question');
        $id = $ids["j'ai perdu mon badge"];
        $log->feedback($id, 'relevant');
        $log->feedback($id, 'relevant');
        $this->assertSame(1, $log->stats()['feedback']['relevant']);
        $log->review($id, 'accept');
        $log->review($id, 'accept'); // idempotent
        $log->review($ids['la recette de la tarte aux pommes'], 'out_of_scope');
        $this->assertSame([], $log->inbox());
        $this->assertThrowsChatbot(NotFoundException::class, fn () => $log->review(999999, 'archive'));
        $this->assertThrowsChatbot(NotFoundException::class, fn () => $log->feedback(999999, 'wrong'));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $log->review($id, 'relink'));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $log->review($id, 'maybe'));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $log->feedback($id, 'great'));
        $log->review($id, 'relink', 'conges');
    }

    public function testPurge(): void
    {
        $log = $this->log();
        $result = $this->engine->match('badge');
        $log->record('ancienne', $result, conversation: 'c', timeMs: 1_600_000_000_000);
        $log->record('récente', $result, conversation: 'c');
        $log->flush();
        $this->assertSame(1, $log->purge(30));
        $this->assertSame(0, $log->purge(30));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $log->purge(-1));
    }

    public function testErrors(): void
    {
        $this->assertThrowsChatbot(IOException::class, fn () => new QuestionLog($this->fixtures->dir . '/missing/sub/log.db'));
        $this->assertThrowsChatbot(IOException::class,
            fn () => new QuestionLog($this->fixtures->dir . '/absent.db', readOnly: true));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => new QuestionLog($this->fixtures->dir . '/x.db', 0));
        $log = $this->log();
        $result = $this->engine->match('badge');
        $this->assertThrowsChatbot(InvalidArgumentException::class,
            fn () => $log->record('q', $result, conversation: 'c', kind: 'letter'));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $log->inbox('bogus'));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $log->stats(null, null, 'month'));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $log->stats(2000, 1000));
    }

    public function testReadOnlySecondHandle(): void
    {
        $writer = $this->log('shared.db');
        $writer->record('badge', $this->engine->match('badge'), conversation: 'c');
        $writer->flush();
        $reader = new QuestionLog($this->location('shared.db'), readOnly: true);
        $this->assertSame(1, $reader->stats()['questions']);
        $this->assertThrowsChatbot(InvalidArgumentException::class,
            fn () => $reader->record('badge', $this->engine->match('badge'), conversation: 'c'));
        $reader->close();
        $writer->close();
    }

    public function testCloseFlushes(): void
    {
        $log = $this->log('c.db');
        $log->record('badge', $this->engine->match('badge'), conversation: 'c');
        $log->close();
        $log->close();
        $this->assertTrue($log->isClosed());
        $e = $this->assertThrowsChatbot(ClosedLogException::class, fn () => $log->stats());
        $this->assertInstanceOf(ClosedException::class, $e);
        $again = new QuestionLog($this->location('c.db'), readOnly: true);
        $this->assertSame(1, $again->stats()['questions']);
    }
}
