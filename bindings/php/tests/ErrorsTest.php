<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\ChatbotException;
use Chatbot\Engine;
use Chatbot\InternalException;
use Chatbot\InvalidArgumentException;
use Chatbot\InvalidIndexException;
use Chatbot\InvalidSourceException;
use Chatbot\InvalidUtf8Exception;
use Chatbot\IOException;
use Chatbot\Library;
use Chatbot\OutOfMemoryException;

/** Every error path gives a ChatbotException subclass with the library's message. */
final class ErrorsTest extends TestCase
{
    public function testMissingIndex(): void
    {
        $missing = $this->fixtures->dir . '/missing.cbindex';
        $e = $this->assertThrowsChatbot(IOException::class, fn () => Engine::open($missing), $missing);
        $this->assertSame(2, $e->getCode());
        $this->assertThrowsChatbot(ChatbotException::class, fn () => Engine::open($this->fixtures->dir));
    }

    public function testCorruptedTruncatedAndForeignIndexes(): void
    {
        $data = file_get_contents($this->fixtures->dir . '/faq.cbindex');
        $middle = intdiv(strlen($data), 2);
        $corrupt = substr_replace($data, chr(ord($data[$middle]) ^ 0xFF), $middle, 1);
        $paths = [
            $this->fixtures->write('corrupt.cbindex', $corrupt),
            $this->fixtures->write('truncated.cbindex', substr($data, 0, 40)),
            $this->fixtures->write('text.cbindex', "ceci n'est pas un index\n"),
        ];
        foreach ($paths as $path) {
            $e = $this->assertThrowsChatbot(InvalidIndexException::class, fn () => Engine::open($path));
            $this->assertSame(3, $e->getCode());
        }
        $this->assertThrowsChatbot(InvalidIndexException::class, fn () => Engine::fromBytes($corrupt));
        $this->assertThrowsChatbot(InvalidIndexException::class, fn () => Engine::fromBytes(str_repeat('garbage', 10)));
    }

