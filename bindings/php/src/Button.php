<?php

declare(strict_types=1);

namespace Chatbot;

/**
 * A button: it opens $url, or shows the item $item (follow it with Engine::item()).
 * Exactly one of the two is set.
 */
final class Button
{
    public function __construct(
        public readonly string $title,
        public readonly ?string $url = null,
        public readonly ?string $item = null,
    ) {
    }
}
