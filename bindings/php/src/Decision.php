<?php

declare(strict_types=1);

namespace Chatbot;

/** What the host should do with a question: the values of MatchResult::$decision. */
final class Decision
{
    /** The first match is the answer. */
    public const ANSWER = 'answer';
    /** Offer the first MatchResult::$suggestions matches to the user. */
    public const SUGGEST = 'suggest';
    /** Nothing is close enough: hand over to a person. */
    public const FALLBACK = 'fallback';

    /** Indexed by the C `cb_decision` value. */
    public const BY_CODE = [self::ANSWER, self::SUGGEST, self::FALLBACK];

    private function __construct()
    {
    }

    /** @throws InternalException for a value chatbot.h does not define */
    public static function fromCode(int $code): string
    {
        return self::BY_CODE[$code] ?? throw new InternalException("unknown decision $code", 7);
    }
}
