<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\Button;
use Chatbot\ButtonsMessage;
use Chatbot\ChatbotException;
use Chatbot\ClosedEngineException;
use Chatbot\Decision;
use Chatbot\Diagnostic;
use Chatbot\Engine;
use Chatbot\ImageMessage;
use Chatbot\InternalException;
use Chatbot\InvalidArgumentException;
use Chatbot\InvalidSourceException;
use Chatbot\IOException;
use Chatbot\Item;
use Chatbot\Messages;
use Chatbot\NotFoundException;
use Chatbot\QuickRepliesMessage;
use Chatbot\TextMessage;
use Chatbot\UnknownMessage;

/** Replies, suggestions, item lookup, decision options and source diagnostics. */
final class ReplyItemsTest extends TestCase
{
    private Engine $rich;

    protected function setUp(): void
    {
        parent::setUp();
        $this->rich = Engine::build($this->fixtures->rich());
    }

    protected function tearDown(): void
    {
        $this->rich->close();
        parent::tearDown();
    }

    /** @return list<\Chatbot\Message> */
    private static function congesMessages(): array
    {
        return [
            new TextMessage('Sur le portail RH.'),
            new ImageMessage('https://intranet/conges.png'),
            new ButtonsMessage([new Button('Ouvrir le portail', url: 'https://rh'), new Button('Les RTT', item: 'rtt')]),
        ];
    }

