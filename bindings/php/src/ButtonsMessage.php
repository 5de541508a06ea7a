<?php

declare(strict_types=1);

namespace Chatbot;

/** Buttons that stay under the conversation (a menu). */
final class ButtonsMessage implements Message
{
    /** @param list<Button> $buttons */
    public function __construct(public readonly array $buttons)
    {
    }

    public function type(): string
    {
        return 'buttons';
    }
}
