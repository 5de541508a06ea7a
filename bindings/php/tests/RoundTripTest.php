<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\Decision;
use Chatbot\Engine;
use Chatbot\InvalidArgumentException;
use Chatbot\IOException;
use Chatbot\QuestionLog;

/**
 * The inbox round trip from PHP: match -> record -> review -> QuestionLog::apply() (the source
 * workbook, a warm rebuild of the index) -> Engine::reload() -> the new phrasing is answered;
 * and Engine::exportTemplate().
 */
final class RoundTripTest extends TestCase
{
    private const PHRASING = "je souhaite déposer une demande d'absence";

    private string $source;
    private string $index;
    private Engine $deployed;

    protected function setUp(): void
    {
        parent::setUp();
        $fixture = __DIR__ . '/../../../Tests/Fixtures/usine/template.xlsx';
        $this->source = $this->fixtures->dir . '/template.xlsx';
        copy($fixture, $this->source);
        $this->index = $this->fixtures->dir . '/modele.cbindex';
        $built = Engine::build($this->source);
        $built->save($this->index);
        $built->close();
        $this->deployed = Engine::open($this->index);
    }

    protected function tearDown(): void
    {
        $this->deployed->close();
        parent::tearDown();
    }

    public function testRoundTrip(): void
    {
        $before = $this->deployed->match(self::PHRASING);
        $this->assertFalse($before->decision === Decision::ANSWER && $before->matches[0]->id === 'conges');
        $log = new QuestionLog($this->fixtures->dir . '/log.db');
        $log->record(self::PHRASING, $before, conversation: 'c1');
        $log->flush();
        $rows = array_values(array_filter($log->inbox(), fn ($r) => $r['question'] === self::PHRASING));
        $this->assertCount(1, $rows);
        $id = $rows[0]['id'];
        $log->review($id, 'accept', 'conges');

        $report = $log->apply($this->source, $this->index);
        $this->assertSame(1, $report['applied']);
        $this->assertSame(1, $report['marked']);
        $this->assertSame([['id' => $id, 'item' => 'conges', 'question' => self::PHRASING]], $report['added']);
        $this->assertSame([], $report['skipped']);
        $this->assertSame([], $report['pending']);
        $this->assertSame($this->index, $report['index']);
        $this->assertTrue($report['warm_start']);
        $this->assertIsNumeric($report['rebuild_ms']);
        $this->assertFileExists($report['backup']);

        $this->deployed->reload($this->index);
        $after = $this->deployed->match(self::PHRASING);
        $this->assertSame(Decision::ANSWER, $after->decision);
        $this->assertSame('conges', $after->matches[0]->id);

        $again = $log->apply($this->source, $this->index);
        $this->assertSame(0, $again['applied']);
        $this->assertNull($again['backup']);
        $this->assertNull($again['index']);
        $this->assertCount(1, glob($this->fixtures->dir . '/template.xlsx.bak-*'));
        $log->close();
    }

    public function testApplyErrors(): void
    {
        $log = new QuestionLog($this->fixtures->dir . '/log.db');
        $ods = $this->fixtures->dir . '/modele.ods';
        copy(__DIR__ . '/../../../Tests/Fixtures/usine/template.ods', $ods);
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $log->apply($ods), '.ods');
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $log->apply($this->index), 'compiled index');
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $log->apply($this->source, $this->source));
        $this->assertSame(0, $log->apply($this->source)['applied']);
        $log->close();
        $readOnly = new QuestionLog($this->fixtures->dir . '/log.db', readOnly: true);
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $readOnly->apply($this->source), 'read-only');
        $readOnly->close();
    }

    public function testExportTemplate(): void
    {
        $out = $this->fixtures->dir . '/export.xlsx';
        Engine::exportTemplate($this->index, $out);
        $rebuilt = Engine::build($out);
        $this->assertSame($this->deployed->itemCount(), $rebuilt->itemCount());
        $rebuilt->close();
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => Engine::exportTemplate($this->index, $out), 'exists');
        Engine::exportTemplate($this->index, $out, overwrite: true);
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => Engine::exportTemplate($out, $out, true), 'input itself');
        $this->assertThrowsChatbot(InvalidArgumentException::class,
            fn () => Engine::exportTemplate($this->source, $this->fixtures->dir . '/out.ods'));
        $csv = $this->fixtures->dir . '/export.csv';
        Engine::exportTemplate($this->source, $csv);
        $this->assertStringStartsWith("\xEF\xBB\xBFID;", file_get_contents($csv));
        $this->assertThrowsChatbot(IOException::class,
            fn () => Engine::exportTemplate($this->fixtures->dir . '/missing.xlsx', $this->fixtures->dir . '/x.xlsx'));
    }
}
