<?php

declare(strict_types=1);

namespace Chatbot;

/** The answer to one question. */
final class MatchResult
{
    /**
     * @param string $decision Decision::ANSWER, Decision::SUGGEST or Decision::FALLBACK
     * @param int $suggestions how many matches to offer (1 for an answer, usually 0 for a fallback)
     * @param list<MatchedItem> $matches up to top_k matches, best first
     * @param list<Message> $reply the messages to send: the item's messages for an answer; a
     *        short text and one button per item to offer for a suggestion; the base's
     *        phrase_hors_sujet messages (then suggestion buttons, if any) for a fallback
     * @param list<MatchedItem> $suggested the matches to offer, in order (count = $suggestions).
     *        Reserved phrase_* and small-talk st_* items are never offered, so these are not
     *        always the first matches.
     * @param ?string $replyJson the reply as the library wrote it (JSON), kept for QuestionLog::record()
     */
    public function __construct(
        public readonly string $decision,
        public readonly int $suggestions,
        public readonly array $matches,
        public readonly array $reply = [],
        public readonly array $suggested = [],
        public readonly ?string $replyJson = null,
    ) {
    }
}
