<?php

declare(strict_types=1);

namespace Chatbot;

/** The anonymised text and what was masked (Anonymizer::redact()), in text order. */
final class Redacted
{
    /** @param list<Redaction> $redactions */
    public function __construct(
        public readonly string $text,
        public readonly array $redactions,
    ) {
    }
}
