<?php

declare(strict_types=1);

namespace Chatbot;

/** A knowledge-base or synonyms source is malformed; the message names file and line. */
class InvalidSourceException extends ChatbotException
{
    public const STATUS = 4;
}