    public function testFromBytesArguments(): void
    {
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => Engine::fromBytes(''));
        foreach ([null, 42, ['a'], new \stdClass()] as $bad) {
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => Engine::fromBytes($bad), 'data must be');
        }
    }

    public function testMalformedSourcesNameTheFile(): void
    {
        $csv = $this->fixtures->write('bad.csv', "id;question;colonne_inconnue\nx;une question;valeur\n");
        $e = $this->assertThrowsChatbot(InvalidSourceException::class, fn () => Engine::build($csv), 'bad.csv');
        $this->assertSame(4, $e->getCode());
        $json = $this->fixtures->write('bad.json', '{"items": [{"id": "x"}]}');
        $this->assertThrowsChatbot(InvalidSourceException::class, fn () => Engine::build($json));
        $synonyms = $this->fixtures->write('syn.txt', "congé\n");
        $this->assertThrowsChatbot(InvalidSourceException::class, fn () => Engine::build($this->fixtures->tsv(), $synonyms), 'syn.txt');
        $odd = $this->fixtures->write('faq.xlsx', 'x');
        $this->assertThrowsChatbot(ChatbotException::class, fn () => Engine::build($odd));
    }

    public function testMissingSourceAndSynonyms(): void
    {
        $this->assertThrowsChatbot(IOException::class, fn () => Engine::build($this->fixtures->dir . '/absent.tsv'));
        $this->assertThrowsChatbot(IOException::class, fn () => Engine::build($this->fixtures->tsv(), $this->fixtures->dir . '/absent.txt'));
    }

    public function testSaveIntoAMissingDirectory(): void
    {
        $this->assertThrowsChatbot(IOException::class, fn () => $this->engine->save($this->fixtures->dir . '/no/such/x.cbindex'));
    }

    public function testInvalidUtf8IsAnException(): void
    {
        $bad = "badge \xC3\x28 perdu";
        $calls = [
            fn () => $this->engine->match($bad),
            fn () => $this->engine->match("\xFF"),
            fn () => $this->engine->match("\xED\xA0\x80"), // an encoded surrogate
            fn () => $this->engine->match("\xC0\xAF"),     // an overlong encoding
            fn () => $this->engine->match('badge', 5, $bad),
            fn () => $this->engine->matchJson($bad),
            fn () => $this->engine->analyze($bad),
            fn () => $this->engine->rankBatch(['ok', $bad]),
            fn () => $this->engine->save($this->fixtures->dir . "/\xFF.cbindex"),
            fn () => Engine::open($this->fixtures->dir . "/\xFF.cbindex"),
            fn () => Engine::build($this->fixtures->dir . "/\xFF.tsv"),
        ];
        foreach ($calls as $call) {
            $e = $this->assertThrowsChatbot(InvalidUtf8Exception::class, $call, 'UTF-8');
            $this->assertSame(5, $e->getCode());
        }
        $this->assertThrowsChatbot(InvalidUtf8Exception::class, fn () => $this->engine->matchBatch(['ok', $bad]), 'questions[1]');
    }

    public function testNulBytesAreRejected(): void
    {
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->engine->match("badge\0perdu"), 'NUL');
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => Engine::open("faq\0.cbindex"), 'NUL');
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->engine->rankBatch(["a\0b"]), 'questions[0]');
    }

    public function testTopKOutOfRange(): void
    {
        foreach ([0, -1, 1001, PHP_INT_MAX, PHP_INT_MIN] as $topK) {
            foreach ([
                fn () => $this->engine->match('badge', $topK),
                fn () => $this->engine->matchBatch(['badge'], $topK),
                fn () => $this->engine->rankBatch(['badge'], $topK),
                fn () => $this->engine->matchJson('badge', $topK),
            ] as $call) {
                $this->assertThrowsChatbot(InvalidArgumentException::class, $call, 'top_k');
            }
        }
        $this->assertCount(1, $this->engine->match('badge', 1)->matches);
        $this->assertLessThanOrEqual(5, count($this->engine->match('badge', Engine::MAX_TOP_K)->matches));
    }

    public function testArgumentsOfTheWrongTypeAreChatbotExceptions(): void
    {
        foreach (['5', 5.0, true, null, []] as $topK) {
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->engine->match('badge', $topK), 'top_k');
        }
        foreach ([null, 42, 4.2, false, ['badge'], new \stdClass()] as $value) {
            foreach ([
                fn () => $this->engine->match($value),
                fn () => $this->engine->matchJson($value),
                fn () => $this->engine->analyze($value),
                fn () => $this->engine->matchBatch([$value]),
                fn () => $this->engine->rankBatch([$value]),
                fn () => $this->engine->match('badge', 5, $value ?? 42),
                fn () => $this->engine->save($value),
                fn () => Engine::open($value),
                fn () => Engine::build($value),
            ] as $call) {
                $this->assertThrowsChatbot(InvalidArgumentException::class, $call);
            }
        }
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->engine->matchBatch('badge'));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->engine->rankBatch('badge'));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => Engine::build($this->fixtures->tsv(), 42));
    }

    public function testItemIdOutOfRange(): void
    {
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->engine->itemId(5));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->engine->itemId(-1));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->engine->itemId('0'));
    }

    public function testVectorErrors(): void
    {
        $engine = Engine::build($this->fixtures->json());
        foreach ([[1.0, 0.0], [NAN, 0.0, 0.0], [INF, 0.0, 0.0], [0.0, 0.0, 0.0], []] as $bad) {
            $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $engine->match('congés', 5, null, $bad));
        }
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $engine->match('congés', 5, null, 'abc'));
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $engine->match('congés', 5, null, [1.0, 'x', 0.0]), 'vector[1]');
        // This index holds no embeddings.
        $this->assertThrowsChatbot(InvalidArgumentException::class, fn () => $this->engine->match('badge', 5, null, [1.0, 0.0, 0.0]));
    }

    public function testEachStatusMapsToItsClass(): void
    {
        $expected = [1 => InvalidArgumentException::class, 2 => IOException::class, 3 => InvalidIndexException::class,
            4 => InvalidSourceException::class, 5 => InvalidUtf8Exception::class, 6 => OutOfMemoryException::class,
            7 => InternalException::class];
        foreach ($expected as $status => $class) {
            $e = ChatbotException::forStatus($status, 'message');
            $this->assertSame($class, get_class($e));
            $this->assertSame($status, $e->getCode());
            $this->assertSame($status, $class::STATUS);
            $this->assertSame('message', $e->getMessage());
        }
        $unknown = ChatbotException::forStatus(99, 'odd');
        $this->assertSame(ChatbotException::class, get_class($unknown));
        $this->assertStringContainsString('99', $unknown->getMessage());
    }

    public function testLastErrorIsResetBySuccess(): void
    {
        $this->assertThrowsChatbot(IOException::class, fn () => Engine::open($this->fixtures->dir . '/none.cbindex'));
        $this->engine->match('badge');
        $this->assertSame('', Library::ffi()->cb_last_error());
    }
}