    private static function hasReservedId(array $matches): bool
    {
        foreach ($matches as $m) {
            if (str_starts_with($m->id, 'phrase_') || str_starts_with($m->id, 'st_')) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ messages

    public function testParseEveryMessageType(): void
    {
        $parsed = Messages::fromArray([
            ['type' => 'text', 'text' => 'x'], ['type' => 'image', 'url' => 'u'],
            ['type' => 'buttons', 'buttons' => [['title' => 'a', 'url' => 'u'], ['title' => 'b', 'item' => 'i']]],
            ['type' => 'quick_replies', 'buttons' => [['title' => 'c', 'item' => 'j']]],
            ['type' => 'video', 'url' => 'v'],
        ]);
        $this->assertEquals([new TextMessage('x'), new ImageMessage('u'),
            new ButtonsMessage([new Button('a', 'u'), new Button('b', null, 'i')]),
            new QuickRepliesMessage([new Button('c', null, 'j')]),
            new UnknownMessage('video', ['type' => 'video', 'url' => 'v'])], $parsed);
        $this->assertSame(['text', 'image', 'buttons', 'quick_replies', 'video'], array_map(fn ($m) => $m->type(), $parsed));
        $this->assertThrowsChatbot(InternalException::class, fn () => Messages::fromArray([['type' => 'text']]));
    }

    public function testMessagesAreReadonly(): void
    {
        $text = new TextMessage('a');
        $this->expectException(\Error::class);
        $text->text = 'b'; // @phpstan-ignore-line
    }

    // ------------------------------------------------------------------ reply and suggestions

    public function testAnswerReplyIsTheItemsMessages(): void
    {
        $result = $this->rich->match('Comment poser un congé ?');
        $this->assertSame(Decision::ANSWER, $result->decision);
        $this->assertSame('conges', $result->matches[0]->id);
        $this->assertEquals(self::congesMessages(), $result->reply);
        $this->assertEquals($this->rich->item('conges')->messages, $result->reply);
        $this->assertSame(1, $result->suggestions);
        $this->assertSame(['conges'], array_map(fn ($m) => $m->id, $result->suggested));
    }

    public function testFollowingAnItemButton(): void
    {
        $buttons = $this->rich->match('Comment poser un congé ?')->reply[2];
        $this->assertInstanceOf(ButtonsMessage::class, $buttons);
        $target = $buttons->buttons[1]->item;
        $this->assertSame('rtt', $target);
        $this->assertEquals(new Item('rtt', 'RH', 'Combien de RTT ai-je ?', ['nombre de jours de RTT'],
            [new TextMessage('12 jours par an.')], false, null), $this->rich->item($target));
    }

    public function testAnswerFromPlainAnswerField(): void
    {
        $result = $this->rich->match("j'ai perdu mon badge");
        $this->assertSame(Decision::ANSWER, $result->decision);
        $this->assertEquals([new TextMessage("Appelez l'accueil.")], $result->reply);
    }

    public function testHorsSujetQuestionFallsBackWithItsText(): void
    {
        $result = $this->rich->match('Quel temps fait-il ?');
        $this->assertSame(Decision::FALLBACK, $result->decision);
        $this->assertContainsEquals(new TextMessage("Je ne sais répondre qu'aux questions RH."), $result->reply);
        $this->assertFalse(self::hasReservedId($result->suggested));
    }

    public function testReservedItemsAreNeverSuggested(): void
    {
        foreach (['Quel temps fait-il ?', 'congé', 'badge', 'RTT', 'bonjour', 'capitale', 'portail'] as $question) {
            foreach ([null, 1.0] as $threshold) {
                $result = $this->rich->match($question, answerThreshold: $threshold);
                $this->assertCount($result->suggestions, $result->suggested);
                $this->assertFalse(self::hasReservedId($result->suggested), $question);
                foreach ($result->suggested as $m) {
                    $this->assertContains($m, $result->matches);
                }
            }
        }
    }

    public function testMatchBatchAndJsonCarryTheSameReply(): void
    {
        $single = $this->rich->match('Comment poser un congé ?');
        $this->assertEquals($single, $this->rich->matchBatch(['Comment poser un congé ?'])[0]);
        $json = $this->rich->matchJson('Comment poser un congé ?', answerThreshold: 1.0);
        $typed = $this->rich->match('Comment poser un congé ?', answerThreshold: 1.0);
        $this->assertSame($typed->decision, $json['decision']);
        $this->assertSame(array_map(fn ($m) => $m->id, $typed->suggested),
            array_map(fn ($i) => $json['matches'][$i]['id'], $json['suggested']));
        $this->assertEquals($typed->reply, Messages::fromArray($json['reply']));
    }

    // ------------------------------------------------------------------ item lookup

    public function testItemWithoutQuestion(): void
    {
        $item = $this->rich->item('phrase_presentation');
        $this->assertSame('phrase_presentation', $item->id);
        $this->assertNull($item->question);
        $this->assertSame([], $item->alternatives);
        $this->assertEquals([new TextMessage("Bonjour, je suis l'assistant RH.")], $item->messages);
        $this->assertFalse($item->hidden);
        $this->assertNull($item->expires);
    }

    public function testItemWithEverything(): void
    {
        $item = $this->rich->item('conges');
        $this->assertSame(['RH', 'Comment poser un congé ?'], [$item->category, $item->question]);
        $this->assertSame(['Je veux poser des vacances', 'poser un jour de congé'], $item->alternatives);
        $this->assertEquals(self::congesMessages(), $item->messages);
    }

    public function testItemExpiryAndHidden(): void
    {
        $source = $this->fixtures->write('dates.json', '{"items": ['
            . '{"id": "a", "question": "une question", "answer": "x", "expires_at": "2031-05-17"},'
            . '{"id": "b", "question": "autre question", "answer": "y", "hidden": true}]}');
        $engine = Engine::build($source);
        $this->assertSame('2031-05-17', $engine->item('a')->expires?->format('Y-m-d'));
        $this->assertTrue($engine->item('b')->hidden);
        $engine->close();
    }

    public function testUnknownItemThrowsNotFound(): void
    {
        $e = $this->assertThrowsChatbot(NotFoundException::class, fn () => $this->rich->item('inconnu'), 'inconnu');
        $this->assertSame(8, $e->getCode());
        $this->assertSame(8, NotFoundException::STATUS);
        $this->assertSame(NotFoundException::class, get_class(ChatbotException::forStatus(8, 'm')));
        $this->assertThrowsChatbot(NotFoundException::class, fn () => $this->rich->item(''));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->rich->item(3));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->rich->item("a\0b"));
        $closed = Engine::build($this->fixtures->rich());
        $closed->close();
        $this->assertThrowsChatbot(ClosedEngineException::class, fn () => $closed->item('rtt'));
    }

    // ------------------------------------------------------------------ decision options

    public function testAnswerThresholdOneTurnsAnAnswerIntoASuggestion(): void
    {
        $result = $this->rich->match('Comment poser un congé ?', answerThreshold: 1.0);
        $this->assertContains($result->decision, [Decision::SUGGEST, Decision::FALLBACK]);
        if ($result->decision === Decision::SUGGEST) {
            $this->assertSame('conges', $result->suggested[0]->id);
        }
    }

