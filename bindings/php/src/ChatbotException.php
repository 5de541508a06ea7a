<?php

declare(strict_types=1);

namespace Chatbot;

/**
 * Base class of every error thrown by the binding. `getCode()` is the C status code
 * (`cb_status`, 1–8) for errors reported by libchatbot, 0 for errors found by the binding
 * itself (wrong argument type, closed engine, library not found).
 */
class ChatbotException extends \RuntimeException
{
    /** Status codes of chatbot.h mapped to their exception classes. */
    private const CLASSES = [
        1 => InvalidArgumentException::class,
        2 => IOException::class,
        3 => InvalidIndexException::class,
        4 => InvalidSourceException::class,
        5 => InvalidUtf8Exception::class,
        6 => OutOfMemoryException::class,
        7 => InternalException::class,
        8 => NotFoundException::class,
    ];

    /** The exception for a non-zero `cb_status` and the library's message. */
    public static function forStatus(int $status, string $message): self
    {
        $class = self::CLASSES[$status] ?? null;
        if ($class === null) {
            return new self("status $status: $message", $status);
        }
        return new $class($message, $status);
    }
}
