<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\Decision;
use Chatbot\Engine;
use Chatbot\MatchedItem;

final class MatchingTest extends TestCase
{
    public function testExactQuestionIsAnswered(): void
    {
        $result = $this->engine->match("j'ai perdu mon badge", 3);
        $this->assertSame(Decision::ANSWER, $result->decision);
        $this->assertSame('answer', $result->decision);
        $this->assertSame(1, $result->suggestions);
        $best = $result->matches[0];
        $this->assertInstanceOf(MatchedItem::class, $best);
        $this->assertSame('badge', $best->id);
        $this->assertSame("j'ai perdu mon badge", $best->question);
        $this->assertEqualsWithDelta(1.0, $best->score, 0.05);
        $this->assertSame('', $best->answer);
        $this->assertSame('', $best->category);
        $this->assertSame('badge', $this->engine->itemId($best->itemIndex));
    }

    public function testUnrelatedQuestionFallsBack(): void
    {
        $result = $this->engine->match('quelle est la couleur du ciel');
        $this->assertSame(Decision::FALLBACK, $result->decision);
        $this->assertSame(0, $result->suggestions);
    }

    public function testMatchesAreSortedBoundedAndUnique(): void
    {
        foreach (Fixtures::QUESTIONS as $question) {
            foreach ([1, 2, 5, 10] as $topK) {
                $result = $this->engine->match($question, $topK);
                $this->assertLessThanOrEqual(min($topK, 5), count($result->matches));
                $scores = array_map(fn (MatchedItem $m) => $m->score, $result->matches);
                $sorted = $scores;
                rsort($sorted);
                $this->assertSame($sorted, $scores);
                foreach ($scores as $score) {
                    $this->assertGreaterThanOrEqual(0.0, $score);
                    $this->assertLessThanOrEqual(1.0, $score);
                }
                $ids = array_map(fn (MatchedItem $m) => $m->id, $result->matches);
                $this->assertSame($ids, array_values(array_unique($ids)));
                $this->assertContains($result->decision, Decision::BY_CODE);
            }
        }
    }

    public function testAnswersAndCategoriesFromCsv(): void
    {
        $engine = Engine::build($this->fixtures->csv());
        $best = $engine->match("j'ai perdu mon badge")->matches[0];
        $this->assertSame(['badge', "Appelez l'accueil, poste 12.", 'Sécurité'], [$best->id, $best->answer, $best->category]);
        $question = 'badge perdu, congés et salaire';
        $categories = array_unique(array_map(fn ($m) => $m->category, $engine->match($question, 10)->matches));
        sort($categories);
        $this->assertSame(['RH', 'Sécurité'], $categories);
        $ids = array_map(fn ($m) => $m->id, $engine->match($question, 10, 'RH')->matches);
        sort($ids);
        $this->assertSame(['conges', 'salaire'], $ids);
        $this->assertSame([], $engine->match('badge', 5, 'Inconnue')->matches);
    }

    public function testSynonymsChangeTheMatch(): void
    {
        $plain = Engine::build($this->fixtures->tsv());
        $withSynonyms = Engine::build($this->fixtures->tsv(), $this->fixtures->synonyms());
        $this->assertSame('badge', $withSynonyms->match("carte d'accès")->matches[0]->id);
        $plainBest = $plain->match("carte d'accès")->matches[0]->id ?? null;
        $this->assertNotSame('badge', $plainBest);
    }

    public function testQueryVectorMovesTheRanking(): void
    {
        // Scale 0: the embeddings stay out of the learned model and only enter the
        // nearest-question cosine, so a question may come with or without its vector.
        $engine = Engine::build($this->fixtures->json(), embeddingScale: 0);
        $this->assertSame(3, $engine->embeddingDimension());
        $score = function ($result) {
            foreach ($result->matches as $m) {
                if ($m->id === 'badge') {
                    return $m->score;
                }
            }
            return 0.0;
        };
        $mixed = $engine->match('salaire', 3, null, [0, 1, 0]);
        $this->assertGreaterThan($score($engine->match('salaire', 3)), $score($mixed));
        $this->assertEquals($mixed, $engine->match('salaire', 3, null, [0.0, 1.0, 0.0]));
    }

    public function testMatchBatchEqualsSingleMatches(): void
    {
        foreach ([1, 3, 5] as $topK) {
            $single = array_map(fn ($q) => $this->engine->match($q, $topK), Fixtures::QUESTIONS);
            $this->assertEquals($single, $this->engine->matchBatch(Fixtures::QUESTIONS, $topK));
        }
        $this->assertSame([], $this->engine->matchBatch([]));
    }

    public function testRankBatchEqualsSingleMatches(): void
    {
        foreach ([1, 3, 10] as $topK) {
            $rankings = $this->engine->rankBatch(Fixtures::QUESTIONS, $topK);
            $this->assertCount(count(Fixtures::QUESTIONS), $rankings);
            foreach (Fixtures::QUESTIONS as $i => $question) {
                $single = $this->engine->match($question, $topK);
                $this->assertSame($single->decision, $rankings[$i]->decision);
                $this->assertSame(array_map(fn ($m) => $m->id, $single->matches), $rankings[$i]->ids);
                $this->assertSame(array_map(fn ($m) => $m->score, $single->matches), $rankings[$i]->scores);
            }
        }
        $this->assertSame([], $this->engine->rankBatch([]));
        // Keys do not matter: a map of questions is ranked in order.
        $this->assertEquals($this->engine->rankBatch(['a' => 'badge', 'b' => 'salaire']), $this->engine->rankBatch(['badge', 'salaire']));
    }

    public function testMatchJsonEqualsMatch(): void
    {
        foreach (Fixtures::QUESTIONS as $question) {
            $json = $this->engine->matchJson($question, 3);
            $typed = $this->engine->match($question, 3);
            $this->assertSame($typed->decision, $json['decision']);
            $this->assertSame($typed->suggestions, $json['suggestions']);
            $this->assertSame(array_map(fn ($m) => $m->id, $typed->matches), array_column($json['matches'], 'id'));
            $this->assertSame(array_map(fn ($m) => $m->question, $typed->matches), array_column($json['matches'], 'question'));
            foreach ($typed->matches as $j => $m) {
                $this->assertEqualsWithDelta($m->score, $json['matches'][$j]['score'], 1e-6);
            }
        }
    }

    public function testAnalyzeGivesTokensWithByteOffsets(): void
    {
        $text = 'Où sont mes congés ?';
        $analysis = $this->engine->analyze($text);
        $this->assertSame(['tokens', 'terms'], array_keys($analysis));
        $words = array_values(array_filter($analysis['tokens'], fn ($t) => $t['kind'] === 'word'));
        $this->assertSame(['où', 'sont', 'mes', 'congés'], array_column($words, 'text'));
        $this->assertSame(['Où', 'sont', 'mes', 'congés'], array_map(fn ($t) => substr($text, $t['start'], $t['end'] - $t['start']), $words));
        $this->assertSame([false, true, true, false], array_column($words, 'stop'));
        // Stop words are flagged; the default index keeps them among its terms.
        $this->assertSame(array_column($words, 'term'), $analysis['terms']);
        $this->assertSame(['tokens' => [], 'terms' => []], $this->engine->analyze(''));
    }
}
