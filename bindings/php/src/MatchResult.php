<?php

declare(strict_types=1);

namespace Chatbot;

/** The answer to one question. */
final class MatchResult
{
    /**
     * @param string $decision Decision::ANSWER, Decision::SUGGEST or Decision::FALLBACK
     * @param int $suggestions how many of the first matches to offer (1 for an answer, 0 for a fallback)
     * @param list<MatchedItem> $matches up to top_k matches, best first
     */
    public function __construct(
        public readonly string $decision,
        public readonly int $suggestions,
        public readonly array $matches,
    ) {
    }
}
