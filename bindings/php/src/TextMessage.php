<?php

declare(strict_types=1);

namespace Chatbot;

/** A text bubble. */
final class TextMessage implements Message
{
    public function __construct(public readonly string $text)
    {
    }

    public function type(): string
    {
        return 'text';
    }
}