    public function testZeroThresholdsAnswer(): void
    {
        // suggestionFloor must not exceed answerThreshold, so it goes to 0 too.
        $result = $this->rich->match('Combien de RTT', answerThreshold: 0.0, ambiguityMargin: 0.0, suggestionFloor: 0.0);
        $this->assertSame(Decision::ANSWER, $result->decision);
        $this->assertSame('rtt', $result->matches[0]->id);
        $this->assertEquals([new TextMessage('12 jours par an.')], $result->reply);
    }

    public function testBuildSettingsAreStoredInTheIndex(): void
    {
        $strict = Engine::build($this->fixtures->rich(), answerThreshold: 1.0);
        $this->assertNotSame(Decision::ANSWER, $strict->match('Comment poser un congé ?')->decision);
        $path = $this->fixtures->dir . '/strict.cbindex';
        $strict->save($path);
        $strict->close();
        $reopened = Engine::open($path);
        $this->assertNotSame(Decision::ANSWER, $reopened->match('Comment poser un congé ?')->decision);
        $this->assertSame(Decision::ANSWER, $reopened->match('Comment poser un congé ?', answerThreshold: 0.5)->decision);
        $reopened->close();
    }

    public function testMaxSuggestionsAndCategory(): void
    {
        $result = $this->rich->match('poser RTT badge', answerThreshold: 1.0, suggestionFloor: 0.0, maxSuggestions: 1);
        $this->assertLessThanOrEqual(1, $result->suggestions);
        foreach ($this->rich->match('poser', 10, category: 'Sécurité', answerThreshold: 1.0)->matches as $m) {
            $this->assertSame('Sécurité', $m->category);
        }
    }

