<?php

declare(strict_types=1);

namespace Chatbot;

/** The engine was closed with Engine::close(). */
class ClosedEngineException extends ClosedException
{
}
