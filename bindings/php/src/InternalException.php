<?php

declare(strict_types=1);

namespace Chatbot;

/** A bug in libchatbot; please report it with the message. */
class InternalException extends ChatbotException
{
    public const STATUS = 7;
}
