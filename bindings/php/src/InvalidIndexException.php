<?php

declare(strict_types=1);

namespace Chatbot;

/** An index is truncated, corrupted, or from an incompatible version. */
class InvalidIndexException extends ChatbotException
{
    public const STATUS = 3;
}
