<?php

declare(strict_types=1);

namespace Chatbot;

/** Quick replies: buttons that disappear once one is chosen. */
final class QuickRepliesMessage implements Message
{
    /** @param list<Button> $buttons */
    public function __construct(public readonly array $buttons)
    {
    }

    public function type(): string
    {
        return 'quick_replies';
    }
}