    public function testInvalidSettings(): void
    {
        $bad = [['answerThreshold' => 1.5], ['ambiguityMargin' => 2.0], ['suggestionFloor' => 1.5], ['maxSuggestions' => 101],
            ['answerThreshold' => NAN], ['answerThreshold' => 0.2, 'suggestionFloor' => 0.5]];
        foreach ($bad as $options) {
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->rich->match('badge', ...$options));
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->rich->matchJson('badge', ...$options));
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => Engine::build($this->fixtures->rich(), ...$options));
        }
        foreach ([['answerThreshold' => '0.5'], ['maxSuggestions' => 2.0]] as $options) {
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->rich->match('badge', ...$options));
        }
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => Engine::build($this->fixtures->rich(), smallTalk: 1));
        $this->assertNotSame('', $this->rich->match('badge', answerThreshold: 1)->decision);
    }

    public function testSmallTalk(): void
    {
        $engine = Engine::build($this->fixtures->rich(), smallTalk: true);
        $result = $engine->match('bonjour');
        $this->assertSame(Decision::ANSWER, $result->decision);
        $this->assertStringStartsWith('st_', $result->matches[0]->id);
        $this->assertInstanceOf(TextMessage::class, $result->reply[0]);
        $this->assertEquals($engine->item($result->matches[0]->id)->messages, $result->reply);
        $engine->close();
        foreach ($this->rich->match('bonjour')->matches as $m) {
            $this->assertStringStartsNotWith('st_', $m->id);
        }
    }

    public function testBuildWithoutLearning(): void
    {
        $engine = Engine::build($this->fixtures->rich(), learn: false);
        $this->assertSame('conges', $engine->match('Comment poser un congé ?')->matches[0]->id);
        $engine->close();
    }

    // ------------------------------------------------------------------ diagnostics

    public function testRefusedTemplateReportsEveryRow(): void
    {
        $path = $this->fixtures->templateBad();
        $e = $this->assertThrowsChatbot(InvalidSourceException::class, fn () => Engine::build($path), 'usine_erreurs.csv');
        $this->assertInstanceOf(InvalidSourceException::class, $e);
        $diagnostics = $e->getDiagnostics();
        $errors = array_values(array_map(fn (Diagnostic $d) => [$d->row, $d->code],
            array_filter($diagnostics, fn (Diagnostic $d) => $d->isError())));
        $this->assertSame([[3, 'missing_type'], [4, 'needs_text_before'], [5, 'missing_id']], $errors);
        $warnings = array_map(fn (Diagnostic $d) => [$d->row, $d->code],
            array_filter($diagnostics, fn (Diagnostic $d) => $d->severity === Diagnostic::WARNING));
        $this->assertContains([6, 'no_category'], $warnings);
        $rows = array_map(fn (Diagnostic $d) => $d->row, $diagnostics);
        $sorted = $rows;
        sort($sorted);
        $this->assertSame($sorted, $rows);
        $byCode = array_column(array_map(fn (Diagnostic $d) => ['code' => $d->code, 'd' => $d], $diagnostics), 'd', 'code');
        $this->assertSame('D', $byCode['missing_type']->column);
        $this->assertSame('A', $byCode['missing_id']->column);
        $this->assertStringContainsString('row 3, column D', (string) $byCode['missing_type']);
        foreach ($diagnostics as $d) {
            $this->assertNotSame('', $d->message);
        }
    }

    public function testTemplateWarningsReachTheEngine(): void
    {
        $engine = Engine::build($this->fixtures->templateGood());
        $noCategory = array_values(array_filter($engine->buildDiagnostics(), fn (Diagnostic $d) => $d->code === 'no_category'));
        $this->assertEquals([new Diagnostic(Diagnostic::WARNING, 4, 'B', 'no_category', "La catégorie n'est pas renseignée.")],
            $noCategory);
        foreach ($engine->buildDiagnostics() as $d) {
            $this->assertFalse($d->isError());
        }
        $this->assertEquals([new TextMessage('Sur le portail RH.'),
            new ButtonsMessage([new Button('Les RTT', item: 'rtt'), new Button('Le portail', url: 'https://rh')])],
            $engine->item('conges')->messages);
        $engine->close();
    }

    public function testNoDiagnosticsOutsideBuild(): void
    {
        $this->assertSame([], $this->engine->buildDiagnostics());
        $this->assertThrowsChatbot(IOException::class, fn () => Engine::build($this->fixtures->dir . '/absent.csv'));
    }

    /** The Usine template workbooks made by Tests/Fixtures/usine/generate.py. */
    private static function usineFixture(string $name): string
    {
        return dirname(__DIR__, 3) . '/Tests/Fixtures/usine/' . $name;
    }

    /** @return list<array{string}> */
    public static function workbooks(): array
    {
        return [['template.xlsx'], ['template.ods']];
    }

    /** @dataProvider workbooks */
    public function testWorkbooksBuildWithStructuredReplies(string $name): void
    {
        $engine = Engine::build(self::usineFixture($name));
        $this->assertSame([], $engine->buildDiagnostics());
        $result = $engine->match('Comment poser un congé ?');
        $this->assertSame(Decision::ANSWER, $result->decision);
        $this->assertEquals([
            new TextMessage('Sur le portail RH, rubrique Absences.'),
            new ImageMessage('https://intranet.example/conges.png'),
            new TextMessage('Pour aller plus loin :'),
            new ButtonsMessage([new Button('Ouvrir le portail', url: 'https://rh.example'), new Button('Les RTT', item: 'rtt')]),
        ], $result->reply);
        $rtt = $engine->item('rtt');
        $this->assertSame('2098-12-31', $rtt->expires?->format('Y-m-d'));
        $this->assertEquals(new QuickRepliesMessage([new Button('Oui', item: 'rtt_details'), new Button('Non merci', item: 'phrase_feedback')]),
            $rtt->messages[count($rtt->messages) - 1]);
        $this->assertNull($engine->item('rtt_details')->question);
        $engine->close();
    }

    public function testAWorkbookWithErrorsReportsEveryRow(): void
    {
        $e = $this->assertThrowsChatbot(InvalidSourceException::class, fn () => Engine::build(self::usineFixture('errors.xlsx')));
        $this->assertInstanceOf(InvalidSourceException::class, $e);
        $errors = array_values(array_map(fn (Diagnostic $d) => [$d->row, $d->code],
            array_filter($e->getDiagnostics(), fn (Diagnostic $d) => $d->isError())));
        $this->assertSame([[2, 'missing_id'], [4, 'missing_type'], [5, 'needs_text_before'], [6, 'missing_answer'], [7, 'invalid_expiry']], $errors);
    }

    public function testAnEncryptedWorkbookIsRefusedClearly(): void
    {
        $e = $this->assertThrowsChatbot(InvalidSourceException::class, fn () => Engine::build(self::usineFixture('encrypted.xlsx')));
        $this->assertInstanceOf(InvalidSourceException::class, $e);
        $this->assertSame(['encrypted'], array_map(fn (Diagnostic $d) => $d->code, $e->getDiagnostics()));
    }
}
