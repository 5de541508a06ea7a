<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\Anonymizer;
use Chatbot\ClosedAnonymizerException;
use Chatbot\ClosedException;
use Chatbot\InvalidArgumentException;
use Chatbot\InvalidUtf8Exception;
use Chatbot\Redacted;
use Chatbot\Redaction;

final class AnonymizerTest extends \PHPUnit\Framework\TestCase
{
    private const TEXT = 'Écrivez à jean.dupont@exemple.fr ou au 06 12 34 56 78, matricule M123456, le 12/03/2024.';
    private const MASKED = 'Écrivez à [EMAIL] ou au [TELEPHONE], matricule [MATRICULE], le 12/03/2024.';
    private const MASKED_BUILT_IN = 'Écrivez à [EMAIL] ou au [TELEPHONE], matricule M123456, le 12/03/2024.';

    public function testHostPatternAndBuiltInKinds(): void
    {
        $anonymizer = new Anonymizer(['MATRICULE' => 'M######']);
        $this->assertSame(self::MASKED, $anonymizer->anonymize(self::TEXT));
        $this->assertSame(['MATRICULE' => 'M######'], $anonymizer->patterns());
    }

    public function testWithoutPatternsTheMatriculeStays(): void
    {
        $this->assertSame(self::MASKED_BUILT_IN, (new Anonymizer())->anonymize(self::TEXT));
        $this->assertSame(self::MASKED_BUILT_IN, Anonymizer::builtIn()->anonymize(self::TEXT));
    }

    public function testRedactionsHaveByteOffsets(): void
    {
        $redacted = (new Anonymizer(['MATRICULE' => 'M######']))->redact(self::TEXT);
        $this->assertInstanceOf(Redacted::class, $redacted);
        $this->assertSame(self::MASKED, $redacted->text);
        $this->assertSame(['EMAIL', 'TELEPHONE', 'MATRICULE'], array_map(fn (Redaction $r) => $r->kind, $redacted->redactions));
        $email = $redacted->redactions[0];
        $this->assertSame([12, 34], [$email->start, $email->end]); // "É" and "à" are 2 bytes each
        $this->assertSame(['jean.dupont@exemple.fr', '06 12 34 56 78', 'M123456'],
            array_map(fn (Redaction $r) => substr(self::TEXT, $r->start, $r->end - $r->start), $redacted->redactions));
    }

    /** @return array<string, array{string}> */
    public static function invalidNames(): array
    {
        return ['reserved' => ['EMAIL'], 'empty' => [''], 'lower case' => ['matricule'], 'too long' => [str_repeat('A', 33)]];
    }

    /** @dataProvider invalidNames */
    public function testInvalidPatternName(string $name): void
    {
        $this->expectException(InvalidArgumentException::class);
        new Anonymizer([$name => 'M######']);
    }

    public function testArgumentErrors(): void
    {
        $this->expectException(InvalidArgumentException::class);
        new Anonymizer('MATRICULE');
    }

    public function testTemplateMustBeAString(): void
    {
        $this->expectException(InvalidArgumentException::class);
        new Anonymizer(['MATRICULE' => 42]);
    }

    public function testEmptyAndInvalidText(): void
    {
        $anonymizer = Anonymizer::builtIn();
        $this->assertSame('', $anonymizer->anonymize(''));
        $this->assertEquals(new Redacted('', []), $anonymizer->redact(''));
        try {
            $anonymizer->anonymize("\xC3\x28");
            $this->fail('invalid UTF-8 accepted');
        } catch (InvalidUtf8Exception $e) {
            $this->assertSame(5, $e->getCode());
        }
        try {
            $anonymizer->anonymize("a\0b");
            $this->fail('NUL accepted');
        } catch (InvalidArgumentException $e) {
            $this->assertStringContainsString('NUL', $e->getMessage());
        }
        $this->expectException(InvalidArgumentException::class);
        $anonymizer->anonymize(42);
    }

    public function testClosedAnonymizerThrows(): void
    {
        $anonymizer = new Anonymizer(['MATRICULE' => 'M######']);
        $anonymizer->close();
        $anonymizer->close();
        $this->assertTrue($anonymizer->isClosed());
        foreach ([fn () => $anonymizer->anonymize(self::TEXT), fn () => $anonymizer->redact(self::TEXT)] as $call) {
            try {
                $call();
                $this->fail('a closed anonymizer answered');
            } catch (ClosedAnonymizerException $e) {
                $this->assertInstanceOf(ClosedException::class, $e);
            }
        }
    }
}
