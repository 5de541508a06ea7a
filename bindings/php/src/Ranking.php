<?php

declare(strict_types=1);

namespace Chatbot;

/** The answer to one question of Engine::rankBatch(): ids and scores only. */
final class Ranking
{
    /**
     * @param string $decision a Decision constant
     * @param list<string> $ids up to top_k item ids, best first
     * @param list<float> $scores their scores, in the same order
     */
    public function __construct(
        public readonly string $decision,
        public readonly array $ids,
        public readonly array $scores,
    ) {
    }
}
