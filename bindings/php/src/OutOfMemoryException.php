<?php

declare(strict_types=1);

namespace Chatbot;

/** The library could not allocate memory. */
class OutOfMemoryException extends ChatbotException
{
    public const STATUS = 6;
}
