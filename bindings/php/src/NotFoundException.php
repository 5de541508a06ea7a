<?php

declare(strict_types=1);

namespace Chatbot;

/** No item has the requested id (Engine::item()). */
class NotFoundException extends ChatbotException
{
    public const STATUS = 8;
}
