<?php

declare(strict_types=1);

namespace Chatbot;

/** A file could not be opened, read or written. */
class IOException extends ChatbotException
{
    public const STATUS = 2;
}
