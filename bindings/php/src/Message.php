<?php

declare(strict_types=1);

namespace Chatbot;

/**
 * One message of a reply (MatchResult::$reply) or of an item (Item::$messages):
 * TextMessage, ImageMessage, ButtonsMessage, QuickRepliesMessage, or UnknownMessage for a
 * type this binding does not know (from a newer library).
 */
interface Message
{
    /** The JSON type name: 'text', 'image', 'buttons', 'quick_replies'… */
    public function type(): string;
}
