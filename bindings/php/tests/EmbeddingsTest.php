<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\Decision;
use Chatbot\Engine;
use Chatbot\InvalidArgumentException;
use Chatbot\IOException;

/** Question embeddings at build time: the host's vectors in the learned model (the
 *  default), embeddingScale, and static word vectors (wordVectors, a .cbwv file). */
final class EmbeddingsTest extends TestCase
{
    private const SALAIRE = [0.0, 0.0, 1.0];

    private const KB = "conges\tcomment poser un congé\nconges\tdemander des congés\n"
        . "badge\tj'ai perdu mon badge\nbadge\tbadge perdu que faire\n"
        . "salaire\tquand est versé le salaire\n";

    /**
     * The asset: (word, frequency, Float16 bit patterns). Every value is exact in Float16:
     * 0 = 0x0000, 0.25 = 0x3400, 0.5 = 0x3800, 1 = 0x3C00. "vacances" points the way
     * "congé" and "congés" do; the base never uses it.
     */
    private const WORD_VECTORS = [
        ['congé', 1e-5, [0x3C00, 0x3400, 0, 0]],
        ['congés', 2e-5, [0x3C00, 0, 0x3400, 0]],
        ['vacances', 3e-5, [0x3C00, 0x3400, 0, 0x3400]],
        ['badge', 1e-6, [0, 0x3C00, 0, 0x3400]],
        ['carte', 5e-5, [0x3400, 0x3C00, 0, 0]],
        ['accès', 1e-5, [0, 0x3C00, 0x3400, 0]],
        ['perdu', 2e-5, [0, 0x3800, 0x3800, 0]],
        ['de', 0.03, [0x3400, 0x3400, 0x3400, 0x3400]],
    ];

    /** A .cbwv file: "CBWV", version 1, count, dimension, flags 0, then per word its UInt16
     *  length, the UTF-8 word, a Float32 frequency and the Float16 values (little-endian). */
    private static function cbwv(array $entries, int $dims): string
    {
        $out = 'CBWV' . pack('VVVV', 1, count($entries), $dims, 0);
        foreach ($entries as [$word, $frequency, $values]) {
            $out .= pack('v', strlen($word)) . $word . pack('g', $frequency);
            foreach ($values as $bits) {
                $out .= pack('v', $bits);
            }
        }
        return $out;
    }

    private function kb(): string
    {
        return $this->fixtures->write('kb.tsv', self::KB);
    }

    private function asset(): string
    {
        return $this->fixtures->write('fr.cbwv', self::cbwv(self::WORD_VECTORS, 4));
    }

    public function testByDefaultTheHostsVectorsEnterTheModel(): void
    {
        $engine = Engine::build($this->fixtures->json());
        $e = $this->assertThrowsChatbot(InvalidArgumentException::class,
            fn () => $engine->match('quand est versé le salaire'), 'takes question embeddings as input');
        $this->assertStringContainsString('embedding scale 0', $e->getMessage());
        $this->assertThrowsChatbot(InvalidArgumentException::class,
            fn () => $engine->matchJson('quand est versé le salaire'), 'takes question embeddings as input');
        $result = $engine->match('quand est versé le salaire', 5, null, self::SALAIRE);
        $this->assertSame(Decision::ANSWER, $result->decision);
        $this->assertSame('salaire', $result->matches[0]->id);
    }

    public function testScaleZeroAnswersWithoutAVector(): void
    {
        $engine = Engine::build($this->fixtures->json(), embeddingScale: 0);
        $this->assertSame('salaire', $engine->match('quand est versé le salaire')->matches[0]->id);
        $this->assertSame('salaire', $engine->match('quand est versé le salaire', 5, null, self::SALAIRE)->matches[0]->id);
        foreach ([0.5, 3, 100] as $scale) {
            $engine = Engine::build($this->fixtures->json(), embeddingScale: $scale);
            $this->assertSame('salaire', $engine->match('quand est versé le salaire', 5, null, self::SALAIRE)->matches[0]->id);
        }
    }

    public function testScaleOutOfRange(): void
    {
        foreach ([-1, -0.5, 100.5, 1e9, NAN, INF, -INF] as $scale) {
            $this->assertThrowsChatbot(InvalidArgumentException::class,
                fn () => Engine::build($this->fixtures->json(), embeddingScale: $scale), 'embeddingScale must be between 0 and 100');
        }
        foreach (['2', true, [2]] as $scale) {
            $this->assertThrowsChatbot(InvalidArgumentException::class,
                fn () => Engine::build($this->fixtures->json(), embeddingScale: $scale), 'embeddingScale must be a number or null');
        }
    }

    public function testWordVectorsMatchWordsTheBaseNeverUsed(): void
    {
        $engine = Engine::build($this->kb(), wordVectors: $this->asset());
        $this->assertSame(4, $engine->embeddingDimension());
        $this->assertSame('conges', $engine->match('vacances')->matches[0]->id);
        $stored = $engine->match("j'ai perdu mon badge");
        $this->assertSame(Decision::ANSWER, $stored->decision);
        $this->assertSame('badge', $stored->matches[0]->id);
        // It embeds questions itself.
        $this->assertThrowsChatbot(InvalidArgumentException::class,
            fn () => $engine->match('vacances', 5, null, [1.0, 0.0, 0.0, 0.0]), 'embeds questions itself');
        // The scale applies to the word vectors.
        $engine = Engine::build($this->kb(), wordVectors: $this->asset(), embeddingScale: 1);
        $this->assertSame('conges', $engine->match('vacances')->matches[0]->id);
        $this->assertThrowsChatbot(InvalidArgumentException::class,
            fn () => Engine::build($this->kb(), wordVectors: $this->asset(), embeddingScale: 101), 'embeddingScale');
    }

    public function testWordVectorsAndTheHostsVectorsAreExclusive(): void
    {
        $this->assertThrowsChatbot(InvalidArgumentException::class,
            fn () => Engine::build($this->fixtures->json(), wordVectors: $this->asset()), 'one or the other');
    }

    public function testMissingAndMalformedWordVectors(): void
    {
        $missing = $this->fixtures->dir . '/missing.cbwv';
        $this->assertThrowsChatbot(IOException::class, fn () => Engine::build($this->kb(), wordVectors: $missing), 'missing.cbwv');
        $full = self::cbwv(self::WORD_VECTORS, 4);
        $cases = [
            'bad magic' => 'CBXX' . str_repeat("\0", 40),
            'truncated' => substr($full, 0, -3),
            'empty' => '',
            'zero frequency' => self::cbwv([['congé', 0.0, [0x3C00, 0, 0, 0]]], 4),
        ];
        foreach ($cases as $name => $data) {
            $bad = $this->fixtures->write('bad.cbwv', $data);
            $e = $this->assertThrowsChatbot(InvalidArgumentException::class,
                fn () => Engine::build($this->kb(), wordVectors: $bad), 'bad.cbwv');
            $this->assertStringNotContainsString('Fatal', $e->getMessage(), $name);
        }
        $this->assertThrowsChatbot(InvalidArgumentException::class,
            fn () => Engine::build($this->kb(), wordVectors: 4), 'wordVectors must be a string');
    }
}
