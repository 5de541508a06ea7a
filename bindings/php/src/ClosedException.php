<?php

declare(strict_types=1);

namespace Chatbot;

/** An object of the binding (Engine, Anonymizer) was used after close(). */
class ClosedException extends ChatbotException
{
}
