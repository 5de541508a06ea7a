<?php

declare(strict_types=1);

namespace Chatbot;

/** libchatbot.so or the FFI declarations could not be loaded; the message says what was tried. */
class LibraryException extends ChatbotException
{
}
