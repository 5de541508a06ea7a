<?php

declare(strict_types=1);

namespace Chatbot;

/** A wrong argument: type, range (top_k, vector), NUL byte, invalid handle. */
class InvalidArgumentException extends ChatbotException
{
    public const STATUS = 1;
}
