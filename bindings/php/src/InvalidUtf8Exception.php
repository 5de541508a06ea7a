<?php

declare(strict_types=1);

namespace Chatbot;

/** A text (question, path) is not valid UTF-8. */
class InvalidUtf8Exception extends ChatbotException
{
    public const STATUS = 5;
}
