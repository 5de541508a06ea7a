<?php

declare(strict_types=1);

namespace Chatbot;

/** The question log was closed with QuestionLog::close(). */
class ClosedLogException extends ClosedException
{
}
