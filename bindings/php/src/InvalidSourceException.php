<?php

declare(strict_types=1);

namespace Chatbot;

/**
 * A knowledge-base or synonyms source is malformed; the message names file and line.
 * Thrown by Engine::build(), getDiagnostics() lists every error and warning of the source
 * (in row order), so that all rows can be fixed at once; it is empty when the library
 * reported none (e.g. a malformed synonyms file).
 */
class InvalidSourceException extends ChatbotException
{
    public const STATUS = 4;

    /** @var list<Diagnostic> */
    private array $diagnostics = [];

    /**
     * @param list<Diagnostic> $diagnostics
     */
    public function __construct(string $message = '', int $code = self::STATUS, ?\Throwable $previous = null, array $diagnostics = [])
    {
        parent::__construct($message, $code, $previous);
        $this->diagnostics = $diagnostics;
    }

    /** @return list<Diagnostic> every error and warning of the refused source */
    public function getDiagnostics(): array
    {
        return $this->diagnostics;
    }
}
