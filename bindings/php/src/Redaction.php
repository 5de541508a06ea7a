<?php

declare(strict_types=1);

namespace Chatbot;

/**
 * One masked span of the ORIGINAL text: its kind ('EMAIL', 'TELEPHONE', 'NIR', 'IBAN',
 * 'CARTE' or a host pattern's name) and its UTF-8 byte offsets, so that
 * substr($original, $start, $end - $start) is what was masked.
 */
final class Redaction
{
    public function __construct(
        public readonly string $kind,
        public readonly int $start,
        public readonly int $end,
    ) {
    }
}
