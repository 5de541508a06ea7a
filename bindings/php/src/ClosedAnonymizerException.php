<?php

declare(strict_types=1);

namespace Chatbot;

/** The anonymiser was closed with Anonymizer::close(). */
class ClosedAnonymizerException extends ClosedException
{
}
