<?php

declare(strict_types=1);

namespace Chatbot;

/** One knowledge-base item that matched a question (`Match` is a reserved word in PHP). */
final class MatchedItem
{
    /**
     * @param string $id the item's id
     * @param float $score similarity in [0, 1]
     * @param string $question the item's question (main or alternative) that matched best
     * @param string $answer the item's answer ('' when the base has none)
     * @param string $category the item's category ('' when none)
     * @param int $itemIndex position of the item in the knowledge base (see Engine::itemId)
     */
    public function __construct(
        public readonly string $id,
        public readonly float $score,
        public readonly string $question,
        public readonly string $answer,
        public readonly string $category,
        public readonly int $itemIndex,
    ) {
    }
}
